import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadListedFile } from '../../../shared/binary';
import {
	getOutputBinaryField,
	getPathId,
	nonEmpty,
	outputBinaryField,
	resourceLocatorProperty,
	showOnlyFor,
} from '../../../shared/node';
import { itemError, parseHttpUrl } from '../../../shared/transport';
import { contactLocator, organizationIdProperty } from '../../descriptions';
import { FILE_FIELDS, contactFilesOf, readInventList } from '../../helpers';
import { downloadContactFile } from '../../transport';

const properties: INodeProperties[] = [
	organizationIdProperty,
	contactLocator('The Invent contact the file belongs to'),
	resourceLocatorProperty({
		displayName: 'File',
		name: 'fileId',
		description:
			"The contact's file to download. By URL takes a file_url from a previous node (Contact File → Get Many or Upload). The file is found in the contact's file list, one request per 100 files.",
		searchListMethod: 'searchContactFiles',
		idPlaceholder: 'ID of a file of the contact',
		noun: 'file',
		urlPlaceholder: 'https://files.example.com/contacts/report.pdf',
	}),
	outputBinaryField,
];

export const description = showOnlyFor('contactFile', 'download', properties);

/** The File as given: a record's ID (From List, By ID, or a plain string), or its `file_url` (By URL). */
function getWantedFile(context: IExecuteFunctions, itemIndex: number): { by: 'id' | 'url'; value: string } {
	const raw = context.getNodeParameter('fileId', itemIndex, '') as unknown;
	const locator = raw !== null && typeof raw === 'object' ? (raw as IDataObject) : { mode: 'id', value: raw };
	const value = String(locator.value ?? '').trim();
	const by = locator.mode === 'url' ? 'url' : 'id';
	nonEmpty(context, itemIndex, value, {
		displayName: 'File',
		fix: 'Pick the file From List, enter its ID, or map its file_url By URL from a previous node.',
	});
	if (by === 'url' && !parseHttpUrl(value)) {
		throw itemError(
			context.getNode(),
			itemIndex,
			`File "${value.slice(0, 100)}" is not an http(s) URL`,
			'By URL takes the file_url of a file of the contact, for example from Contact File → Get Many or Upload: a full URL starting with https://.',
		);
	}
	return { by, value };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const contactId = getPathId(this, 'contactId', 'Contact ID', itemIndex);
	const wanted = getWantedFile(this, itemIndex);
	const propertyName = getOutputBinaryField(this, itemIndex);

	// Invent has no route for one file: it is found in the contact's list, which stops once it is.
	const contact = contactFilesOf(this, itemIndex, contactId);
	const [file] = await readInventList(this, itemIndex, 1, {
		path: contact.path,
		noun: 'files',
		matches: (record) => (wanted.by === 'id' ? String(record.id) === wanted.value : record.file_url === wanted.value),
	});
	if (!file) {
		throw itemError(
			this.getNode(),
			itemIndex,
			`File "${wanted.value.slice(0, 100)}" is not among the files of contact "${contact.contactId}"`,
			"Check File and Contact ID: pick the file From List, or list the contact's files with Contact File → Get Many to find it.",
		);
	}
	return await downloadListedFile(this, itemIndex, file, {
		fields: FILE_FIELDS,
		download: downloadContactFile,
		propertyName,
		noUrl: {
			problem: `Invent sent no file URL for file "${String(file.id)}"`,
			fix: 'The file has nothing to download. Check it in Invent, or upload it again.',
		},
	});
}
