import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { returnAllAndLimit, showOnlyFor } from '../../../shared/description';
import { organizationPath } from '../../rules';
import { inventApi } from '../../transport';

/** Invent: `take` is at most 100 (API docs). */
const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Segment ID', name: 'segment_id', type: 'string', default: '' },
			{ displayName: 'User ID', name: 'user_id', type: 'string', default: '' },
			{ displayName: 'Username', name: 'username', type: 'string', default: '' },
		],
	},
];

export const description = showOnlyFor('contact', 'getMany', properties);

function headerNumber(headers: Record<string, unknown>, name: string): number | undefined {
	const value = Number(headers[name]);
	return Number.isFinite(value) ? value : undefined;
}

/** Invent lists are a JSON array; tolerate a `{ data: [...] }` envelope too. */
function pageRecords(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	const data = (body as IDataObject | undefined)?.data;
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

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
		const response = await inventApi.request(this, itemIndex, { method: 'GET', path, qs: { ...qs, page, take } });
		const pageItems = pageRecords(response.body);
		contacts.push(...pageItems.slice(0, limit - contacts.length));
		// `pagination-count` is the total; without it, a short page is the last one.
		const total = headerNumber(response.headers, 'pagination-count');
		const reachedEnd = total !== undefined ? page * take >= total : pageItems.length < take;
		if (pageItems.length === 0 || reachedEnd) break;
	}
	return contacts.map((contact) => ({ json: contact }));
}
