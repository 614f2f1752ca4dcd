import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { FileRecordFields } from '../shared/binary';
import type { ApiSession } from '../shared/transport';
import { itemError } from '../shared/transport';
import type { FilePlace } from '../shared/node';
import { readAnswerList, readPages } from '../shared/node';
import { cityPayApi } from './transport';

/** CityPay: `limit` is at most 100 per page (API docs). */
export const MAX_PAGE_SIZE = 100;

/** Where a CityPay attachment lists its file. */
export const ATTACHMENT_FIELDS: FileRecordFields = { name: 'filename', size: 'file_size', mimeType: 'file_type' };

/** One page of CityPay's attachments. */
export interface AttachmentPage {
	data: IDataObject[];
	hasMore: boolean;
	/** The ID of the page's last attachment, which the next page starts after; undefined when it has none. */
	lastId?: string;
}

/**
 * Reads one page of attachments (`GET /attachments`): `size` of them, of one conversation
 * when `conversationId` is given, after the attachment `startingAfter` (CityPay's cursor).
 * CityPay lists are `{ has_more, data: [...] }` (API docs); anything else is not CityPay's answer.
 */
export async function readAttachmentPage(
	send: ApiSession<unknown>['request'],
	node: INode,
	page: { size: number; conversationId?: string; startingAfter?: string },
	itemIndex?: number,
): Promise<AttachmentPage> {
	const qs: IDataObject = { limit: page.size };
	if (page.conversationId) qs.conversation_id = page.conversationId;
	if (page.startingAfter !== undefined) qs.starting_after = page.startingAfter;
	const response = await send({ method: 'GET', path: '/attachments', qs });
	const body = (response.body ?? {}) as IDataObject;
	const data = readAnswerList(node, { apiName: 'CityPay', key: 'data', answerName: 'list' }, { statusCode: response.statusCode, body, itemIndex });
	const lastId = data[data.length - 1]?.id;
	return { data, hasMore: body.has_more === true, lastId: typeof lastId === 'string' && lastId !== '' ? lastId : undefined };
}

/**
 * Reads up to `limit` attachments (Infinity: all), of one conversation when `conversationId`
 * is not empty, following CityPay's cursor (`starting_after`, the last ID of a page).
 */
export async function readAttachments(
	context: IExecuteFunctions,
	itemIndex: number,
	conversationId: string,
	limit: number,
): Promise<IDataObject[]> {
	const session = await cityPayApi.session(context, itemIndex);
	return await readPages<string>(context.getNode(), itemIndex, limit, {
		apiName: 'CityPay',
		noun: 'attachments',
		maxPageSize: MAX_PAGE_SIZE,
		narrow: 'list one conversation at a time (Conversation ID)',
		readPage: async ({ size, cursor, collected }) => {
			const page = await readAttachmentPage(session.request, context.getNode(), { size, conversationId, startingAfter: cursor }, itemIndex);
			// The last page, or the one that completes the Limit: no cursor needed.
			if (!page.hasMore || collected + page.data.length >= limit) return { items: page.data };
			if (page.lastId === undefined) {
				throw itemError(
					context.getNode(),
					itemIndex,
					'CityPay said more attachments follow but sent no ID to continue from',
					`Stopped after ${collected + page.data.length} attachments. Try again, or set a Limit.`,
				);
			}
			return { items: page.data, next: page.lastId };
		},
	});
}

/**
 * The attachments If File Exists looks at: those of the conversation, or without one every
 * attachment the token sees; every page, read once per run.
 */
export function attachmentsPlace(context: IExecuteFunctions, itemIndex: number, conversationId: string): FilePlace {
	return {
		apiName: 'CityPay',
		key: conversationId,
		shownAs: conversationId === '' ? 'in CityPay' : `in conversation "${conversationId}"`,
		recordNoun: 'attachment',
		readAll: async () => await readAttachments(context, itemIndex, conversationId, Infinity),
		fields: ATTACHMENT_FIELDS,
	};
}
