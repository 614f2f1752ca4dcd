import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { filtersCollection, getLimit, returnAllAndLimit, showOnlyFor } from '../../../shared/node';
import { organizationIdProperty } from '../../descriptions';
import { organizationPath, readInventList } from '../../helpers';

const properties: INodeProperties[] = [
	organizationIdProperty,
	...returnAllAndLimit,
	filtersCollection([
		{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
		{ displayName: 'Name', name: 'name', type: 'string', default: '' },
		{ displayName: 'Segment ID', name: 'segment_id', type: 'string', default: '', description: 'ID of a segment: only its contacts are listed' },
		{ displayName: 'User ID', name: 'user_id', type: 'string', default: '' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '' },
	]),
];

export const description = showOnlyFor('contact', 'getMany', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = getLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (String(value ?? '').trim() !== '') qs[key] = String(value).trim();
	}

	const contacts = await readInventList(this, itemIndex, limit, {
		path: `${organizationPath(this, itemIndex)}/contacts`,
		noun: 'contacts',
		filters: qs,
		narrow: 'narrow the list with Filters',
	});
	return contacts.map((contact) => ({ json: contact }));
}
