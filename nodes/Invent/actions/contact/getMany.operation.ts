import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readPages, returnAllAndLimit, showOnlyFor } from '../../../shared/node';
import { MAX_PAGE_SIZE, organizationIdProperty, organizationPath, readListPage } from '../../rules';
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
	const session = await inventApi.session(this, itemIndex);
	// Page numbers count pages of one size: `take` stays the same on every page, the last one trimmed to the Limit.
	const take = Math.min(MAX_PAGE_SIZE, limit);
	const contacts = await readPages<number>(this.getNode(), itemIndex, limit, {
		apiName: 'Invent',
		noun: 'contacts',
		maxPageSize: MAX_PAGE_SIZE,
		narrow: 'narrow the list with Filters',
		pageName: (page) => `page ${page}`,
		readPage: async ({ cursor: page = 1 }) => {
			const response = await session.request({ method: 'GET', path, qs: { ...qs, page, take }, answer: 'list' });
			const { records: items, hasMore } = readListPage(this.getNode(), response, page, take, itemIndex);
			return { items, next: hasMore ? page + 1 : undefined };
		},
	});
	return contacts.map((contact) => ({ json: contact }));
}
