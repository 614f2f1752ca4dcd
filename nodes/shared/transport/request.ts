import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { asText, isEmptyBody, readJson } from './bodies';
import { MAX_TIMER_MS, answerTimeoutError, startDeadline } from './deadline';
import type { DescribeRefusal, ExpectedAnswer, UncertainOutcome } from './errors';
import { unexpectedAnswer, unexpectedAnswerError, unreadableAnswerError } from './errors';
import { exchange } from './exchange';
import { stopIfChecking } from './preflight';
import type { RequestPolicy } from './requestOptions';
import { DEFAULT_REQUEST_POLICY } from './requestOptions';

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

/**
 * The body of a 2xx answer as the request expects it: JSON of the expected shape, or an empty
 * object for no body at all (204, or a request that allows it).
 */
function readAnswerBody(context: RequestContext, target: ApiTarget, request: ApiRequest, response: ApiResponse, itemIndex?: number): unknown {
	const answered = { apiName: target.apiName, method: request.method, ifUnsure: request.ifUnsure, itemIndex };
	const text = asText(response.body);
	if (isEmptyBody(text)) {
		if (response.statusCode !== 204 && !request.emptyAnswerOk) {
			throw unreadableAnswerError(context.getNode(), answered, response.statusCode, 'empty');
		}
		return {};
	}
	const json = readJson(text);
	if (!json.ok) throw unreadableAnswerError(context.getNode(), answered, response.statusCode, 'not JSON');
	const expected = request.answer ?? 'object';
	const found = unexpectedAnswer(json.value, expected);
	if (found !== undefined) throw unexpectedAnswerError(context.getNode(), answered, response.statusCode, found, expected);
	return json.value;
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
	return { ...response, body: readAnswerBody(context, target, request, response, itemIndex) };
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
