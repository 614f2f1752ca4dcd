import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { DescribeRefusal } from './errors';
import { apiRefusalError } from './errors';
import type { RequestPolicy } from './requestOptions';
import { DEFAULT_REQUEST_POLICY } from './requestOptions';
import {
	isIdempotent,
	isTimeout,
	runWithRetries,
	wasDropped,
} from './retry';

export type RequestBody = IHttpRequestOptions['body'];

/** What the user is told when a request with an effect failed and it is unknown whether it took effect. */
export interface UncertainOutcome {
	/** E.g. "The file may or may not have arrived in CityPay". */
	outcome: string;
	/** What to check before running the item again. */
	check: string;
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
	/** Stream-friendly multipart bodies set their own content type; JSON bodies leave this off. */
	json?: boolean;
	/** Retries and timeout; the defaults of the Request Options when left out. */
	policy?: RequestPolicy;
	/** For a request with an effect (an upload): the wording when it may or may not have happened. */
	ifUnsure?: UncertainOutcome;
	/** The API may answer with no body at all (a delete); otherwise a 2xx answer must be JSON. */
	emptyAnswerOk?: boolean;
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
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return {};
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return body;
	}
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

/** The system or client error code, also when n8n's helper wrapped the error in a NodeApiError. */
function networkErrorCode(error: unknown): string | undefined {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	if (typeof cause?.code === 'string') return cause.code;
	return undefined;
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A streamed body is consumed by its first send; it cannot be sent again. */
function isStream(body: unknown): body is { pipe: unknown; destroy?: () => void } {
	return body !== null && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
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

function triedNote(attempts: number): string {
	return attempts > 1 ? ` Tried ${attempts} times.` : '';
}

interface ExchangeControl {
	policy: RequestPolicy;
	buildBody?: () => Promise<RequestBody>;
	ifUnsure?: UncertainOutcome;
	authenticated: boolean;
	itemIndex?: number;
}

/**
 * The error for a request that got no HTTP answer. Built from the error code only: the
 * underlying error holds the request options, credentials included.
 */
function transportError(
	node: INode,
	target: ApiTarget,
	request: IHttpRequestOptions,
	error: unknown,
	control: ExchangeControl,
	attempts: number,
): NodeApiError | NodeOperationError {
	const foundCode = networkErrorCode(error);
	// An n8n error without a network code (a credential it could not apply) is already clear.
	if (foundCode === undefined && (error instanceof NodeApiError || error instanceof NodeOperationError)) return error;
	const code = foundCode ?? 'unknown network error';
	const { authenticated, itemIndex, policy } = control;
	const method = request.method ?? 'GET';
	const origin = safeOrigin(request.url);
	const where = authenticated ? target.apiName : 'The file server';
	let message: string;
	let description: string;

	if (!wasDropped(code)) {
		// Refused, not found, TLS: nothing was delivered. A file host named by the API has no Base URL the user could fix.
		[message, description] = authenticated
			? [
					`Could not reach ${target.apiName} at ${origin} (${code})`,
					`Check the Base URL in the ${target.apiName} credential and that n8n can reach it.`,
				]
			: [
					`Could not download the file from ${origin} (${code})`,
					`${target.apiName} named this file URL; check that n8n can reach that host.`,
				];
	} else {
		message = isTimeout(code)
			? `${authenticated ? target.apiName : `The file server at ${origin}`} did not answer within ${policy.timeoutMs} ms (${code})`
			: `The connection to ${authenticated ? target.apiName : `the file server at ${origin}`} broke before it answered (${code})`;
		if (isIdempotent(method)) {
			description = isTimeout(code)
				? `${where} may be slow or down. Try again later, or raise Timeout in the node's Request Options.`
				: `${where} or the network between closed the connection. Try again later.`;
		} else {
			const unsure = control.ifUnsure ?? {
				outcome: `The request may or may not have reached ${target.apiName}`,
				check: `Check in ${target.apiName} whether it took effect before running this item again.`,
			};
			description = `${unsure.outcome}: the connection failed after the request was sent, so it was not repeated. ${unsure.check}`;
			if (isTimeout(code)) description += ` For large files, raise Timeout in the node's Request Options.`;
		}
	}
	description += triedNote(attempts);
	const apiError = new NodeApiError(node, { message: code, code } as JsonObject, { message, description, itemIndex });
	// NodeApiError swaps a message naming a common code for a generic one ("The connection was
	// aborted"); this one says which API, how long, and whether the request may have arrived.
	apiError.message = message;
	return apiError;
}

function cancelledError(node: INode, target: ApiTarget, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `The request to ${target.apiName} was stopped: the execution was cancelled`, {
		itemIndex,
		description: 'The execution was stopped before this request got an answer; it was not retried.',
	});
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * The one call to n8n's HTTP helpers. HTTP statuses are handled here, not by the helper,
 * so that every API refusal reaches the user with the API's own message and a fix, and no
 * request option (headers, token) ends up in the error. Failed attempts are retried only
 * when they surely had no effect or the request can be repeated (see ./retry).
 */
async function exchange(
	context: IExecuteFunctions,
	target: ApiTarget,
	options: IHttpRequestOptions,
	control: ExchangeControl,
): Promise<RawResponse> {
	const { policy, buildBody, authenticated, itemIndex } = control;
	const node = context.getNode();
	const signal = context.getExecutionCancelSignal?.();
	const method = options.method ?? 'GET';

	const result = await runWithRetries<RawResponse>(
		async () => {
			if (signal?.aborted) throw cancelledError(node, target, itemIndex);
			const body = buildBody ? await buildBody() : options.body;
			// A client that follows redirects keeps every byte of the body sent, to send it again
			// after a redirect: a streamed upload would be held whole in memory. It is not followed.
			const streamed = isStream(body);
			const fullOptions: IHttpRequestOptions = {
				...options,
				...(streamed ? { disableFollowRedirect: true } : {}),
				body,
				timeout: policy.timeoutMs,
				...(signal ? { abortSignal: signal } : {}),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// n8n's helper would otherwise re-send the credential to any host a redirect names.
				sendCredentialsOnCrossOriginRedirect: false,
			};
			let response: RawResponse;
			try {
				response = authenticated
					? await context.helpers.httpRequestWithAuthentication.call(context, target.credentialType, fullOptions)
					: await context.helpers.httpRequest(fullOptions);
			} catch (error) {
				releaseBody(body);
				// n8n's own errors (a credential it could not apply) carry no code and are not retried.
				const code = networkErrorCode(error) ?? 'unknown network error';
				return { ok: false, outcome: { kind: 'network', code }, error };
			}
			if (response.statusCode >= 400 || (streamed && response.statusCode >= 300)) {
				const retryAfter = headerValue(response.headers, 'retry-after');
				return { ok: false, outcome: { kind: 'status', statusCode: response.statusCode, retryAfter }, error: response };
			}
			return { ok: true, value: response };
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
	if (result.cancelled) throw cancelledError(node, target, itemIndex);
	if (result.outcome.kind === 'network') {
		throw transportError(node, target, options, result.error, control, result.attempts);
	}
	const response = result.error as RawResponse;
	const statusCode = response.statusCode;
	const text = asText(response.body);
	const html = isHtml(text);
	// An HTML page is a proxy's or gateway's, not the API's: its markup is no message.
	const body = html ? undefined : parseBody(text);
	const refusal = target.describeRefusal(statusCode, body);
	let description = refusal.description;
	if (html) {
		description = `${description} The answer was an HTML page, not ${target.apiName}'s JSON: a proxy or gateway in front of ${target.apiName} may have answered.`;
	}
	if (!isIdempotent(method) && statusCode >= 500 && statusCode !== 503) {
		const unsure = control.ifUnsure ?? {
			outcome: `The request may or may not have taken effect in ${target.apiName}`,
			check: `Check in ${target.apiName} before running this item again.`,
		};
		description = `${description} ${unsure.outcome}, so it was not repeated. ${unsure.check}`;
	}
	description += triedNote(result.attempts);
	throw apiRefusalError(node, statusCode, body, { ...refusal, description }, itemIndex);
}

/** The error for a successful status whose answer cannot be read. */
function unreadableAnswerError(
	context: IExecuteFunctions,
	target: ApiTarget,
	request: ApiRequest,
	statusCode: number,
	problem: 'empty' | 'not JSON',
	itemIndex?: number,
): NodeApiError {
	const message =
		problem === 'empty'
			? `${target.apiName} answered HTTP ${statusCode} with an empty body`
			: `${target.apiName} answered HTTP ${statusCode} with a body that is not valid JSON`;
	const check = `Check that the Base URL in the ${target.apiName} credential points at the ${target.apiName} API; a proxy or gateway may have answered instead.`;
	const description = isIdempotent(request.method)
		? check
		: `${request.ifUnsure?.outcome ?? `The request may or may not have taken effect in ${target.apiName}`}: ${target.apiName} accepted it but its answer could not be read. ${request.ifUnsure?.check ?? `Check in ${target.apiName} before running this item again.`}`;
	return new NodeApiError(context.getNode(), { message: problem } as JsonObject, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
}

/**
 * Sends one authenticated API request; the body of the answer comes back parsed. A 2xx
 * answer must be JSON (or empty, when the request allows it and for 204).
 */
export async function sendApiRequest(
	context: IExecuteFunctions,
	target: ApiTarget,
	request: ApiRequest,
	itemIndex?: number,
): Promise<ApiResponse> {
	const { method, url, headers, qs, body, json } = request;
	const response = await exchange(
		context,
		target,
		{ method, url, headers, qs, body, json },
		{
			policy: request.policy ?? DEFAULT_REQUEST_POLICY,
			buildBody: request.buildBody,
			ifUnsure: request.ifUnsure,
			authenticated: true,
			itemIndex,
		},
	);
	const text = asText(response.body);
	if (isEmptyBody(text)) {
		if (response.statusCode !== 204 && !request.emptyAnswerOk) {
			throw unreadableAnswerError(context, target, request, response.statusCode, 'empty', itemIndex);
		}
		return { ...response, body: {} };
	}
	const parsed = parseBody(text);
	if (typeof parsed === 'string') {
		throw unreadableAnswerError(context, target, request, response.statusCode, 'not JSON', itemIndex);
	}
	return { ...response, body: parsed };
}

/** Scheme, host and port of a URL, without path, query or user info. */
export function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
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
 * Fetches one hop of a file download as raw bytes, without following redirects, so the
 * caller decides for each hop whether the credential may go along. A 3xx comes back as a
 * response (see its `location` header); 4xx and 5xx become refusals as in sendApiRequest.
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
		{ method: 'GET', url: request.url, encoding: 'arraybuffer', disableFollowRedirect: true },
		{ policy: request.policy ?? DEFAULT_REQUEST_POLICY, authenticated: request.authenticated, itemIndex },
	);
}
