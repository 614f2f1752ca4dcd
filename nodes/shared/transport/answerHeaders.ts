// Reading an answer's headers: any header's value, and the wait an API asks for before the next request.

/** A header's value as text, whatever form the HTTP client gave it in (a list: its first value). */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const trimmed = String(value).trim();
	if (trimmed === '') return undefined;
	// Too many digits for a number: a wait past any cap, not an unreadable header.
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(Math.round(Number(trimmed) * 1000), Number.MAX_SAFE_INTEGER);
	// HTTP dates name a weekday and a month; a bare number was handled above.
	if (!/[a-z]/i.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A wait the API's rate-limit headers ask for when it sent no Retry-After: with
 * `X-RateLimit-Remaining: 0`, the window of `X-RateLimit-Interval-Milliseconds` (Leadway,
 * LeadConnector API docs). Given in Retry-After's form (seconds), so every cap on a wait
 * applies to both alike.
 */
export function rateLimitRetryAfter(header: (name: string) => string | undefined): string | undefined {
	if (header('x-ratelimit-remaining')?.trim() !== '0') return undefined;
	const intervalMs = header('x-ratelimit-interval-milliseconds')?.trim() ?? '';
	return /^\d+$/.test(intervalMs) ? String(Number(intervalMs) / 1000) : undefined;
}

/**
 * The wait an answer asks for, in Retry-After's form: its Retry-After, else what its rate-limit
 * headers say. The one reader of these headers; `parseRetryAfter` turns the result into milliseconds.
 */
export function waitAskedFor(headers: Record<string, unknown> | undefined): string | undefined {
	return headerValue(headers, 'retry-after') ?? rateLimitRetryAfter((name) => headerValue(headers, name));
}
