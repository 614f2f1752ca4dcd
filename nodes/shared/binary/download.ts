import type { IBinaryData, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	describeRefusalWith,
	isStream,
	isTimeout,
	joinUrl,
	networkErrorCode,
	parseHttpUrl,
	sendFileRequest,
} from '../transport';
import { isGenericMimeType } from './mime';
import type { ApiTarget, RequestPolicy } from '../transport';
import { streamFrom } from './streams';

/** Redirects followed for one download, as browsers cap them too. */
const MAX_DOWNLOAD_REDIRECTS = 5;

/**
 * Who answers for a file's bytes: a file server (the API's own host or another), worded as
 * such, with `whenGone` as the fix for 403, 404 and 410 (an expired or removed file).
 */
export function fileServerTarget(
	apiName: string,
	credentialType: string,
	whenGone: string,
	secretFields: readonly string[],
): ApiTarget {
	return {
		apiName,
		credentialType,
		secretFields,
		describeRefusal: describeRefusalWith({
			apiName: 'The file server',
			errorMessage: ['message', 'error'],
			fallbackMessage: (statusCode) => `The file server answered HTTP ${statusCode} for the attachment file`,
			fixes: { 403: whenGone, 404: whenGone, 410: whenGone },
		}),
	};
}

/** A vendor's download of a file URL it handed out: with the Base URL and Request Options of the item's session. */
export function fileDownloader(
	client: { session(context: IExecuteFunctions, itemIndex: number): Promise<{ credentials: { baseUrl: string }; policy: RequestPolicy }> },
	files: ApiTarget,
) {
	return async (context: IExecuteFunctions, itemIndex: number, fileUrl: string, naming: DownloadNaming = {}): Promise<IBinaryData> => {
		const { credentials, policy } = await client.session(context, itemIndex);
		return await downloadToBinary(context, itemIndex, { files, baseUrl: credentials.baseUrl, policy }, fileUrl, naming);
	};
}

/** Where a download starts from: the API whose credential may go along, and only to its own origin. */
export interface DownloadSource {
	/** Who answers for the file bytes (its refusal wording) and which credential authenticates. */
	files: ApiTarget;
	/** The credential's Base URL: its origin is the only one the credential is sent to. */
	baseUrl: string;
	policy: RequestPolicy;
}

/** What a binary field is built from; the name and type fall back to the URL and the server's Content-Type. */
export interface DownloadNaming {
	fileName?: string;
	mimeType?: string;
}

type BinaryStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** The last segment of a URL's path, decoded: a file name when the API gave none. */
function lastPathSegment(url: string): string | undefined {
	try {
		const segment = new URL(url).pathname.split('/').pop();
		return segment ? decodeURIComponent(segment) : undefined;
	} catch {
		return undefined;
	}
}

/** The server's Content-Type, unless it is generic (binary/octet-stream): then n8n goes by the file name. */
function contentTypeOf(headers: Record<string, unknown>): string | undefined {
	const value = headers['content-type'];
	const type = typeof value === 'string' ? value.split(';')[0].trim() : '';
	return type !== '' && !isGenericMimeType(type) ? type : undefined;
}

/** How far a download's body got: its bytes as they pass, and the failure that ended it early. */
interface BodyProgress {
	received: number;
	failure?: unknown;
}

/** The body's bytes, counted as they pass into binary data; the error it fails with is kept to be explained. */
async function* countedBody(body: AsyncIterable<unknown> & { destroy?: () => void }, progress: BodyProgress): AsyncGenerator<Buffer> {
	(body as { once?: (event: 'error', listener: (error: unknown) => void) => unknown }).once?.('error', (error) => {
		progress.failure = error;
	});
	try {
		for await (const chunk of body) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			progress.received += bytes.length;
			yield bytes;
		}
	} finally {
		body.destroy?.();
	}
}

/** The error for a download whose body stopped early: which host, what happened, and that n8n kept nothing. */
function brokenDownloadError(node: INode, itemIndex: number, origin: string, progress: BodyProgress, timeoutMs: number) {
	const code = networkErrorCode(progress.failure) ?? 'connection closed';
	const [message, fix] = isTimeout(code)
		? [
				`The file server at ${origin} did not finish sending the file within ${timeoutMs} ms (${progress.received} bytes arrived)`,
				"The file server may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.",
			]
		: [
				`The download from ${origin} broke off after ${progress.received} bytes (${code})`,
				'The file server or the network between closed the connection. Try again later.',
			];
	const error = new NodeOperationError(node, `${message} on item ${itemIndex}`, {
		itemIndex,
		description: `Nothing was stored in n8n. ${fix}`,
	});
	// n8n swaps a message naming a network code for a generic one that names no host.
	error.message = `${message} on item ${itemIndex}`;
	return error;
}

/**
 * Downloads a file an API handed out by URL straight into n8n's binary data, streamed: no
 * byte of it is held in memory here. The credential goes only to the API's own origin
 * (the credential's Base URL): a file on another host, or a redirect to one, is fetched
 * without it. Redirects are followed one hop at a time, at most MAX_DOWNLOAD_REDIRECTS.
 */
export async function downloadToBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	source: DownloadSource,
	fileUrl: string,
	naming: DownloadNaming = {},
): Promise<IBinaryData> {
	const { files, baseUrl, policy } = source;
	const apiOrigin = parseHttpUrl(baseUrl)?.origin;
	let url = parseHttpUrl(fileUrl, joinUrl(baseUrl, ''));
	if (!url) {
		throw new NodeOperationError(context.getNode(), `${files.apiName} gave a file URL that is not http(s) on item ${itemIndex}`, {
			itemIndex,
			description: `The file URL is "${fileUrl.slice(0, 200)}". Only http(s) files can be downloaded.`,
		});
	}

	for (let redirects = 0; ; redirects++) {
		const response = await sendFileRequest(
			context,
			files,
			{ url: url.href, authenticated: url.origin === apiOrigin, policy },
			itemIndex,
		);
		const location = response.headers.location;
		const isRedirect = response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string';
		if (!isRedirect) {
			if (!isStream(response.body)) {
				throw new NodeOperationError(context.getNode(), `The file server sent no file on item ${itemIndex}`, {
					itemIndex,
					description: `The answer for ${url.origin} had no body. Check the file URL in ${files.apiName}.`,
				});
			}
			const progress: BodyProgress = { received: 0 };
			try {
				return await context.helpers.prepareBinaryData(
					streamFrom(countedBody(response.body, progress)) as BinaryStream,
					naming.fileName || lastPathSegment(url.href) || 'attachment',
					naming.mimeType || contentTypeOf(response.headers),
				);
			} catch (error) {
				// Bytes as they arrived, after any decompression: no Content-Length to compare them with.
				if (progress.failure !== undefined) throw brokenDownloadError(context.getNode(), itemIndex, url.origin, progress, policy.timeoutMs);
				// A failure of the store itself, not of the download.
				throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			}
		}
		// A redirect's own body is not wanted: release the connection.
		if (isStream(response.body)) response.body.destroy?.();
		const next = parseHttpUrl(location, url.href);
		if (!next || redirects >= MAX_DOWNLOAD_REDIRECTS) {
			throw new NodeOperationError(context.getNode(), `The file could not be downloaded on item ${itemIndex}`, {
				itemIndex,
				description: next
					? `The file server redirected more than ${MAX_DOWNLOAD_REDIRECTS} times. Check the file URL in ${files.apiName}.`
					: 'The file server redirected to a URL that is not http(s).',
			});
		}
		url = next;
	}
}
