import type { IBinaryData, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BodyProgress } from './byteCounting';
import { countedDownloadBytes } from './byteCounting';
import { fileNameInUrl } from './fileUrl';
import { isGenericMimeType } from './mime';
import { streamFrom } from './streams';
import {
	MAX_REDIRECTS,
	describeRefusalWith,
	followRedirects,
	isStream,
	isTimeout,
	itemError,
	joinUrl,
	networkErrorCode,
	parseHttpUrl,
	sendFileRequest,
} from '../transport';
import type { ApiClient, ApiResponse, ApiTarget, RequestPolicy } from '../transport';

/** Where a download starts from: the API whose credential may go along, and only to its own origin. */
interface DownloadSource {
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

/** The server's Content-Type, unless it is generic (binary/octet-stream): then n8n goes by the file name. */
function contentTypeOf(headers: Record<string, unknown>): string | undefined {
	const value = headers['content-type'];
	const type = typeof value === 'string' ? value.split(';')[0].trim() : '';
	return type !== '' && !isGenericMimeType(type) ? type : undefined;
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
	return itemError(node, itemIndex, message, `Nothing was stored in n8n. ${fix}`);
}

/** The file URL an API gave, resolved against its Base URL; refused unless http(s). */
function apiFileUrl(node: INode, itemIndex: number, source: DownloadSource, fileUrl: string): URL {
	const url = parseHttpUrl(fileUrl, joinUrl(source.baseUrl, ''));
	if (!url) {
		throw itemError(
			node,
			itemIndex,
			`${source.files.apiName} gave a file URL that is not http(s)`,
			`The file URL is "${fileUrl.slice(0, 200)}". Only http(s) files can be downloaded.`,
		);
	}
	return url;
}

/** Streams the body of a download's final answer into n8n's binary data, named by `naming`, else the URL and Content-Type. */
async function storeDownload(
	context: IExecuteFunctions,
	itemIndex: number,
	source: DownloadSource,
	final: { url: URL; answer: ApiResponse },
	naming: DownloadNaming,
): Promise<IBinaryData> {
	const { url, answer } = final;
	if (!isStream(answer.body)) {
		throw itemError(
			context.getNode(),
			itemIndex,
			'The file server sent no file',
			`The answer for ${url.origin} had no body. Check the file URL in ${source.files.apiName}.`,
		);
	}
	const progress: BodyProgress = { received: 0 };
	try {
		return await context.helpers.prepareBinaryData(
			streamFrom(countedDownloadBytes(answer.body, progress)) as BinaryStream,
			naming.fileName || fileNameInUrl(url) || 'attachment',
			naming.mimeType || contentTypeOf(answer.headers),
		);
	} catch (error) {
		// Bytes as they arrived, after any decompression: no Content-Length to compare them with.
		if (progress.failure !== undefined) {
			throw brokenDownloadError(context.getNode(), itemIndex, url.origin, progress, source.policy.timeoutMs);
		}
		// A failure of the store itself, not of the download.
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}

/**
 * Downloads a file an API handed out by URL straight into n8n's binary data, streamed: no
 * byte of it is held in memory here. The credential goes only to the API's own origin
 * (the credential's Base URL): a file on another host, or a redirect to one, is fetched
 * without it, which is why redirects are followed one hop at a time (see followRedirects).
 */
async function downloadToBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	source: DownloadSource,
	fileUrl: string,
	naming: DownloadNaming = {},
): Promise<IBinaryData> {
	const { files, policy } = source;
	const node = context.getNode();
	const apiOrigin = parseHttpUrl(source.baseUrl)?.origin;
	const notDownloaded = (fix: string) => itemError(node, itemIndex, 'The file could not be downloaded', fix);
	const { final, answer } = await followRedirects(apiFileUrl(node, itemIndex, source, fileUrl), {
		openHop: async (url) =>
			await sendFileRequest(context, files, { url: url.href, authenticated: url.origin === apiOrigin, policy }, itemIndex),
		notHttp: () => notDownloaded('The file server redirected to a URL that is not http(s).'),
		tooManyRedirects: () =>
			notDownloaded(`The file server redirected more than ${MAX_REDIRECTS} times. Check the file URL in ${files.apiName}.`),
	});
	return await storeDownload(context, itemIndex, source, { url: final, answer }, naming);
}

/**
 * Who answers for a file's bytes: a file server (the API's own host or another), worded as
 * such, with `whenGone` as the fix for 403, 404 and 410 (an expired or removed file).
 */
function fileServerTarget(client: ApiClient<{ baseUrl: string }>, whenGone: string): ApiTarget {
	const { apiName, secretFields } = client.credentialRules;
	return {
		apiName,
		credentialType: client.credentialType,
		secretFields,
		describeRefusal: describeRefusalWith({
			apiName: 'The file server',
			errorMessage: ['message', 'error'],
			fallbackMessage: (statusCode) => `The file server answered HTTP ${statusCode} for the attachment file`,
			fixes: { 403: whenGone, 404: whenGone, 410: whenGone },
		}),
	};
}

/** Downloads a file URL an API handed out into binary data, stored under `naming`. */
export type FileDownload = (context: IExecuteFunctions, itemIndex: number, fileUrl: string, naming?: DownloadNaming) => Promise<IBinaryData>;

/**
 * The download of the file URLs an API hands out: with the Base URL and Request Options of
 * the item's session, and the credential sent only to the credential's own origin (a file on
 * another host, or a redirect to one, is fetched without it). `whenGone` is the fix for a
 * file the file server no longer has (403, 404, 410).
 */
export function apiFileDownload<Credentials extends { baseUrl: string }>(
	client: ApiClient<Credentials>,
	whenGone: string,
): FileDownload {
	const files = fileServerTarget(client, whenGone);
	return async (context, itemIndex, fileUrl, naming = {}) => {
		const { credentials, policy } = await client.session(context, itemIndex);
		return await downloadToBinary(context, itemIndex, { files, baseUrl: credentials.baseUrl, policy }, fileUrl, naming);
	};
}
