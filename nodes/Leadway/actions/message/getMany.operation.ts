import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	getLimit,
	getPathId,
	optionsCollection,
	readAnswerList,
	readPages,
	returnAllAndLimit,
	showOnlyFor,
} from '../../../shared/node';
import type { ApiResponse } from '../../../shared/transport';
import { conversationLocator } from '../../descriptions';
import { downloadLeadwayFile, leadwayApi } from '../../transport';

/** Leadway: at most 100 messages per page (API docs: treat 100 as the maximum). */
const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	conversationLocator('ID of the conversation whose messages to return (newest first), e.g. ve9EPM428h8vShlRW1KT. Pick it from the list, or map it from Conversation > Get Many.', true),
	...returnAllAndLimit,
	optionsCollection([
		{
			displayName: 'Download Attachments',
			name: 'downloadAttachments',
			type: 'boolean',
			default: false,
			description:
				"Whether to download each message's attachments into binary fields of its output item, named attachment_0, attachment_1 and so on",
		},
		{
			displayName: 'Attachment Prefix',
			name: 'attachmentPrefix',
			type: 'string',
			default: 'attachment_',
			description: 'Start of the binary field names of downloaded attachments, followed by 0, 1 and so on',
		},
	]),
];

export const description = showOnlyFor('message', 'getMany', properties);

interface MessagePage {
	messages: IDataObject[];
	lastMessageId?: string;
	nextPage: boolean;
}

/** Reads a page of messages, flat (`{ messages: [...] }`) or wrapped once more (`{ messages: { messages: [...] } }`). */
function readPage(context: IExecuteFunctions, itemIndex: number, response: ApiResponse): MessagePage {
	let page = (response.body ?? {}) as IDataObject;
	const inner = page.messages as IDataObject | undefined;
	if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) page = inner;
	const messages = readAnswerList(
		context.getNode(),
		{ apiName: 'Leadway', key: 'messages', answerName: 'message list' },
		{ statusCode: response.statusCode, body: page, itemIndex },
	);
	const lastMessageId = typeof page.lastMessageId === 'string' && page.lastMessageId !== '' ? page.lastMessageId : undefined;
	return { messages, lastMessageId, nextPage: page.nextPage === true };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversationId = getPathId(this, 'conversationId', 'Conversation ID', itemIndex);
	const limit = getLimit(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const leadway = await leadwayApi.session(this, itemIndex);

	const messages = await readPages<string>(this.getNode(), itemIndex, limit, {
		apiName: 'Leadway',
		noun: 'messages',
		maxPageSize: MAX_PAGE_SIZE,
		readPage: async ({ size, cursor }) => {
			const qs: IDataObject = { limit: size };
			if (cursor !== undefined) qs.lastMessageId = cursor;
			const response = await leadway.request({ method: 'GET', path: `/conversations/${conversationId}/messages`, qs });
			const page = readPage(this, itemIndex, response);
			// Leadway: `nextPage` says more follow, after `lastMessageId` (API docs).
			return { items: page.messages, next: page.nextPage ? page.lastMessageId : undefined };
		},
	});

	if (options.downloadAttachments !== true) return messages.map((message) => ({ json: message }));
	const prefix = String(options.attachmentPrefix ?? 'attachment_').trim() || 'attachment_';
	const items: INodeExecutionData[] = [];
	for (const message of messages) {
		const urls = Array.isArray(message.attachments) ? message.attachments.filter((url) => typeof url === 'string') : [];
		const binary: Record<string, IBinaryData> = {};
		// One at a time: each file streams into binary data before the next starts.
		for (const [index, url] of (urls as string[]).entries()) {
			binary[`${prefix}${index}`] = await downloadLeadwayFile(this, itemIndex, url);
		}
		items.push({ json: message, ...(urls.length > 0 ? { binary } : {}) });
	}
	return items;
}
