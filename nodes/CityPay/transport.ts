import type { IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertCredentialFields } from '../shared/credentialChecks';
import { defaultFixForStatus, messageFromBody } from '../shared/errors';
import type { ApiRequest, ApiResponse, ApiTarget } from '../shared/request';
import { sendApiRequest, sendFileRequest } from '../shared/request';
import { getRequestPolicy } from '../shared/requestOptions';
import { joinUrl } from '../shared/parameters';

const CREDENTIAL_TYPE = 'cityPayApi';

/** Redirects followed for one download, as browsers cap them too. */
const MAX_DOWNLOAD_REDIRECTS = 5;

const CITYPAY: ApiTarget = {
	apiName: 'CityPay',
	credentialType: CREDENTIAL_TYPE,
	// CityPay: errors carry `{ type, message, documentation_url? }` (API docs).
	describeRefusal(statusCode, body) {
		const message = messageFromBody(body, ['message', 'error']) ?? `CityPay answered HTTP ${statusCode}`;
		const fixes: Record<number, string> = {
			400: 'CityPay refused a parameter. Check the values named in the message.',
			401: 'Check the Token in the CityPay credential: it is missing, wrong or revoked.',
			404: 'Check the Attachment ID: CityPay did not find it for this token. It may have been deleted.',
		};
		return { message, description: fixes[statusCode] ?? defaultFixForStatus(statusCode, 'CityPay') };
	},
};

/** Where attachment bytes live: CityPay's own host or a file host it names in `file_url`. */
const CITYPAY_FILES: ApiTarget = {
	apiName: 'CityPay',
	credentialType: CREDENTIAL_TYPE,
	describeRefusal(statusCode, body) {
		const message =
			messageFromBody(body, ['message', 'error']) ?? `The file server answered HTTP ${statusCode} for the attachment file`;
		const description =
			statusCode === 403 || statusCode === 404 || statusCode === 410
				? 'The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from CityPay.'
				: defaultFixForStatus(statusCode, 'The file server');
		return { message, description };
	},
};

async function baseUrlOf(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const credentials = await context.getCredentials<{ baseUrl: string }>(CREDENTIAL_TYPE, itemIndex);
	assertCredentialFields(context, itemIndex, credentials, {
		apiName: 'CityPay',
		urlFields: { baseUrl: 'Base URL' },
		headerFields: { token: 'Token' },
	});
	return credentials.baseUrl;
}

/** The one place CityPay API requests are made. */
export async function cityPayRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	options: Pick<ApiRequest, 'body' | 'buildBody' | 'qs' | 'headers' | 'ifUnsure' | 'emptyAnswerOk'> = {},
): Promise<ApiResponse> {
	const url = joinUrl(await baseUrlOf(context, itemIndex), path);
	return await sendApiRequest(
		context,
		CITYPAY,
		{ method, url, ...options, policy: getRequestPolicy(context, itemIndex) },
		itemIndex,
	);
}

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
	const baseUrl = await baseUrlOf(context, itemIndex);
	const apiOrigin = parseHttpUrl(baseUrl)?.origin;
	let url = parseHttpUrl(fileUrl, joinUrl(baseUrl, ''));
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
			{ url: url.href, authenticated: url.origin === apiOrigin, policy: getRequestPolicy(context, itemIndex) },
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
