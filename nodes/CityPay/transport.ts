import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CityPayApi } from '../../credentials/CityPayApi.credentials';
import { createApiClient, credentialProbe, messageFromBody } from '../shared/transport';
import { fileDownloader, fileServerTarget } from '../shared/binary';
import type { FilePlace } from '../shared/node';
import { byteCount, readPages } from '../shared/node';
import { readAttachmentPage } from './rules';

/** The one client of the CityPay API. */
export const cityPayApi = createApiClient<{ baseUrl: string }>({
	apiName: 'CityPay',
	credentialType: 'cityPayApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { token: 'Token' }, secretFields: ['token'] },
	// CityPay: errors carry `{ type, message, documentation_url? }` (API docs).
	errorMessage: ['message', 'error'],
	fixes: {
		400: 'CityPay refused a parameter. Check the values named in the message.',
		401: 'Check the Token in the CityPay credential: it is missing, wrong or revoked.',
		404: 'Check the Attachment ID: CityPay did not find it for this token. It may have been deleted.',
	},
});

/** The credential dialog's test: lists one attachment, a cheap read. */
export const testCityPayCredential = credentialProbe({
	credentialRules: cityPayApi.credentialRules,
	authenticate: new CityPayApi().authenticate,
	request: () => ({ path: '/attachments', qs: { limit: 1 } }),
	fixes: {
		401: 'CityPay refused the Token: it is missing, wrong or revoked. Paste a current API token from CityPay.',
		403: 'CityPay knows the Token but does not let it list attachments. Check the token\'s permissions in CityPay.',
		404: 'No CityPay API answered at this Base URL. Check it; the default is https://api.protocol.chat/v1.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

/** Where attachment bytes live: CityPay's own host or a file host it names in `file_url`. */
const CITYPAY_FILES = fileServerTarget(
	'CityPay',
	'cityPayApi',
	'The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from CityPay.',
	cityPayApi.credentialRules.secretFields,
);

/**
 * Downloads an attachment's `file_url` into a binary field, streamed. The Bearer token goes
 * only to the credential's own origin: a file on another host, or a redirect to one, is
 * fetched without it.
 */
export const downloadAttachmentFile = fileDownloader(cityPayApi, CITYPAY_FILES);

/** CityPay: `limit` is at most 100 per page (API docs). */
const MAX_PAGE_SIZE = 100;

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
			const qs: IDataObject = { limit: size };
			if (conversationId !== '') qs.conversation_id = conversationId;
			if (cursor !== undefined) qs.starting_after = cursor;
			const response = await session.request({ method: 'GET', path: '/attachments', qs });
			const page = readAttachmentPage(context.getNode(), response, itemIndex);
			// The last page, or the one that completes the Limit: no cursor needed.
			if (!page.hasMore || collected + page.data.length >= limit) return { items: page.data };
			// CityPay: the next page starts after the last ID of this one (API docs).
			const lastId = page.data[page.data.length - 1]?.id;
			if (typeof lastId !== 'string' || lastId === '') {
				throw new NodeOperationError(context.getNode(), `CityPay said more attachments follow but sent no ID to continue from on item ${itemIndex}`, {
					itemIndex,
					description: `Stopped after ${collected + page.data.length} attachments. Try again, or set a Limit.`,
				});
			}
			return { items: page.data, next: lastId };
		},
	});
}

/** A CityPay attachment's file name and size in bytes (`filename`, `file_size`). */
function attachmentNameAndSize(record: IDataObject): { name?: string; size?: number } {
	return {
		name: typeof record.filename === 'string' ? record.filename : undefined,
		size: byteCount(record.file_size),
	};
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
		nameAndSize: attachmentNameAndSize,
	};
}
