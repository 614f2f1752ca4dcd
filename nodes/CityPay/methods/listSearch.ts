import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { matchesSearch } from '../../shared/node';
import { readAttachmentPage } from '../rules';
import { cityPayApi } from '../transport';

/** CityPay: `limit` is at most 100 per page (API docs). */
const PAGE_SIZE = 100;
/** CityPay cannot search by name, so pages are filtered here; one search reads at most this many before it offers "more". */
const PAGES_PER_SEARCH = 5;

function toListItem(attachment: IDataObject): INodeListSearchItems {
	const id = String(attachment.id);
	const fileName = typeof attachment.filename === 'string' && attachment.filename !== '' ? attachment.filename : id;
	return {
		name: fileName,
		value: id,
		...(typeof attachment.file_url === 'string' ? { url: attachment.file_url } : {}),
	};
}

/**
 * "From List" of the Attachment ID: CityPay's attachments, newest pages first as CityPay
 * sends them, whose file name contains the typed text. The pagination token is CityPay's
 * own cursor, the ID of the last attachment read (`starting_after`).
 */
export async function searchAttachments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	let cursor = paginationToken || undefined;
	for (let pages = 0; pages < PAGES_PER_SEARCH; pages++) {
		const qs: IDataObject = { limit: PAGE_SIZE, ...(cursor ? { starting_after: cursor } : {}) };
		const response = await cityPayApi.listRequest(this, { method: 'GET', path: '/attachments', qs });
		const page = readAttachmentPage(this.getNode(), response);
		results.push(
			...page.data
				.filter((attachment) => typeof attachment.id === 'string' && matchesSearch(String(attachment.filename ?? ''), filter))
				.map(toListItem),
		);
		const lastId = page.data[page.data.length - 1]?.id;
		// The end, or a cursor that would ask for the same page again: nothing more to offer.
		if (!page.hasMore || typeof lastId !== 'string' || lastId === '' || lastId === cursor) return { results };
		cursor = lastId;
		if (results.length > 0) break;
	}
	return { results, paginationToken: cursor };
}
