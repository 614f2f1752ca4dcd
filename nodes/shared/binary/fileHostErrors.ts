import type { INode } from 'n8n-workflow';

import { forUrl } from './fileUrl';
import { MAX_REDIRECTS, isTimeout, itemError, networkErrorCode } from '../transport';
import type { RequestPolicy } from '../transport';

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

/** The error for a file host that answered, but not with the file. */
export function hostStatusError(node: INode, itemIndex: number, url: URL, which: string, statusCode: number): Error {
	return itemError(node, itemIndex, `The file host ${url.origin} answered HTTP ${statusCode} for ${which || 'the File URL'}`, hostStatusFix(statusCode));
}

/** The error for a download that got no answer: names the file's host (never the API), from the error code only. */
export function hostConnectionError(node: INode, itemIndex: number, url: URL, which: string, policy: RequestPolicy, error: unknown): Error {
	const origin = url.origin;
	const named = error as { name?: unknown; description?: unknown };
	// n8n's SSRF protection refused the host: its own description says how an admin can allow it.
	if (typeof named.name === 'string' && named.name.startsWith('SsrfBlocked')) {
		return itemError(node, itemIndex, `n8n blocked the download from ${origin}${forUrl(which)}`, String(named.description ?? ''));
	}
	const code = networkErrorCode(error) ?? 'unknown network error';
	if (isTimeout(code)) {
		return itemError(
			node,
			itemIndex,
			`The file host ${origin} did not answer within ${policy.timeoutMs} ms (${code})${forUrl(which)}`,
			"The host of the File URL may be slow or down. Try again later, or raise Timeout in the node's Request Options.",
		);
	}
	return itemError(
		node,
		itemIndex,
		`Could not download the file from ${origin} (${code})${forUrl(which)}`,
		'Check the File URL (its host name and port), and that n8n can reach that host.',
	);
}

/** The error for a file host that redirected to something other than http(s). */
export function hostRedirectNotHttpError(node: INode, itemIndex: number, from: URL, which: string): Error {
	return itemError(node, itemIndex, `The file host ${from.origin} redirected to a URL that is not http(s)${forUrl(which)}`, 'Check the File URL.');
}

/** The error for a File URL that redirected past MAX_REDIRECTS; `from` sent the last redirect. */
export function hostTooManyRedirectsError(node: INode, itemIndex: number, from: URL, which: string): Error {
	return itemError(
		node,
		itemIndex,
		`${which || 'The File URL'} redirected more than ${MAX_REDIRECTS} times`,
		`The last redirect came from ${from.origin}. Use the file's final URL, or check the host for a redirect loop.`,
	);
}
