import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { DescribeRefusal, ExpectedAnswer, FailedRequest, UncertainOutcome } from './errors';
import {
	cancelledError,
	findBodySourceFailure,
	networkErrorCode,
	redactSecrets,
	secretValues,
	statusRefusalError,
	transportError,
	unexpectedAnswer,
	unexpectedAnswerError,
	unreadableAnswerError,
} from './errors';
import { stopIfChecking } from './preflight';
import type { RequestPolicy } from './requestOptions';
import { DEFAULT_REQUEST_POLICY } from './requestOptions';
import { requestWindowOf } from './requestWindow';
import type { AttemptResult } from './retry';
import { N8N_ERROR, rateLimitRetryAfter, runWithRetries } from './retry';

export type RequestBody = IHttpRequestOptions['body'];

/** Where a request is sent from: a node's execution, or the editor loading a list (a list search). */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

/** A body that can be read once, so it is built afresh for each attempt, with headers that fit every build. */
export interface StreamedBody {
	headers: Record<string, string>;
	buildBody: () => Promise<RequestBody>;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	url: string;
	headers?: IDataObject;
	qs?: IDataObject;
	/** A body that can be sent as often as needed (JSON, text). */
	body?: RequestBody;
	/**
	 * Builds a fresh body for each attempt. A multipart body streams the file and can be
	 * sent once only, so uploads pass this instead of `body` to stay retryable.
	 */
	buildBody?: () => Promise<RequestBody>;
	/** Ask for JSON (Accept); stream-friendly multipart bodies set their own content type. */
	json?: boolean;
	/** Retries and timeout; the defaults of the Request Options when left out. */
	policy?: RequestPolicy;
	/** For a request with an effect (an upload): the wording when it may or may not have happened. */
	ifUnsure?: UncertainOutcome;
	/** The API may answer with no body at all (a delete); otherwise a 2xx answer must be JSON. */
	emptyAnswerOk?: boolean;
	/** What a 2xx answer must be: a JSON object (the default), or a list of them (or an object holding one). */
	answer?: ExpectedAnswer;
	/**
	 * The credential as the item's session already read it: n8n applies it (its `authenticate`
	 * block) without reading and decrypting it from the database again for every request.
	 */
	credentials?: ICredentialDataDecryptedObject;
}

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface ApiTarget {
	/** Display name of the API, for error messages. */
	apiName: string;
	credentialType: string;
	describeRefusal: DescribeRefusal;
	/** The credential's secret fields, redacted from a refusal before it becomes an error. */
	secretFields?: readonly string[];
}

/** An answer's JSON, or `{ ok: false }` for text that is not JSON. */
function parseJson(body: unknown): { ok: true; value: unknown } | { ok: false } {
	if (typeof body !== 'string') return { ok: true, value: body };
	const text = body.trim();
	if (text === '') return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

/** An answer's JSON; text that is not JSON as it is (a refusal's plain-text message). */
function parseBody(body: unknown): unknown {
	const parsed = parseJson(body);
	return parsed.ok ? parsed.value : body;
}

/**
 * The secret values an API could echo in a refusal: those of the credential the request
 * carried, read again for a request that did not bring it along (a file download).
 */
async function refusalSecrets(
	context: RequestContext,
	target: ApiTarget,
	control: { authenticated: boolean; credentials?: ICredentialDataDecryptedObject; itemIndex?: number },
): Promise<string[]> {
	if (!control.authenticated || !target.secretFields?.length) return [];
	let credentials = control.credentials;
	if (!credentials) {
		try {
			credentials = await context.getCredentials<ICredentialDataDecryptedObject>(target.credentialType, control.itemIndex ?? 0);
		} catch {
			return [];
		}
	}
	return secretValues(credentials, target.secretFields);
}

/** A body of text, whatever form the HTTP helper handed it over in. */
function asText(body: unknown): unknown {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return body;
}

function isEmptyBody(body: unknown): boolean {
	return body === undefined || body === null || (typeof body === 'string' && body.trim() === '');
}

/** An error page from a proxy or gateway rather than the API's own JSON. */
function isHtml(body: unknown): body is string {
	return typeof body === 'string' && /^\s*<(!doctype|html|head|body|\?xml|h\d|title)/i.test(body);
}

/** A header's value as text, whatever form the HTTP client gave it in (a list: its first value). */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A streamed body is consumed by its first send; it cannot be sent again. */
export function isStream(body: unknown): body is AsyncIterable<unknown> & { pipe: unknown; destroy?: () => void } {
	return body !== null && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
}

/** An error page is short; anything beyond this is not read, so a refused download is never held whole. */
const MAX_ERROR_TEXT_BYTES = 64 * 1024;

/** The start of a streamed error answer as text; the rest of the stream is dropped. */
async function readErrorText(stream: AsyncIterable<unknown> & { destroy?: () => void }): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			chunks.push(bytes);
			size += bytes.length;
			if (size >= MAX_ERROR_TEXT_BYTES) break;
		}
	} catch {
		// A broken error answer still gets its status reported.
	} finally {
		stream.destroy?.();
	}
	return Buffer.concat(chunks).subarray(0, MAX_ERROR_TEXT_BYTES).toString('utf8');
}

/** Closes the files a streamed body still holds open after a failed attempt. */
function releaseBody(body: unknown): void {
	if (isStream(body) && typeof body.destroy === 'function') {
		try {
			body.destroy();
		} catch {
			// Already closed.
		}
	}
}

/** The longest delay a Node.js timer keeps; a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Why a timer is stopped early; one object, so stopping one costs no new error (and its stack). */
export const TIMER_STOPPED = new Error('The timer was stopped');

/** The error a streamed answer is destroyed with when its request's deadline passes. */
function answerTimeoutError(timeoutMs: number): Error {
	return Object.assign(new Error(`The answer did not finish within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}

/** A streamed body that tells when it is done with (ended, failed or destroyed). */
function isClosable(body: unknown): body is {
	on(event: 'error', listener: () => void): unknown;
	once(event: 'close', listener: () => void): unknown;
	destroy(error?: Error): void;
} {
	return isStream(body) && typeof (body as { once?: unknown }).once === 'function' && typeof (body as { on?: unknown }).on === 'function';
}

/**
 * One attempt's deadline: Timeout (Milliseconds) from its start until its answer has been
 * read, body included. n8n's helper hands `timeout` to axios, which arms only a socket idle
 * timer (every byte restarts it, and it is off once a streamed answer's head has arrived):
 * an answer trickled byte by byte, or a download whose host goes quiet after the head, would
 * run on without end. The deadline aborts the request through its own signal, which the
 * execution's cancel signal also aborts, and says which of the two it was.
 */
function startDeadline(timeoutMs: number, cancel?: AbortSignal) {
	const controller = new AbortController();
	const timer = new AbortController();
	let passed = false;
	let onPass: (() => void) | undefined;
	const forwardCancel = () => controller.abort();
	if (cancel?.aborted) controller.abort();
	else cancel?.addEventListener('abort', forwardCancel, { once: true });
	void sleep(Math.min(timeoutMs, MAX_TIMER_MS), timer.signal).then(
		() => {
			passed = true;
			onPass?.();
			controller.abort();
		},
		// Stopped: the answer came in time.
		() => undefined,
	);
	const stopTimer = () => timer.abort(TIMER_STOPPED);
	const end = () => {
		stopTimer();
		cancel?.removeEventListener('abort', forwardCancel);
	};
	return {
		signal: controller.signal,
		passed: () => passed,
		stopTimer,
		end,
		/** Runs on over a streamed answer until it is done with; when the deadline passes first, the body fails with `error`. */
		follow(body: unknown, error?: () => Error) {
			if (!isClosable(body)) return end();
			if (error) onPass = () => body.destroy(error());
			// A body that fails before it is read must not throw from its 'error' event: its reader gets the error.
			body.on('error', () => undefined);
			body.once('close', end);
		},
	};
}

/**
 * The context n8n's authenticated helper is called with: that helper sets the request's
 * abortSignal to the context's execution cancel signal, replacing any given, so this view
 * hands it the attempt's signal instead (which the cancel signal aborts too).
 */
function withAbortSignal<T extends object>(context: T, signal: AbortSignal): T {
	return Object.create(context, { getExecutionCancelSignal: { value: () => signal } }) as T;
}

interface ExchangeControl {
	policy: RequestPolicy;
	buildBody?: () => Promise<RequestBody>;
	ifUnsure?: UncertainOutcome;
	authenticated: boolean;
	credentials?: ICredentialDataDecryptedObject;
	itemIndex?: number;
}

/** Hands n8n a credential already read, under the node's own reference to it. */
function alreadyRead(
	context: RequestContext,
	credentialType: string,
	data: ICredentialDataDecryptedObject | undefined,
): IAdditionalCredentialOptions | undefined {
	const reference = context.getNode().credentials?.[credentialType];
	if (!data || !reference?.id) return undefined;
	return { credentialsDecrypted: { id: reference.id, name: reference.name, type: credentialType, data } };
}

/**
 * The one call to n8n's HTTP helpers. HTTP statuses are handled here, not by the helper,
 * so that every API refusal reaches the user with the API's own message and a fix, and no
 * request option (headers, token) ends up in the error. Failed attempts are retried only
 * when they surely had no effect or the request can be repeated (see ./retry).
 */
async function exchange(
	context: RequestContext,
	target: ApiTarget,
	options: IHttpRequestOptions,
	control: ExchangeControl,
): Promise<ApiResponse> {
	// The check before sending (./preflight) ends here: nothing leaves.
	stopIfChecking(context);
	const { policy, buildBody, authenticated, itemIndex } = control;
	const node = context.getNode();
	const signal = 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined;
	const method = options.method ?? 'GET';

	const window = requestWindowOf(context);
	const credentialOptions = authenticated ? alreadyRead(context, target.credentialType, control.credentials) : undefined;

	const attemptOnce = async (): Promise<AttemptResult<ApiResponse>> => {
		const body = buildBody ? await buildBody() : options.body;
		// A client that follows redirects keeps every byte of the body sent, to send it again
		// after a redirect: a streamed upload would be held whole in memory. An upload's redirect
		// is not followed, whether its body (built for each attempt) is a stream or a buffer.
		const upload = isStream(body) || buildBody !== undefined;
		// Armed once the body is ready: fetching a file again for it (a file from a URL) is its host's time.
		const deadline = startDeadline(policy.timeoutMs, signal);
		const fullOptions: IHttpRequestOptions = {
			...options,
			...(upload ? { disableFollowRedirect: true } : {}),
			body,
			timeout: Math.min(policy.timeoutMs, MAX_TIMER_MS),
			abortSignal: deadline.signal,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// n8n's helper would otherwise re-send the credential to any host a redirect names.
			sendCredentialsOnCrossOriginRedirect: false,
		};
		let response: ApiResponse;
		try {
			response = authenticated
				? await context.helpers.httpRequestWithAuthentication.call(
						withAbortSignal(context, deadline.signal),
						target.credentialType,
						fullOptions,
						credentialOptions,
					)
				: await context.helpers.httpRequest(fullOptions);
		} catch (error) {
			deadline.end();
			releaseBody(body);
			// The body's source failed (a file from a URL): its own error says what happened; never re-sent.
			const sourceFailure = findBodySourceFailure(error);
			if (sourceFailure) throw sourceFailure;
			// The deadline aborted it: a timeout, whatever the client made of the abort.
			if (deadline.passed()) return { ok: false, outcome: { kind: 'network', code: 'ETIMEDOUT' }, error: { code: 'ETIMEDOUT' } };
			// n8n's own errors (a credential it could not apply) carry no code: not retried, shown as they are.
			const n8nError = error instanceof NodeApiError || error instanceof NodeOperationError;
			const code = networkErrorCode(error) ?? (n8nError ? N8N_ERROR : 'unknown network error');
			return { ok: false, outcome: { kind: 'network', code }, error };
		}
		if (response.statusCode >= 400 || (upload && response.statusCode >= 300)) {
			const retryAfter =
				headerValue(response.headers, 'retry-after') ??
				rateLimitRetryAfter((name) => headerValue(response.headers, name));
			// A streamed answer (a download) is read only as far as an error message needs.
			if (isStream(response.body)) response = { ...response, body: await readErrorText(response.body) };
			deadline.end();
			return { ok: false, outcome: { kind: 'status', statusCode: response.statusCode, retryAfter }, error: response };
		}
		// A streamed answer (a download) is read after this returns: the deadline runs on until it is done with.
		if (isStream(response.body)) deadline.follow(response.body, () => answerTimeoutError(policy.timeoutMs));
		else deadline.end();
		return { ok: true, value: response };
	};

	const result = await runWithRetries<ApiResponse>(
		async (attemptNumber) => {
			if (signal?.aborted) throw cancelledError(node, target.apiName, itemIndex);
			if (!window) return await attemptOnce();
			// The node run's requests share one window (see ./requestWindow): a 429 or 503 narrows it.
			const retries = { used: attemptNumber - 1, max: policy.maxRetries };
			const attempt = await window.send(attemptOnce, { signal, retries });
			if (!attempt) throw cancelledError(node, target.apiName, itemIndex);
			return attempt;
		},
		{
			method,
			maxRetries: policy.maxRetries,
			// A streamed body without a factory is gone after its first send.
			replayable: buildBody !== undefined || !isStream(options.body),
			baseDelayMs: policy.retryDelayMs,
			signal,
		},
	);

	if (result.ok) {
		const response = result.value;
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
	}
	if (result.cancelled) throw cancelledError(node, target.apiName, itemIndex);
	const failed: FailedRequest = {
		apiName: target.apiName,
		method,
		url: options.url,
		authenticated,
		timeoutMs: policy.timeoutMs,
		ifUnsure: control.ifUnsure,
		attempts: result.attempts,
		itemIndex,
	};
	if (result.outcome.kind === 'network') throw transportError(node, failed, result.error);
	const response = result.error as ApiResponse;
	const text = asText(response.body);
	const html = isHtml(text);
	// An HTML page is a proxy's or gateway's, not the API's: its markup is no message.
	const body = html ? undefined : redactSecrets(parseBody(text), await refusalSecrets(context, target, control));
	throw statusRefusalError(node, failed, target.describeRefusal, response.statusCode, body, html, {
		retryAfter: result.outcome.retryAfter,
		keptRefusing: result.keptRefusing === true,
	});
}

/**
 * Sends one authenticated API request; the body of the answer comes back parsed. A 2xx
 * answer must be JSON (or empty, when the request allows it and for 204).
 */
export async function sendApiRequest(
	context: RequestContext,
	target: ApiTarget,
	request: ApiRequest,
	itemIndex?: number,
): Promise<ApiResponse> {
	const { method, url, headers, qs, body, json } = request;
	const response = await exchange(
		context,
		target,
		// As text, parsed here: the HTTP client's own parsing cannot tell `"text"` or `null` from a broken body.
		{ method, url, headers, qs, body, json, encoding: 'text' },
		{
			policy: request.policy ?? DEFAULT_REQUEST_POLICY,
			buildBody: request.buildBody,
			ifUnsure: request.ifUnsure,
			authenticated: true,
			credentials: request.credentials,
			itemIndex,
		},
	);
	const unreadable = (problem: 'empty' | 'not JSON') =>
		unreadableAnswerError(
			context.getNode(),
			{ apiName: target.apiName, method, ifUnsure: request.ifUnsure, itemIndex },
			response.statusCode,
			problem,
		);
	const text = asText(response.body);
	if (isEmptyBody(text)) {
		if (response.statusCode !== 204 && !request.emptyAnswerOk) throw unreadable('empty');
		return { ...response, body: {} };
	}
	const parsed = parseJson(text);
	if (!parsed.ok) throw unreadable('not JSON');
	const expected = request.answer ?? 'object';
	const found = unexpectedAnswer(parsed.value, expected);
	if (found !== undefined) {
		throw unexpectedAnswerError(
			context.getNode(),
			{ apiName: target.apiName, method, ifUnsure: request.ifUnsure, itemIndex },
			response.statusCode,
			found,
			expected,
		);
	}
	return { ...response, body: parsed.value };
}

/** One hop of a file download: a URL an API handed out, possibly on another host. */
export interface FileRequest {
	url: string;
	/** Retries and timeout; the defaults of the Request Options when left out. */
	policy?: RequestPolicy;
	/** Send the credential. Only for URLs on the API's own origin: the token must not leave it. */
	authenticated: boolean;
}

/**
 * Fetches one hop of a file download as a stream (the body is never held whole), without
 * following redirects, so the caller decides for each hop whether the credential may go
 * along. A 3xx comes back as a response (see its `location` header); 4xx and 5xx become
 * refusals as in sendApiRequest.
 */
export async function sendFileRequest(
	context: IExecuteFunctions,
	target: ApiTarget,
	request: FileRequest,
	itemIndex?: number,
): Promise<ApiResponse> {
	return await exchange(
		context,
		target,
		{ method: 'GET', url: request.url, encoding: 'stream', disableFollowRedirect: true },
		{ policy: request.policy ?? DEFAULT_REQUEST_POLICY, authenticated: request.authenticated, itemIndex },
	);
}

/** The head of a file download: status and headers, the body still unread. */
export interface OpenedStream {
	statusCode: number;
	headers: Record<string, unknown>;
	/** The body as it arrives; destroy it when it is not read. */
	body: AsyncIterable<Buffer> & { destroy(error?: Error): void };
}

/**
 * Opens a URL the user gave as a byte stream, through n8n's plain HTTP helper (so n8n's SSRF
 * protection and proxy settings apply) and with no credential of any kind. Redirects are
 * not followed: the caller counts the hops. Statuses come back as they are; a connection
 * failure is thrown as the helper reports it.
 */
export async function openUrlStream(
	context: IExecuteFunctions,
	url: string,
	policy: RequestPolicy,
): Promise<OpenedStream> {
	// The check before sending (./preflight) ends here: nothing is downloaded.
	stopIfChecking(context);
	const signal = context.getExecutionCancelSignal?.();
	// Timeout bounds the wait for the head; the body is read as the upload goes, bounded by
	// the time spent waiting for the host (see countedUrlFileBytes in binary/), not by a slow API reading it.
	const deadline = startDeadline(policy.timeoutMs, signal);
	let response: { statusCode: number; headers?: Record<string, unknown>; body: OpenedStream['body'] } | undefined;
	let failure: unknown;
	try {
		response = (await context.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			// The bytes as stored, so Content-Length is the size that will be sent.
			headers: { 'Accept-Encoding': 'identity' },
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: Math.min(policy.timeoutMs, MAX_TIMER_MS),
			abortSignal: deadline.signal,
		})) as typeof response;
	} catch (error) {
		failure = error;
	}
	if (!response) {
		deadline.end();
		// As the helper reported it (the caller names the host and the fix), or our deadline.
		throw deadline.passed() ? answerTimeoutError(policy.timeoutMs) : failure;
	}
	deadline.stopTimer();
	// Cancelling the execution still stops the download until its body is done with.
	deadline.follow(response.body);
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
}
