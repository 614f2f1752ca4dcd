import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getPathId, optionsCollection, readPages, returnAllAndLimit, showOnlyFor } from '../../../shared/node';
import { downloadToBinary } from '../../../shared/binary';
import { nonObjectEntry, unexpectedAnswerError } from '../../../shared/transport';
import type { ApiResponse } from '../../../shared/transport';
import { conversationLocator } from '../../fields';
import { LEADWAY_FILES, leadwayApi } from '../../transport';

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
	if (!Array.isArray(page.messages)) {
		throw new NodeOperationError(context.getNode(), `Leadway sent a message list without "messages" on item ${itemIndex}`, {
			itemIndex,
			description: 'Check that the Base URL in the Leadway credential points at the Leadway API.',
		});
	}
	const entry = nonObjectEntry(page.messages);
	if (entry !== undefined) {
		const request = { apiName: 'Leadway', method: 'GET' as const, itemIndex };
		throw unexpectedAnswerError(context.getNode(), request, response.statusCode, `a "messages" list whose ${entry}`, 'list');
	}
	const lastMessageId = typeof page.lastMessageId === 'string' && page.lastMessageId !== '' ? page.lastMessageId : undefined;
	return { messages: page.messages as IDataObject[], lastMessageId, nextPage: page.nextPage === true };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversationId = getPathId(this, 'conversationId', 'Conversation ID', itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
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
	const source = { files: LEADWAY_FILES, baseUrl: leadway.credentials.baseUrl, policy: leadway.policy };
	const items: INodeExecutionData[] = [];
	for (const message of messages) {
		const urls = Array.isArray(message.attachments) ? message.attachments.filter((url) => typeof url === 'string') : [];
		const binary: Record<string, IBinaryData> = {};
		// One at a time: each file streams into binary data before the next starts.
		for (const [index, url] of (urls as string[]).entries()) {
			binary[`${prefix}${index}`] = await downloadToBinary(this, itemIndex, source, url);
		}
		items.push({ json: message, ...(urls.length > 0 ? { binary } : {}) });
	}
	return items;
}
