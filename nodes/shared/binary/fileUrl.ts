import type { INode } from 'n8n-workflow';

import { itemError, parseHttpUrl } from '../transport';

/** Where a URL stands among several the user gave (1-based), for errors that must say which one failed. */
export interface UrlPosition {
	index: number;
	count: number;
}

/**
 * Which of several File URLs an error is about: its position, and the URL without its query
 * (a signed link's secret lives there). Empty for a single URL: the host named is enough.
 */
export function whichUrl(url: URL, position: UrlPosition | undefined): string {
	if (!position) return '';
	const shown = `${url.origin}${url.pathname}`;
	return `File URL ${position.index} of ${position.count} (${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown})`;
}

/** `which` as the end of a message: " for File URL 2 of 3 (…)", or nothing for a single URL. */
export function forUrl(which: string): string {
	return which ? ` for ${which}` : '';
}

/** The URL a user gave, refused with a fix when it cannot be fetched as a public file. */
export function parseFileUrl(node: INode, itemIndex: number, value: unknown, fieldName = 'File URL'): URL {
	const text = typeof value === 'string' ? value.trim() : '';
	const example = 'for example https://example.com/files/report.pdf';
	if (text === '') {
		throw itemError(node, itemIndex, `${fieldName} is empty`, `Enter the http(s) URL of the file, ${example}.`);
	}
	const url = parseHttpUrl(text);
	if (!url) {
		throw itemError(
			node,
			itemIndex,
			`${fieldName} "${text.slice(0, 100)}" is not an http(s) URL`,
			`Enter a full URL that starts with https:// or http://, ${example}.`,
		);
	}
	// n8n sends no credential to a file's host, not even one written into the URL.
	if (url.username !== '' || url.password !== '') {
		throw itemError(
			node,
			itemIndex,
			`${fieldName} contains a user name or password`,
			'n8n sends no credentials to the host of a file. Use a public link or a pre-signed (temporary) link instead.',
		);
	}
	return url;
}

/**
 * The last segment of a URL's path, decoded: a file's name when nothing else names it.
 * Undefined when the path ends in a slash; kept as written when its percent-encoding is
 * broken, since that still names the file better than a made-up name.
 */
export function fileNameInUrl(url: URL): string | undefined {
	const segment = url.pathname.split('/').pop() ?? '';
	if (segment === '') return undefined;
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * URLs from a parameter: a list, or text with the URLs separated by new lines, spaces or
 * commas. A comma splits only before the next http(s)://, so a URL that holds one stays whole.
 */
export function splitUrlList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,]+(?=https?:\/\/)/i);
	return parts.map((part) => part.trim().replace(/,+$/, '')).filter((part) => part !== '');
}
