import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createApiClient } from '../shared/apiClient';
import { credentialProbe } from '../shared/credentialProbe';
import { describeRefusalWith, messageFromBody } from '../shared/errors';
import { joinUrl } from '../shared/parameters';
import type { ApiTarget } from '../shared/request';
import { sendFileRequest } from '../shared/request';

/** The one client of the CityPay API. */
export const cityPayApi = createApiClient<{ baseUrl: string }>({
	apiName: 'CityPay',
	credentialType: 'cityPayApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { token: 'Token' } },
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
	request: (data) => ({ path: '/attachments', qs: { limit: 1 }, headers: { Authorization: `Bearer ${String(data.token)}` } }),
	fixes: {
		401: 'CityPay refused the Token: it is missing, wrong or revoked. Paste a current API token from CityPay.',
		403: 'CityPay knows the Token but does not let it list attachments. Check the token\'s permissions in CityPay.',
		404: 'No CityPay API answered at this Base URL. Check it; the default is https://api.protocol.chat/v1.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

const FILE_GONE = 'The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from CityPay.';

/** Where attachment bytes live: CityPay's own host or a file host it names in `file_url`. */
const CITYPAY_FILES: ApiTarget = {
	apiName: 'CityPay',
	credentialType: 'cityPayApi',
	describeRefusal: describeRefusalWith({
		apiName: 'The file server',
		errorMessage: ['message', 'error'],
		fallbackMessage: (statusCode) => `The file server answered HTTP ${statusCode} for the attachment file`,
		fixes: { 403: FILE_GONE, 404: FILE_GONE, 410: FILE_GONE },
	}),
};

/** Redirects followed for one download, as browsers cap them too. */
const MAX_DOWNLOAD_REDIRECTS = 5;

function parseHttpUrl(value: string, base?: string): URL | undefined {
	try {
		const url = new URL(value, base);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

export interface DownloadedFile {
	bytes: Buffer;
	/** The file server's Content-Type, when it sent one. */
	contentType?: string;
}

/**
 * Downloads an attachment's `file_url`. The Bearer token goes only to the credential's
 * own origin: a file on another host, or a redirect to one, is fetched without it.
 */
export async function downloadAttachmentFile(
	context: IExecuteFunctions,
	itemIndex: number,
	fileUrl: string,
): Promise<DownloadedFile> {
	const { credentials, policy } = await cityPayApi.session(context, itemIndex);
	const apiOrigin = parseHttpUrl(credentials.baseUrl)?.origin;
	let url = parseHttpUrl(fileUrl, joinUrl(credentials.baseUrl, ''));
	if (!url) {
		throw new NodeOperationError(context.getNode(), `CityPay gave a file URL that is not http(s) on item ${itemIndex}`, {
			itemIndex,
			description: `The attachment's file_url is "${fileUrl.slice(0, 200)}". Only http(s) files can be downloaded.`,
		});
	}

	for (let redirects = 0; ; redirects++) {
		const response = await sendFileRequest(
			context,
			CITYPAY_FILES,
			{ url: url.href, authenticated: url.origin === apiOrigin, policy },
			itemIndex,
		);
		const location = response.headers.location;
		if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') {
			const contentType = response.headers['content-type'];
			return {
				bytes: Buffer.from(response.body as ArrayBuffer),
				contentType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined,
			};
		}
		const next = parseHttpUrl(location, url.href);
		if (!next || redirects >= MAX_DOWNLOAD_REDIRECTS) {
			throw new NodeOperationError(context.getNode(), `The attachment file could not be downloaded on item ${itemIndex}`, {
				itemIndex,
				description: next
					? `The file server redirected more than ${MAX_DOWNLOAD_REDIRECTS} times. Check the file URL in CityPay.`
					: 'The file server redirected to a URL that is not http(s).',
			});
		}
		url = next;
	}
}
