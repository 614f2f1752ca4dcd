import { headerValue } from './answerHeaders';
import { isStream } from './bodies';
import { parseHttpUrl } from './urls';

/** Redirects followed for one file, as browsers cap them too. */
export const MAX_REDIRECTS = 5;

/** What a redirect walk needs of an answer: its status, its Location, and a body to drop when it only redirects. */
export interface HopAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body?: unknown;
}

/** What differs between walks: how one hop is fetched (with which credential), and how a bad redirect is worded. */
export interface RedirectWalk<Answer extends HopAnswer> {
	openHop(url: URL): Promise<Answer>;
	/** The error for a redirect from `from` to a URL that is not http(s). */
	notHttp(from: URL): Error;
	/** The error for a redirect past MAX_REDIRECTS; `from` sent the last one. */
	tooManyRedirects(from: URL): Error;
}

/** Where a redirect points: a 3xx with a Location; undefined for any other answer. */
function redirectLocation(answer: HopAnswer): string | undefined {
	if (answer.statusCode < 300 || answer.statusCode >= 400) return undefined;
	return headerValue(answer.headers, 'location');
}

/**
 * Follows redirects one hop at a time, so each hop's URL decides what goes along with it
 * (the caller's `openHop`); refuses a redirect to anything but http(s), and more than
 * MAX_REDIRECTS. Returns the first answer that is not a redirect, and the URL that gave it.
 */
export async function followRedirects<Answer extends HopAnswer>(
	start: URL,
	walk: RedirectWalk<Answer>,
): Promise<{ final: URL; answer: Answer }> {
	let url = start;
	for (let redirects = 0; ; redirects++) {
		const answer = await walk.openHop(url);
		const location = redirectLocation(answer);
		if (location === undefined) return { final: url, answer };
		// A redirect's own body is not wanted: release the connection.
		if (isStream(answer.body)) answer.body.destroy?.();
		const next = parseHttpUrl(location, url.href);
		if (!next) throw walk.notHttp(url);
		if (redirects >= MAX_REDIRECTS) throw walk.tooManyRedirects(url);
		url = next;
	}
}
