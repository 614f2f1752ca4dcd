import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ClientRequest } from '../../shared/transport';
import { FILTERED_SEARCH_PAGES, fileSearchEntry, matchesSearch, searchPages } from '../../shared/node';
import { ATTACHMENT_FIELDS, MAX_PAGE_SIZE, readAttachmentPage } from '../helpers';
import { cityPayApi } from '../transport';

/**
 * "From List" of the Attachment ID: CityPay's attachments, newest pages first as CityPay
 * sends them, whose file name contains the typed text (CityPay cannot search by name). The
 * pagination token is CityPay's own cursor, the ID of the last attachment read (`starting_after`).
 */
export async function searchAttachments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const send = async (request: ClientRequest) => await cityPayApi.listRequest(this, request);
	return await searchPages<string>(paginationToken || undefined, FILTERED_SEARCH_PAGES, async (cursor) => {
		const page = await readAttachmentPage(send, this.getNode(), { size: MAX_PAGE_SIZE, startingAfter: cursor });
		const results = page.data
			.filter((attachment) => typeof attachment.id === 'string' && matchesSearch(String(attachment.filename ?? ''), filter))
			.map((attachment) => fileSearchEntry(attachment, ATTACHMENT_FIELDS));
		// The end, or a cursor that would ask for the same page again: nothing more to offer.
		const next = page.hasMore && page.lastId !== cursor ? page.lastId : undefined;
		return { results, next };
	});
}
