import type { IHttpRequestMethods, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parseRetryAfter } from './answerHeaders';
import { MAX_WAIT_MS, isIdempotent, isThrottled, isTimeout, wasDropped } from './retry';
import { safeOrigin } from './urls';

/** How one API words a refusal: its own message, and what the user can do about it. */
export interface ApiRefusal {
	message: string;
	description: string;
}

export type DescribeRefusal = (statusCode: number, body: unknown) => ApiRefusal;

/** A generic fix for a status, for APIs that say no more than their message. */
export function defaultFixForStatus(statusCode: number, apiName: string): string {
	if (statusCode === 401 || statusCode === 403) {
		return `Check the ${apiName} credential: the key or token may be wrong, expired or lack access.`;
	}
	if (statusCode === 404) return 'Check the IDs in the node parameters: the record was not found.';
	if (statusCode === 413) return `The file is larger than ${apiName} accepts. Send a smaller file.`;
	if (statusCode === 415) return `${apiName} does not accept this file type. Convert the file first.`;
	if (statusCode === 429) return `${apiName} is rate limiting requests. Wait a little, or send fewer items at once.`;
	if (statusCode >= 500) return `${apiName} had an internal error. Try again later.`;
	if (statusCode >= 300 && statusCode < 400) {
		return `${apiName} answered an upload with a redirect, which is not followed. Check the Base URL in the ${apiName} credential: use the address the API redirects to.`;
	}
	return 'Check the node parameters against the API documentation.';
}

/** What a secret is replaced with wherever the node shows or stores what an API answered. */
export const REDACTED = '[redacted]';

/** Shorter values are not redacted: they would match ordinary words of a message. */
export const MIN_REDACTED_LENGTH = 4;

/** Past this depth a JSON answer is not walked: the rest is replaced whole. */
const MAX_REDACT_DEPTH = 32;

/**
 * The values of a credential's secret fields, as `redactSecrets` looks for them: each
 * trimmed, also line by line, and URL-encoded where that differs; longest first, so a
 * secret that holds another is replaced whole.
 */
export function secretValues(credentials: object | undefined, fields: readonly string[] | undefined): string[] {
	if (!credentials || !fields) return [];
	const data = credentials as Record<string, unknown>;
	const values = new Set<string>();
	for (const field of fields) {
		const value = data[field];
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		const text = String(value);
		for (const part of [text, ...text.split(/[\r\n]+/)]) {
			const secret = part.trim();
			if (secret.length < MIN_REDACTED_LENGTH) continue;
			values.add(secret);
			values.add(encodeURIComponent(secret));
		}
	}
	return [...values].sort((a, b) => b.length - a.length);
}

/** A copy of an API's answer (text, or JSON objects and lists at any depth) with every secret replaced by REDACTED. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	const redactText = (text: string) => secrets.reduce((result, secret) => result.split(secret).join(REDACTED), text);
	const redact = (current: unknown, depth: number): unknown => {
		if (typeof current === 'string') return redactText(current);
		if (current === null || typeof current !== 'object') return current;
		if (depth >= MAX_REDACT_DEPTH) return REDACTED;
		if (Array.isArray(current)) return current.map((entry) => redact(entry, depth + 1));
		return Object.fromEntries(
			Object.entries(current).map(([key, entry]) => [redactText(key), redact(entry, depth + 1)]),
		);
	};
	return redact(value, 0) as T;
}

/** Picks the first string field among `keys` from a JSON error body. */
export function messageFromBody(body: unknown, keys: readonly string[]): string | undefined {
	if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
	if (body === null || typeof body !== 'object') return undefined;
	for (const key of keys) {
		const value = (body as Record<string, unknown>)[key];
		if (typeof value === 'string' && value.trim()) return value;
	}
	return undefined;
}

/** The NodeApiError for an API's refusal: the API's own message, our description of the fix. */
export function apiRefusalError(
	node: INode,
	statusCode: number,
	body: unknown,
	refusal: ApiRefusal,
	itemIndex?: number,
): NodeApiError {
	const errorResponse: JsonObject =
		body !== null && typeof body === 'object' && !Array.isArray(body)
			? (body as JsonObject)
			: { body: typeof body === 'string' ? body.slice(0, 1000) : null };
	return new NodeApiError(node, errorResponse, {
		message: refusal.message,
		description: refusal.description,
		httpCode: String(statusCode),
		itemIndex,
	});
}

/** Builds a DescribeRefusal from the table that says how one API words its refusals. */
export interface RefusalWording {
	/** The name the generic fixes use ("Check the Haptik credential"). */
	apiName: string;
	/** Where the API puts its message: the JSON fields to try in order, or a reader for odder shapes. */
	errorMessage: readonly string[] | ((body: unknown) => string | undefined);
	/** The message when the API gave none. */
	fallbackMessage?: (statusCode: number) => string;
	/** The fix to suggest for a status; any other status gets `defaultFixForStatus`. */
	fixes: Readonly<Record<number, string>>;
}

/** The one "describe a refusal" pattern: the API's message, else a fallback; the fix from the table, else a generic one. */
export function describeRefusalWith(wording: RefusalWording): DescribeRefusal {
	const { apiName, errorMessage, fixes } = wording;
	const readMessage = typeof errorMessage === 'function' ? errorMessage : (body: unknown) => messageFromBody(body, errorMessage);
	const fallbackMessage = wording.fallbackMessage ?? ((statusCode: number) => `${apiName} answered HTTP ${statusCode}`);
	return (statusCode, body) => ({
		message: readMessage(body) ?? fallbackMessage(statusCode),
		description: fixes[statusCode] ?? defaultFixForStatus(statusCode, apiName),
	});
}

/** What the user is told when a request with an effect failed and it is unknown whether it took effect. */
export interface UncertainOutcome {
	/** E.g. "The file may or may not have arrived in CityPay". */
	outcome: string;
	/** What to check before running the item again. */
	check: string;
}

/** The system or client error code, also when n8n's helper wrapped the error in a NodeApiError. */
export function networkErrorCode(error: unknown): string | undefined {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	if (typeof cause?.code === 'string') return cause.code;
	return undefined;
}

function triedNote(attempts: number): string {
	return attempts > 1 ? ` Tried ${attempts} times.` : '';
}

const bodySourceFailures = new WeakSet<object>();

/**
 * Marks the error a streamed body's own source failed with (a file from a URL that grew past
 * the API's limit or broke off), so the request that was carrying it reports that error
 * instead of a network failure of the API, and is not sent again.
 */
export function asBodySourceFailure<T extends Error>(error: T): T {
	bodySourceFailures.add(error);
	return error;
}

/** The body source's failure behind a failed request, however deep n8n's helper and its client wrapped it. */
export function findBodySourceFailure(error: unknown): Error | undefined {
	let current = error;
	for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
		if (bodySourceFailures.has(current)) return current as Error;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** One failed request, as the error builders below need it. */
export interface FailedRequest {
	apiName: string;
	method: IHttpRequestMethods;
	url: string;
	/** Whether it went to the API with the credential, or to a file host without it. */
	authenticated: boolean;
	timeoutMs: number;
	ifUnsure?: UncertainOutcome;
	attempts: number;
	itemIndex?: number;
}

/** The network code behind each error transportError built (read back by `transportFailureCode`). */
const transportFailures = new WeakMap<object, string>();

/** The network code of an error transportError built (a timeout, a broken connection), else undefined. */
export function transportFailureCode(error: unknown): string | undefined {
	return error !== null && typeof error === 'object' ? transportFailures.get(error) : undefined;
}

/** An HTTP parse error of Node's client: the answer arrived but is not valid HTTP. */
function isUnreadableAnswer(code: string): boolean {
	return code.startsWith('HPE_');
}

/**
 * The error for a request that got no HTTP answer. Built from the error code only: the
 * underlying error holds the request options, credentials included. Only a failure that
 * proves nothing was sent (refused, no such host, a certificate) is "could not reach";
 * every other one, unknown codes included, may have happened after the request arrived.
 */
export function transportError(node: INode, request: FailedRequest, error: unknown): NodeApiError | NodeOperationError {
	const foundCode = networkErrorCode(error);
	// An n8n error without a network code (a credential it could not apply) is already clear.
	if (foundCode === undefined && (error instanceof NodeApiError || error instanceof NodeOperationError)) return error;
	const code = foundCode ?? 'unknown network error';
	const { apiName, authenticated, itemIndex, method } = request;
	const origin = safeOrigin(request.url);
	const where = authenticated ? apiName : 'The file server';
	const who = authenticated ? apiName : `The file server at ${origin}`;
	let message: string;
	let description: string;

	if (!wasDropped(code)) {
		// Refused, not found, TLS: nothing was delivered. A file host named by the API has no Base URL the user could fix.
		[message, description] = authenticated
			? [
					`Could not reach ${apiName} at ${origin} (${code})`,
					`Check the Base URL in the ${apiName} credential and that n8n can reach it.`,
				]
			: [
					`Could not download the file from ${origin} (${code})`,
					`${apiName} named this file URL; check that n8n can reach that host.`,
				];
	} else {
		if (isTimeout(code)) message = `${who} did not answer within ${request.timeoutMs} ms (${code})`;
		else if (isUnreadableAnswer(code)) message = `${who} sent an answer that is not valid HTTP (${code})`;
		// Axios's code for an answer whose body stopped before its end.
		else if (code === 'ERR_BAD_RESPONSE') message = `The answer from ${authenticated ? apiName : `the file server at ${origin}`} broke off before it was complete (${code})`;
		else message = `The connection to ${authenticated ? apiName : `the file server at ${origin}`} broke before it answered (${code})`;
		if (isIdempotent(method)) {
			if (isTimeout(code)) {
				description = `${where} may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.`;
			} else if (isUnreadableAnswer(code)) {
				description = `A proxy or gateway in front of ${authenticated ? apiName : 'the file server'} may have answered instead. Try again later.`;
			} else {
				description = `${where} or the network between closed the connection. Try again later.`;
			}
		} else {
			const unsure = request.ifUnsure ?? {
				outcome: `The request may or may not have reached ${apiName}`,
				check: `Check in ${apiName} whether it took effect before running this item again.`,
			};
			const why = isUnreadableAnswer(code) ? 'its answer could not be read' : 'the connection failed after the request was sent';
			description = `${unsure.outcome}: ${why}, so it was not repeated. ${unsure.check}`;
			if (isTimeout(code)) description += ` For large files, raise Timeout (Milliseconds) in the node's Request Options.`;
		}
	}
	description += triedNote(request.attempts);
	const apiError = new NodeApiError(node, { message: code, code } as JsonObject, { message, description, itemIndex });
	// NodeApiError swaps a message naming a common code for a generic one ("The connection was
	// aborted"); this one says which API, how long, and whether the request may have arrived.
	apiError.message = message;
	transportFailures.set(apiError, code);
	return apiError;
}

/**
 * The error for one item's bad input or unusable answer: what is wrong ("File URL is empty"),
 * ended with the item it happened on, and the fix. Every "… on item N" error is made here.
 */
export function itemError(node: INode, itemIndex: number, problem: string, fix: string): NodeOperationError {
	const message = `${problem} on item ${itemIndex}`;
	const error = new NodeOperationError(node, message, { itemIndex, description: fix });
	// n8n swaps a message naming a network code (ECONNREFUSED) for a generic one that names no host.
	error.message = message;
	return error;
}

export function cancelledError(node: INode, apiName: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `The request to ${apiName} was stopped: the execution was cancelled`, {
		itemIndex,
		description: 'The execution was stopped before this request got an answer; it was not retried.',
	});
}

/** What a 429 or 503 that ended a request said about waiting. */
export interface ThrottledAnswer {
	/** Its Retry-After (or the rate-limit headers' wait in that form). */
	retryAfter?: string;
	/** It came while the API kept refusing this node run (./requestWindow), so it was not retried. */
	keptRefusing: boolean;
}

/** The latest time a Date can hold. */
const LAST_DATE_MS = 8.64e15;

/**
 * What to tell the user when a 429 or 503 ended the request: that the API asked for a wait
 * longer than the node waits, or kept refusing; and when to try again. Undefined for a single
 * refusal within the cap: the API's own fix says enough then.
 */
function throttledAdvice(apiName: string, statusCode: number, attempts: number, answer: ThrottledAnswer): string | undefined {
	const now = Date.now();
	const waitMs = parseRetryAfter(answer.retryAfter, now);
	const until = waitMs === undefined ? undefined : Math.ceil((now + waitMs) / 1000) * 1000;
	const when =
		until !== undefined && until <= LAST_DATE_MS
			? `Try again after ${new Date(until).toISOString().replace('.000Z', 'Z')}.`
			: 'Try again later.';
	if (waitMs !== undefined && waitMs > MAX_WAIT_MS) {
		return `${apiName} asked to wait ${Math.ceil(waitMs / 1000)} s before the next request, longer than the node waits (${MAX_WAIT_MS / 1000} s). ${when}`;
	}
	if (answer.keptRefusing) {
		return `${apiName} kept answering HTTP ${statusCode} to this run's requests, so this item was not retried. ${when}`;
	}
	if (attempts > 1) return `${apiName} kept answering HTTP ${statusCode}. ${when}`;
	return undefined;
}

/**
 * The error for an HTTP status the API refused with. `body` is the parsed answer, or
 * undefined when it was an HTML page (a proxy's or gateway's, whose markup is no message).
 */
export function statusRefusalError(
	node: INode,
	request: FailedRequest,
	describeRefusal: DescribeRefusal,
	statusCode: number,
	body: unknown,
	html: boolean,
	answer: ThrottledAnswer = { keptRefusing: false },
): NodeApiError {
	const { apiName } = request;
	const refusal = describeRefusal(statusCode, body);
	const throttled = isThrottled({ kind: 'status', statusCode })
		? throttledAdvice(apiName, statusCode, request.attempts, answer)
		: undefined;
	let description = throttled ?? refusal.description;
	if (html) {
		description = `${description} The answer was an HTML page, not ${apiName}'s JSON: a proxy or gateway in front of ${apiName} may have answered.`;
	}
	if (!isIdempotent(request.method) && statusCode >= 500 && statusCode !== 503) {
		const unsure = request.ifUnsure ?? {
			outcome: `The request may or may not have taken effect in ${apiName}`,
			check: `Check in ${apiName} before running this item again.`,
		};
		description = `${description} ${unsure.outcome}, so it was not repeated. ${unsure.check}`;
	}
	description += triedNote(request.attempts);
	return apiRefusalError(node, statusCode, body, { ...refusal, description }, request.itemIndex);
}

type AnsweredRequest = Pick<FailedRequest, 'apiName' | 'method' | 'ifUnsure' | 'itemIndex'>;

/** What to check when a successful status came with an answer the node cannot use. */
function unusableAnswerDescription(request: AnsweredRequest): string {
	const { apiName, ifUnsure } = request;
	const check = `Check that the Base URL in the ${apiName} credential points at the ${apiName} API; a proxy or gateway may have answered instead.`;
	return isIdempotent(request.method)
		? check
		: `${ifUnsure?.outcome ?? `The request may or may not have taken effect in ${apiName}`}: ${apiName} accepted it but its answer could not be read. ${ifUnsure?.check ?? `Check in ${apiName} before running this item again.`}`;
}

/** The error for a successful status whose answer cannot be read. */
export function unreadableAnswerError(
	node: INode,
	request: AnsweredRequest,
	statusCode: number,
	problem: 'empty' | 'not JSON',
): NodeApiError {
	const { apiName } = request;
	const message =
		problem === 'empty'
			? `${apiName} answered HTTP ${statusCode} with an empty body`
			: `${apiName} answered HTTP ${statusCode} with a body that is not valid JSON`;
	const description = unusableAnswerDescription(request);
	return new NodeApiError(node, { message: problem } as JsonObject, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
}

/** What an operation reads from a successful answer: one JSON object, or a list of them. */
export type ExpectedAnswer = 'object' | 'list';

const EXPECTED_ANSWER: Record<ExpectedAnswer, string> = { object: 'a JSON object', list: 'a list of JSON objects' };

export function isJsonObject(value: unknown): value is JsonObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON value named for a message, never quoted (a text could hold anything): "a number", "true", "a list". */
function describeJsonValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'boolean') return String(value);
	if (typeof value === 'number') return 'a number';
	if (typeof value === 'string') return 'a text string';
	return 'a JSON object';
}

/** The first entry of a list that is not a JSON object, named ("entry 2 is a number"), or undefined. */
export function nonObjectEntry(list: readonly unknown[]): string | undefined {
	const index = list.findIndex((entry) => !isJsonObject(entry));
	return index === -1 ? undefined : `entry ${index + 1} is ${describeJsonValue(list[index])}`;
}

/**
 * What came back instead of the expected answer ("a number", "a list whose entry 2 is null"),
 * or undefined when it fits. Where a list is expected an object fits too: a list in an
 * envelope (`{ data: [...] }`), which the operation reads and checks itself.
 */
export function unexpectedAnswer(value: unknown, expected: ExpectedAnswer): string | undefined {
	if (isJsonObject(value)) return undefined;
	if (expected === 'list' && Array.isArray(value)) {
		const entry = nonObjectEntry(value);
		return entry === undefined ? undefined : `a list whose ${entry}`;
	}
	return describeJsonValue(value);
}

/** The error for a successful status whose JSON is not what the operation reads (see `unexpectedAnswer`). */
export function unexpectedAnswerError(
	node: INode,
	request: AnsweredRequest,
	statusCode: number,
	found: string,
	expected: ExpectedAnswer,
): NodeApiError {
	return new NodeApiError(node, { message: 'unexpected answer' } as JsonObject, {
		message: `${request.apiName} answered HTTP ${statusCode} with ${found} instead of ${EXPECTED_ANSWER[expected]}`,
		description: unusableAnswerDescription(request),
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
}
