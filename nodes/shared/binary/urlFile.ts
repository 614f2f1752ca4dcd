import type { IExecuteFunctions, INode } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import { countedUrlFileBytes } from './byteCounting';
import { hostConnectionError, hostRedirectNotHttpError, hostStatusError, hostTooManyRedirectsError } from './fileHostErrors';
import type { FileRules } from './fileRules';
import { assertFileAllowed } from './fileRules';
import type { UrlPosition } from './fileUrl';
import { parseFileUrl, whichUrl } from './fileUrl';
import { forgetHostReading } from './hostReading';
import { streamFrom } from './streams';
import type { UrlFileNaming } from './urlFileDescription';
import { describeUrlFile } from './urlFileDescription';
import { followRedirects, getRequestPolicy, openUrlStream } from '../transport';
import type { OpenedStream, RequestPolicy } from '../transport';

/** A file from a URL: its download is open, its body not yet read. */
export interface UrlFile extends UploadFile {
	url: string;
	/** Closes the download when the file is not (or no longer) being sent. */
	release(): void;
}

export interface UrlFileSettings extends UrlFileNaming {
	/** The API's rules: checked on what the host declares, and `maxBytes` again on every byte sent. */
	rules: FileRules;
	/** Checks the file before any byte is sent; `assertFileAllowed` with `rules` when left out. */
	check?: (file: UploadFile) => void;
}

/** Checks a file before any byte of it is sent: `settings.check`, else the API's rules. */
export function checkFileAllowed(node: INode, file: UploadFile, settings: UrlFileSettings): void {
	if (settings.check) settings.check(file);
	else assertFileAllowed(node, file, settings.rules);
}

/** GETs the URL without credential, following redirects (see followRedirects); refuses any non-2xx answer. */
async function downloadFromHost(
	context: IExecuteFunctions,
	itemIndex: number,
	given: URL,
	which: string,
	policy: RequestPolicy,
): Promise<{ final: URL; response: OpenedStream }> {
	const node = context.getNode();
	const { final, answer } = await followRedirects(given, {
		async openHop(url) {
			try {
				return await openUrlStream(context, url.href, policy);
			} catch (error) {
				throw hostConnectionError(node, itemIndex, url, which, policy, error);
			}
		},
		notHttp: (from) => hostRedirectNotHttpError(node, itemIndex, from, which),
		tooManyRedirects: (from) => hostTooManyRedirectsError(node, itemIndex, from, which),
	});
	if (answer.statusCode >= 200 && answer.statusCode < 300) return { final, response: answer };
	answer.body.destroy();
	throw hostStatusError(node, itemIndex, final, which, answer.statusCode);
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
	const { final, response } = await downloadFromHost(context, itemIndex, given, which, policy);
	// The download the upload reads: the one opened above, then one per further attempt.
	let current = response.body;
	let handedOut = false;

	const file: UrlFile = {
		itemIndex,
		url: given.href,
		...describeUrlFile(given, final, response.headers, settings),
		async open() {
			// A second open is a new attempt of the upload: fetch the file again.
			if (handedOut) {
				current.destroy();
				current = (await downloadFromHost(context, itemIndex, given, which, policy)).response.body;
			}
			handedOut = true;
			forgetHostReading(file);
			return streamFrom(countedUrlFileBytes(node, file, current, rules, policy, which));
		},
		release() {
			current.destroy();
		},
	};
	let allowed = false;
	try {
		checkFileAllowed(node, file, settings);
		allowed = true;
	} finally {
		// Refused before any byte is sent: the download is closed unread.
		if (!allowed) file.release();
	}
	return file;
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
