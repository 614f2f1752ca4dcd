// URLs and request paths: joining a Base URL and a path, reading http(s) URLs, naming an origin.

/**
 * Why a (trimmed) ID cannot be one segment of a request path, or undefined. Encoded with
 * encodeURIComponent, any other ID is one segment; dots are not encoded, so "." and ".."
 * would address the route itself or the one above it.
 */
export function pathIdProblem(id: string): string | undefined {
	if (id === '') return 'is empty';
	if (id === '.' || id === '..') return `"${id}" is not a valid ID`;
	return undefined;
}

/**
 * Joins a credential's base URL (spaces around it trimmed) and an API path under the base's
 * own path (`…/v1` + `/attachments` → `…/v1/attachments`), without doubling or dropping
 * slashes. The URL API does the joining, so the path stays a path whatever it holds.
 */
export function joinUrl(baseUrl: string, path: string): string {
	const base = baseUrl.trim();
	const relative = path.replace(/^\/+/, '');
	let url: URL;
	try {
		url = new URL(base);
	} catch {
		// Not a URL: the credential checks refuse it before any request; joined as text for their messages.
		return `${base.replace(/\/+$/, '')}/${relative}`;
	}
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${relative}`;
	return url.href;
}

/** The value as an http(s) URL (resolved against `base` when given), or undefined for anything else. */
export function parseHttpUrl(value: string, base?: string): URL | undefined {
	try {
		const url = new URL(value, base);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a value is an absolute http(s) URL, the only kind the APIs fetch or accept. */
export function isHttpUrl(value: string): boolean {
	return parseHttpUrl(value) !== undefined;
}

/** Scheme, host and port of a URL, without path, query or user info. */
export function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
}
