import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import { readInputBinaryFile } from './binaryInput';
import {
	MAX_TIMER_MS,
	TIMER_STOPPED,
	asBodySourceFailure,
	findBodySourceFailure,
	getRequestPolicy,
	headerValue,
	isTimeout,
	networkErrorCode,
	openUrlStream,
	parseHttpUrl,
	safeOrigin,
	transportFailureCode,
	wasDropped,
} from '../transport';
import type { FileRules } from './fileRules';
import { assertFileAllowed, fileExtension, formatBytes } from './fileRules';
import { GENERIC_MIME_TYPE, extensionsForMimeType, isGenericMimeType, mimeTypeFromFileName } from './mime';
import type { OpenedStream, RequestPolicy } from '../transport';
import { streamFrom } from './streams';

/** Redirects followed for one file URL, as browsers cap them too. */
export const MAX_URL_REDIRECTS = 5;

/** A file from a URL: its download is open, its body not yet read. */
export interface UrlFile extends UploadFile {
	url: string;
	/** Closes the download when the file is not (or no longer) being sent. */
	release(): void;
}

interface UrlFileSettings {
	/** The File Name option: the name to send instead of the one at the end of the URL. */
	fileName?: string;
	/** The MIME Type option: the type to send instead of the host's or the name's. */
	mimeType?: string;
	/** The API's rules: checked on what the host declares, and `maxBytes` again on every byte sent. */
	rules: FileRules;
	/** Checks the file before any byte is sent; `assertFileAllowed` with `rules` when left out. */
	check?: (file: UploadFile) => void;
}

/** Where a URL stands among several the user gave (1-based), for errors that must say which one failed. */
interface UrlPosition {
	index: number;
	count: number;
}

/**
 * Which of several File URLs an error is about: its position, and the URL without its query
 * (a signed link's secret lives there). Empty for a single URL: the host named is enough.
 */
function whichUrl(url: URL, position: UrlPosition | undefined): string {
	if (!position) return '';
	const shown = `${url.origin}${url.pathname}`;
	return `File URL ${position.index} of ${position.count} (${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown})`;
}

/** `which` as the end of a message: " for File URL 2 of 3 (…)", or nothing for a single URL. */
function forUrl(which: string): string {
	return which ? ` for ${which}` : '';
}

function fail(node: INode, itemIndex: number, message: string, description: string): NodeOperationError {
	const error = new NodeOperationError(node, `${message} on item ${itemIndex}`, { itemIndex, description });
	// n8n swaps a message naming a network code (ECONNREFUSED) for a generic one that names no host.
	error.message = `${message} on item ${itemIndex}`;
	return error;
}

/** The URL a user gave, refused with a fix when it cannot be fetched as a public file. */
export function parseFileUrl(node: INode, itemIndex: number, value: unknown, fieldName = 'File URL'): URL {
	const text = typeof value === 'string' ? value.trim() : '';
	const example = 'for example https://example.com/files/report.pdf';
	if (text === '') {
		throw fail(node, itemIndex, `${fieldName} is empty`, `Enter the http(s) URL of the file, ${example}.`);
	}
	const url = parseHttpUrl(text);
	if (!url) {
		throw fail(
			node,
			itemIndex,
			`${fieldName} "${text.slice(0, 100)}" is not an http(s) URL`,
			`Enter a full URL that starts with https:// or http://, ${example}.`,
		);
	}
	// n8n sends no credential to a file's host, not even one written into the URL.
	if (url.username !== '' || url.password !== '') {
		throw fail(
			node,
			itemIndex,
			`${fieldName} contains a user name or password`,
			'n8n sends no credentials to the host of a file. Use a public link or a pre-signed (temporary) link instead.',
		);
	}
	return url;
}

/** The last path segment of a URL, decoded; undefined when the path ends in a slash. */
function nameInUrl(url: URL): string | undefined {
	const segment = url.pathname.split('/').pop() ?? '';
	if (segment === '') return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** Size the host declared, when the body arrives as stored (not compressed). */
function declaredSize(headers: Record<string, unknown>): number | undefined {
	const encoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
	if (encoding && encoding !== 'identity') return undefined;
	const length = headerValue(headers, 'content-length')?.trim();
	return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

/**
 * The name and type to send: the File Name and MIME Type options, else the URL's name (first
 * the given, then the final one) and the host's Content-Type. A generic type (S3's
 * binary/octet-stream) says nothing, so the name decides.
 */
function describeFile(
	given: URL,
	final: URL,
	headers: Record<string, unknown>,
	options: { fileName?: string; mimeType?: string } = {},
) {
	const mimeTypeOption = options.mimeType?.trim() || undefined;
	const contentType = headerValue(headers, 'content-type')?.split(';')[0].trim().toLowerCase();
	const declaredType = mimeTypeOption ?? (contentType && !isGenericMimeType(contentType) ? contentType : undefined);
	const fromUrl = [nameInUrl(given), nameInUrl(final)];
	let fileName =
		options.fileName?.trim() || fromUrl.find((name) => name && fileExtension(name)) || fromUrl.find(Boolean) || 'file';
	// A name without extension (…/download?id=7) gets the one its type implies.
	const extension = declaredType ? extensionsForMimeType(declaredType)[0] : undefined;
	if (!fileExtension(fileName) && extension) fileName = `${fileName}.${extension}`;
	const mimeType = declaredType ?? mimeTypeFromFileName(fileName) ?? GENERIC_MIME_TYPE;
	return { fileName, mimeType, mimeTypeFromOption: mimeTypeOption !== undefined };
}

/** Why the host did not give the file, and what to do, by HTTP status. */
function hostStatusFix(statusCode: number): string {
	if (statusCode === 404 || statusCode === 410) {
		return 'There is no file at this URL. Check the File URL; a link that worked before may have expired, or the file was moved or deleted.';
	}
	if (statusCode === 401 || statusCode === 403) {
		return 'The host wants a login for this file. n8n sends no credentials to the host of a file: use a public link or a pre-signed (temporary) link.';
	}
	if (statusCode === 429 || statusCode >= 500) return 'The host is busy or failing. Try again later.';
	if (statusCode >= 300 && statusCode < 400) return 'The host answered with a redirect that names no new location. Check the File URL.';
	return 'Check the File URL: the host did not return the file.';
}

/** The error for a download that got no answer: names the file's host (never the API), from the error code only. */
function connectionError(node: INode, itemIndex: number, url: URL, which: string, policy: RequestPolicy, error: unknown): Error {
	const origin = url.origin;
	const named = error as { name?: unknown; description?: unknown };
	// n8n's SSRF protection refused the host: its own description says how an admin can allow it.
	if (typeof named.name === 'string' && named.name.startsWith('SsrfBlocked')) {
		return fail(node, itemIndex, `n8n blocked the download from ${origin}${forUrl(which)}`, String(named.description ?? ''));
	}
	const code = networkErrorCode(error) ?? 'unknown network error';
	if (isTimeout(code)) {
		return fail(
			node,
			itemIndex,
			`The file host ${origin} did not answer within ${policy.timeoutMs} ms (${code})${forUrl(which)}`,
			"The host of the File URL may be slow or down. Try again later, or raise Timeout in the node's Request Options.",
		);
	}
	return fail(
		node,
		itemIndex,
		`Could not download the file from ${origin} (${code})${forUrl(which)}`,
		'Check the File URL (its host name and port), and that n8n can reach that host.',
	);
}

/** GETs the URL without credential, following at most MAX_URL_REDIRECTS redirects; refuses any non-2xx answer. */
async function download(
	context: IExecuteFunctions,
	itemIndex: number,
	given: URL,
	which: string,
	policy: RequestPolicy,
): Promise<{ final: URL; response: OpenedStream }> {
	const node = context.getNode();
	let url = given;
	for (let redirects = 0; ; redirects++) {
		let response: OpenedStream;
		try {
			response = await openUrlStream(context, url.href, policy);
		} catch (error) {
			throw connectionError(node, itemIndex, url, which, policy, error);
		}
		const { statusCode, headers } = response;
		if (statusCode >= 200 && statusCode < 300) return { final: url, response };
		response.body.destroy();
		const location = headerValue(headers, 'location');
		if (statusCode >= 300 && statusCode < 400 && location !== undefined) {
			const next = parseHttpUrl(location, url.href);
			if (!next) {
				throw fail(node, itemIndex, `The file host ${url.origin} redirected to a URL that is not http(s)${forUrl(which)}`, 'Check the File URL.');
			}
			if (redirects >= MAX_URL_REDIRECTS) {
				throw fail(
					node,
					itemIndex,
					`${which || 'The File URL'} redirected more than ${MAX_URL_REDIRECTS} times`,
					`The last redirect came from ${url.origin}. Use the file's final URL, or check the host for a redirect loop.`,
				);
			}
			url = next;
			continue;
		}
		throw fail(node, itemIndex, `The file host ${url.origin} answered HTTP ${statusCode} for ${which || 'the File URL'}`, hostStatusFix(statusCode));
	}
}

/** How far an upload got in reading a file from its host: kept to tell who was slow when the upload fails. */
interface HostReading {
	received: number;
	/** The host sent all it declared: the upload carrying it got the whole file. */
	done: boolean;
	/** Time spent waiting for the host's next bytes, in waits that ended. */
	waitedMs: number;
	/** When the wait for the host under way began. */
	waitingSince?: number;
	timeoutMs: number;
	apiName: string;
	/** The error naming the host as too slow, for a failed upload whose own error would blame the API. */
	hostTooSlow(apiFailure?: string): Error;
	/** What the API got: an incomplete request, which it does not store. */
	stopped: string;
}

/** The reading of each file from a URL, once an upload has started reading it. */
const readings = new WeakMap<UploadFile, HostReading>();

function hostWaitMs(reading: HostReading, now = Date.now()): number {
	return reading.waitedMs + (reading.waitingSince === undefined ? 0 : now - reading.waitingSince);
}

/**
 * The download's bytes, counted as they pass: past the API's limit, broken off by the host,
 * or slower than Timeout (counting only the time spent waiting for the host, not for the API
 * to take the bytes), the stream fails with an error that says so, which also aborts the
 * upload carrying it (see `findBodySourceFailure` in ./request), so the API gets an incomplete
 * request and stores nothing, and the upload is not sent again.
 */
async function* countedBytes(
	node: INode,
	file: UploadFile & { url: string },
	body: OpenedStream['body'],
	rules: FileRules,
	policy: RequestPolicy,
	which: string,
): AsyncGenerator<Buffer> {
	const { itemIndex, size } = file;
	const host = safeOrigin(file.url);
	const { apiName, maxBytes } = rules;
	const stopped = `The upload to ${apiName} was stopped before it was complete: ${apiName} received an incomplete request, which it does not store, so nothing was uploaded.`;
	const reading: HostReading = {
		received: 0,
		done: false,
		waitedMs: 0,
		timeoutMs: policy.timeoutMs,
		apiName,
		stopped,
		hostTooSlow(apiFailure) {
			const arrived = `${reading.received}${size === undefined ? '' : ` of ${size}`} bytes`;
			const message =
				apiFailure === undefined
					? `The file host ${host} did not send the file within ${policy.timeoutMs} ms (${arrived} arrived)${forUrl(which)}`
					: `The file host ${host} sent the file too slowly: the upload to ${apiName} broke off (${apiFailure}) after ${arrived} arrived in ${hostWaitMs(reading)} ms${forUrl(which)}`;
			return asBodySourceFailure(
				fail(
					node,
					itemIndex,
					message,
					`${stopped} The host of the File URL may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.`,
				),
			);
		},
	};
	readings.set(file, reading);
	let stalled = false;
	const iterator = body[Symbol.asyncIterator]();
	/** The host's next bytes, within what is left of its Timeout. */
	const fromHost = async () => {
		reading.waitingSince = Date.now();
		// Bytes already buffered come at once: only a wait for the host needs a timer.
		const timer = (body as { readableLength?: number }).readableLength ? undefined : new AbortController();
		if (timer) {
			const left = Math.max(0, policy.timeoutMs - reading.waitedMs);
			void sleep(Math.min(left, MAX_TIMER_MS), timer.signal).then(
				() => {
					stalled = true;
					body.destroy(new Error('The file host did not send the file in time'));
				},
				// Stopped: the bytes came in time.
				() => undefined,
			);
		}
		try {
			return await iterator.next();
		} finally {
			timer?.abort(TIMER_STOPPED);
			reading.waitedMs = hostWaitMs(reading);
			reading.waitingSince = undefined;
		}
	};
	try {
		for (let next = await fromHost(); !next.done; next = await fromHost()) {
			const chunk = next.value;
			reading.received += chunk.length;
			if (maxBytes !== undefined && reading.received > maxBytes) {
				throw asBodySourceFailure(
					fail(
						node,
						itemIndex,
						`File "${file.fileName}" from ${host} is over ${apiName}'s limit of ${formatBytes(maxBytes)}${forUrl(which)}`,
						`${size === undefined ? 'The host did not state the size, so' : `The host declared ${size} bytes, but`} n8n counted more than ${maxBytes} bytes while sending. ${stopped} ${apiName} accepts files of at most ${formatBytes(maxBytes)}: use a smaller file.`,
					),
				);
			}
			yield chunk;
		}
	} catch (error) {
		if (stalled) throw reading.hostTooSlow();
		const alreadySaid = findBodySourceFailure(error);
		if (alreadySaid) throw alreadySaid;
		const code = networkErrorCode(error) ?? 'the connection closed';
		throw asBodySourceFailure(
			fail(
				node,
				itemIndex,
				`The download from ${host} broke off after ${reading.received}${size === undefined ? '' : ` of ${size}`} bytes (${code})${forUrl(which)}`,
				`${stopped} Check that the host of the File URL is reachable and try again.`,
			),
		);
	} finally {
		body.destroy();
	}
	const { received } = reading;
	if (received === 0 || (size !== undefined && received !== size)) {
		const what = received === 0 ? 'no bytes' : `${received} bytes, not the ${size} it declared`;
		throw asBodySourceFailure(
			fail(node, itemIndex, `The file host ${host} sent ${what}${forUrl(which)}`, `${stopped} Check the file behind the File URL.`),
		);
	}
	reading.done = true;
}

/**
 * The error for an upload that failed (a timeout, a broken connection) while a file from a
 * URL was still being read into it: the API got an incomplete request, so nothing was stored.
 * When most of the Timeout went waiting for the file's host, the host is named; otherwise the
 * API's own error stays, saying that nothing was stored instead of "may or may not".
 */
export function explainUnfinishedUpload(error: unknown, files: readonly UploadFile[]): unknown {
	const code = transportFailureCode(error);
	// Not a failure of the connection, or one that proves nothing left (refused): its own error is right.
	if (code === undefined || !wasDropped(code)) return error;
	const reading = files.map((file) => readings.get(file)).find((candidate) => candidate && !candidate.done);
	if (!reading) return error;
	if (hostWaitMs(reading) * 2 >= reading.timeoutMs) return reading.hostTooSlow(isTimeout(code) ? undefined : code);
	const apiError = error as Error & { description?: string };
	const { apiName } = reading;
	apiError.description = `${reading.stopped} ${
		isTimeout(code)
			? `${apiName} may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.`
			: `${apiName} or the network between closed the connection. Try again later.`
	}`;
	return apiError;
}

/**
 * Opens a file at a URL for upload: fetched through n8n's plain HTTP helper without any
 * credential, redirects followed a bounded number of times. Name, type and size come from
 * the host's answer and are checked before any byte is sent; the bytes then stream straight
 * into the upload (never held whole, never stored in n8n), counted against the API's limit.
 */
export async function openUrlFile(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	settings: UrlFileSettings,
	position?: UrlPosition,
): Promise<UrlFile> {
	const node = context.getNode();
	const given = parseFileUrl(node, itemIndex, value, position ? `File URL ${position.index} of ${position.count}` : undefined);
	const which = whichUrl(given, position);
	const policy = getRequestPolicy(context, itemIndex);
	const { rules } = settings;
	const { final, response } = await download(context, itemIndex, given, which, policy);
	// The download the upload reads: the one opened above, then one per further attempt.
	let current = response.body;
	let handedOut = false;

	const file: UrlFile = {
		itemIndex,
		url: given.href,
		...describeFile(given, final, response.headers, settings),
		size: declaredSize(response.headers),
		async open() {
			// A second open is a new attempt of the upload: fetch the file again.
			if (handedOut) {
				current.destroy();
				current = (await download(context, itemIndex, given, which, policy)).response.body;
			}
			handedOut = true;
			// Until this attempt reads it, no reading of an earlier attempt speaks for it.
			readings.delete(file);
			return streamFrom(countedBytes(node, file, current, rules, policy, which));
		},
		release() {
			current.destroy();
		},
	};
	let allowed = false;
	try {
		(settings.check ?? ((checked: UploadFile) => assertFileAllowed(node, checked, rules)))(file);
		allowed = true;
	} finally {
		// Refused before any byte is sent: the download is closed unread.
		if (!allowed) file.release();
	}
	return file;
}

/**
 * The file an upload operation sends, by its Input Type: the one in the Input Binary Field
 * (as before), or the one at the File URL. Either way `check` (the API's rules) has passed.
 */
export async function readInputFile(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UrlFileSettings,
): Promise<UploadFile> {
	const inputType = context.getNodeParameter('inputType', itemIndex, 'binary') as string;
	const check = settings.check ?? ((file: UploadFile) => assertFileAllowed(context.getNode(), file, settings.rules));
	if (inputType !== 'url') {
		const file = await readInputBinaryFile(context, itemIndex);
		check(file);
		return file;
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return await openUrlFile(context, itemIndex, context.getNodeParameter('fileUrl', itemIndex, ''), {
		...settings,
		fileName: options.fileName as string | undefined,
		mimeType: options.mimeType as string | undefined,
		check,
	});
}

/**
 * URLs from a parameter: a list, or text with the URLs separated by new lines, spaces or
 * commas. A comma splits only before the next http(s)://, so a URL that holds one stays whole.
 */
export function splitUrlList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,]+(?=https?:\/\/)/i);
	return parts.map((part) => part.trim().replace(/,+$/, '')).filter((part) => part !== '');
}

/** Opens several files at URLs (see `openUrlFile`); when one fails, the ones already open are closed. */
export async function openUrlFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	urls: string[],
	settings: UrlFileSettings,
): Promise<UrlFile[]> {
	// An empty list still goes through openUrlFile, which explains what to enter.
	const values = urls.length > 0 ? urls : [''];
	const files: UrlFile[] = [];
	try {
		for (const [index, url] of values.entries()) {
			// With several, each error says which one failed.
			const position = values.length > 1 ? { index: index + 1, count: values.length } : undefined;
			files.push(await openUrlFile(context, itemIndex, url, settings, position));
		}
	} finally {
		if (files.length < values.length) for (const file of files) file.release();
	}
	return files;
}

/** Reads the input file (see `readInputFile`), hands it to `send`, and closes its download whatever happens. */
export async function sendInputFile<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UrlFileSettings,
	send: (file: UploadFile) => Promise<T>,
): Promise<T> {
	const file = await readInputFile(context, itemIndex, settings);
	try {
		return await send(file);
	} catch (error) {
		throw explainUnfinishedUpload(error, [file]);
	} finally {
		file.release?.();
	}
}
