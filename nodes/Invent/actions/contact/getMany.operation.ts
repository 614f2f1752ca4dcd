import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/description';
import { MAX_PAGE_SIZE, organizationIdProperty, organizationPath, readContactPage } from '../../rules';
import { inventApi } from '../../transport';

const properties: INodeProperties[] = [
	organizationIdProperty,
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Segment ID', name: 'segment_id', type: 'string', default: '', description: 'ID of a segment: only its contacts are listed' },
			{ displayName: 'User ID', name: 'user_id', type: 'string', default: '' },
			{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		],
	},
];

export const description = showOnlyFor('contact', 'getMany', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (String(value ?? '').trim() !== '') qs[key] = String(value).trim();
	}

	const path = `${organizationPath(this, itemIndex)}/contacts`;
	const take = Math.min(MAX_PAGE_SIZE, limit);
	const contacts: IDataObject[] = [];
	for (let page = 1; contacts.length < limit; page++) {
		const response = await inventApi.request(this, itemIndex, { method: 'GET', path, qs: { ...qs, page, take }, answer: 'list' });
		const { contacts: pageItems, hasMore } = readContactPage(this.getNode(), response, page, take, itemIndex);
		contacts.push(...pageItems.slice(0, limit - contacts.length));
		if (!hasMore) break;
	}
	return contacts.map((contact) => ({ json: contact }));
}
