import type { IHttpRequestMethods } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { parseRetryAfter } from './answerHeaders';
import { DEFAULT_RETRY_DELAY_MS } from './requestOptions';

/**
 * Error codes that prove no byte of the request left: the connection never opened (refused,
 * no such host, no route). Safe to send again whatever the method.
 */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EAI_NONAME',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EHOSTDOWN',
	'ENETDOWN',
	'EADDRNOTAVAIL',
]);

/**
 * Error codes of a request refused before it left, for a reason another attempt does not
 * change: a TLS certificate or handshake the client rejected, a URL or header it cannot send.
 */
const REFUSED_BEFORE_SENDING_CODES = new Set([
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'HOSTNAME_MISMATCH',
	'ERR_INVALID_URL',
	'ERR_INVALID_PROTOCOL',
	'ERR_INVALID_CHAR',
	'ERR_INVALID_HTTP_TOKEN',
	'ERR_UNESCAPED_CHARACTERS',
	'ERR_HTTP_INVALID_HEADER_VALUE',
]);

/** TLS errors of the handshake (wrong protocol, alt name, version): before any byte of the request. */
const TLS_HANDSHAKE_CODE = /^ERR_(SSL|TLS)_/;

/** The code given to n8n's own errors, which carry none (a credential it could not apply). */
export const N8N_ERROR = 'n8n error';

/** An aborted request (a cancelled execution, a request body that closed early), or n8n's own error: not sent again. */
const NOT_RETRIED_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR', N8N_ERROR]);

/** Codes of a request that ran out of time (the client gave up waiting). */
const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

function refusedBeforeSending(code: string): boolean {
	return REFUSED_BEFORE_SENDING_CODES.has(code) || TLS_HANDSHAKE_CODE.test(code);
}

const IDEMPOTENT_METHODS: readonly IHttpRequestMethods[] = ['GET', 'HEAD', 'PUT', 'DELETE'];

/** Statuses that say the server did nothing with the request: safe to send again whatever the method. */
const NOTHING_DONE_STATUSES = [429, 503];

/** Statuses after which only a request that can be repeated without harm is sent again. */
const IDEMPOTENT_RETRY_STATUSES = [500, 502, 504];

/**
 * The longest the node waits in one go: before a retry, and in a pause of the request window
 * (./requestWindow). A longer wait the API asks for (Retry-After, rate-limit headers) is not
 * waited out at all: the item fails at once, its error saying when to try again.
 */
export const MAX_WAIT_MS = 60_000;

export type AttemptOutcome =
	| { kind: 'status'; statusCode: number; retryAfter?: string }
	| { kind: 'network'; code: string };

/** Whether the API asked for fewer requests (429, 503): the whole node run backs off, see ./requestWindow. */
export function isThrottled(outcome: AttemptOutcome): outcome is Extract<AttemptOutcome, { kind: 'status' }> {
	return outcome.kind === 'status' && NOTHING_DONE_STATUSES.includes(outcome.statusCode);
}

export function isIdempotent(method: IHttpRequestMethods): boolean {
	return IDEMPOTENT_METHODS.includes(method);
}

export function isTimeout(code: string): boolean {
	return TIMEOUT_CODES.has(code);
}

/**
 * Whether the request may have left: every failure except those that prove nothing was
 * sent. A reset, a timeout, an answer cut off or unreadable (HTTP parse errors), and any code
 * not known here all count, so a request with an effect is reported as "may or may not".
 */
export function wasDropped(code: string): boolean {
	return !NOT_SENT_CODES.has(code) && !refusedBeforeSending(code);
}

/**
 * Whether another attempt is safe: only when the failed one surely had no effect
 * (429, 503, a connection that never opened), or the request is idempotent. A request
 * refused before sending (a certificate, a bad URL) fails the same way again, and an
 * aborted one is not sent again.
 */
export function shouldRetry(method: IHttpRequestMethods, outcome: AttemptOutcome): boolean {
	if (outcome.kind === 'status') {
		if (NOTHING_DONE_STATUSES.includes(outcome.statusCode)) return true;
		return isIdempotent(method) && IDEMPOTENT_RETRY_STATUSES.includes(outcome.statusCode);
	}
	if (NOT_SENT_CODES.has(outcome.code)) return true;
	if (NOT_RETRIED_CODES.has(outcome.code)) return false;
	return isIdempotent(method) && wasDropped(outcome.code);
}

export interface BackoffOptions {
	/** 0-based index of the retry about to happen. */
	retry: number;
	retryAfterMs?: number;
	baseMs?: number;
	capMs?: number;
	/** A number in [0, 1); Math.random by default. */
	random?: () => number;
}

/**
 * Delay before a retry: the server's Retry-After when given (capped), else exponential
 * back-off with jitter (between half and all of the step), so that many items retrying
 * at once do not stampede.
 */
export function backoffDelay({
	retry,
	retryAfterMs,
	baseMs = DEFAULT_RETRY_DELAY_MS,
	capMs = MAX_WAIT_MS,
	random = Math.random,
}: BackoffOptions): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, capMs);
	const ceiling = Math.min(capMs, baseMs * 2 ** retry);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * One attempt's result: a value, or a failure classified for the retry decision. `keptRefusing`:
 * the API kept answering 429 or 503 to this node run (./requestWindow), so no retry follows.
 */
export type AttemptResult<T> =
	| { ok: true; value: T }
	| { ok: false; outcome: AttemptOutcome; error: unknown; keptRefusing?: boolean };

export interface RetryOptions {
	method: IHttpRequestMethods;
	maxRetries: number;
	/** Whether the request can be sent again at all (a streamed body without a factory cannot). */
	replayable: boolean;
	baseDelayMs?: number;
	/** The longest wait before a retry; a longer Retry-After ends the retries. MAX_WAIT_MS by default. */
	capDelayMs?: number;
	/** The execution's cancel signal: no retry starts, and no wait goes on, once it fires. */
	signal?: AbortSignal;
	/** How to wait; n8n-workflow's `sleep` by default. */
	wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
	random?: () => number;
}

export type RetryResult<T> =
	| { ok: true; value: T; attempts: number }
	| { ok: false; outcome: AttemptOutcome; error: unknown; attempts: number; cancelled: boolean; keptRefusing?: boolean };

/**
 * Runs `attempt` until it succeeds, fails in a way that must not be retried, runs out of
 * retries, is asked to wait longer than the cap, or the execution is cancelled. The last
 * failure comes back for the caller to turn into an error; nothing is thrown from here
 * except by `attempt` itself.
 */
export async function runWithRetries<T>(
	attempt: (attemptNumber: number) => Promise<AttemptResult<T>>,
	options: RetryOptions,
): Promise<RetryResult<T>> {
	const { method, maxRetries, replayable, signal, wait = sleep, capDelayMs = MAX_WAIT_MS } = options;
	for (let attemptNumber = 1; ; attemptNumber++) {
		const result = await attempt(attemptNumber);
		if (result.ok) return { ...result, attempts: attemptNumber };
		const { outcome, error, keptRefusing } = result;
		const failed = { ok: false as const, outcome, error, attempts: attemptNumber, ...(keptRefusing ? { keptRefusing } : {}) };
		if (signal?.aborted) return { ...failed, cancelled: true };
		const retriesUsed = attemptNumber - 1;
		if (keptRefusing || !replayable || retriesUsed >= maxRetries || !shouldRetry(method, outcome)) {
			return { ...failed, cancelled: false };
		}
		const retryAfterMs = outcome.kind === 'status' ? parseRetryAfter(outcome.retryAfter) : undefined;
		if (retryAfterMs !== undefined && retryAfterMs > capDelayMs) return { ...failed, cancelled: false };
		const delay = backoffDelay({
			retry: retriesUsed,
			retryAfterMs,
			baseMs: options.baseDelayMs,
			capMs: capDelayMs,
			random: options.random,
		});
		try {
			await wait(delay, signal);
		} catch {
			// The wait only fails when the signal fires: the execution was cancelled.
			return { ...failed, cancelled: true };
		}
		if (signal?.aborted) return { ...failed, cancelled: true };
	}
}
