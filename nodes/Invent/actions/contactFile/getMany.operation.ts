import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { filtersCollection, getLimit, getPathId, returnAllAndLimit, showOnlyFor } from '../../../shared/node';
import { contactLocator, organizationIdProperty } from '../../descriptions';
import { contactFilesOf, readInventList } from '../../helpers';

const properties: INodeProperties[] = [
	organizationIdProperty,
	contactLocator('The Invent contact whose files to list'),
	...returnAllAndLimit,
	// Invent's page names these filters but not their parameters: applied here, over what Invent returns.
	filtersCollection([
		{
			displayName: 'File Name Contains',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'invoice',
			description:
				'Only files whose name contains this text, ignoring case. Applied by n8n to the files Invent returns, so every page is read until the Limit is reached.',
		},
		{
			displayName: 'MIME Type',
			name: 'mimeType',
			type: 'string',
			default: '',
			placeholder: 'image/',
			description:
				'Only files whose MIME type starts with this text, for example image/ or application/pdf. Applied by n8n to the files Invent returns.',
		},
		{
			displayName: 'Source',
			name: 'source',
			type: 'multiOptions',
			default: [],
			description: 'Only files that came from these sources. Applied by n8n to the files Invent returns.',
			options: [
				{ name: 'Chat', value: 'chat', description: 'Files sent in a chat with the contact' },
				{ name: 'Direct Upload', value: 'direct', description: 'Files uploaded to the contact' },
				{ name: 'Note', value: 'note', description: 'Files attached to a note on the contact' },
			],
		},
	]),
];

export const description = showOnlyFor('contactFile', 'getMany', properties);

/** The Filters as one test on a file record; undefined when none is set. */
function fileFilter(filters: IDataObject): ((file: IDataObject) => boolean) | undefined {
	const nameText = String(filters.fileName ?? '').trim().toLowerCase();
	const typePrefix = String(filters.mimeType ?? '').trim().toLowerCase();
	const sources = Array.isArray(filters.source) ? filters.source.map(String) : [];
	if (nameText === '' && typePrefix === '' && sources.length === 0) return undefined;
	return (file) =>
		(nameText === '' || String(file.file_filename ?? '').toLowerCase().includes(nameText)) &&
		(typePrefix === '' || String(file.file_mimetype ?? '').toLowerCase().startsWith(typePrefix)) &&
		(sources.length === 0 || sources.includes(String(file.source)));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const contactId = getPathId(this, 'contactId', 'Contact ID', itemIndex);
	const limit = getLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const { path } = contactFilesOf(this, itemIndex, contactId);
	const files = await readInventList(this, itemIndex, limit, { path, noun: 'files', matches: fileFilter(filters) });
	return files.map((file) => ({ json: file }));
}
