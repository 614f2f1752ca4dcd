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

export interface ApiRequest {
	method: IHttpRequestMethods;
	url: string;
	headers?: IDataObject;
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	/** Stream-friendly multipart bodies set their own content type; JSON bodies leave this off. */
	json?: boolean;
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

function networkErrorCode(error: unknown): string {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	if (typeof cause?.code === 'string') return cause.code;
	return 'unknown network error';
}

/**
 * The error for a request that got no HTTP answer. Built from the error code only: the
 * underlying error holds the request options, credentials included.
 */
function transportError(
	node: INode,
	target: ApiTarget,
	url: string,
	error: unknown,
	authenticated: boolean,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const code = networkErrorCode(error);
	// A file host named by the API has no Base URL the user could fix.
	const [message, description] = authenticated
		? [
				`Could not reach ${target.apiName} at ${safeOrigin(url)} (${code})`,
				`Check the Base URL in the ${target.apiName} credential and that n8n can reach it.`,
			]
		: [
				`Could not download the file from ${safeOrigin(url)} (${code})`,
				`${target.apiName} named this file URL; check that n8n can reach that host.`,
			];
	return new NodeApiError(node, { message: code, code } as JsonObject, { message, description, itemIndex });
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * The one call to n8n's HTTP helpers. HTTP statuses are handled here, not by the helper,
 * so that every API refusal reaches the user with the API's own message and a fix, and no
 * request option (headers, token) ends up in the error.
 */
async function exchange(
	context: IExecuteFunctions,
	target: ApiTarget,
	options: IHttpRequestOptions,
	authenticated: boolean,
	itemIndex?: number,
): Promise<RawResponse> {
	const fullOptions: IHttpRequestOptions = {
		...options,
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
		throw transportError(context.getNode(), target, options.url, error, authenticated, itemIndex);
	}
	if (response.statusCode >= 400) {
		const raw = response.body;
		const body = parseBody(Buffer.isBuffer(raw) ? raw.toString('utf8') : raw);
		const refusal = target.describeRefusal(response.statusCode, body);
		throw apiRefusalError(context.getNode(), response.statusCode, body, refusal, itemIndex);
	}
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
}

/** Sends one authenticated API request; the body of the answer comes back parsed. */
export async function sendApiRequest(
	context: IExecuteFunctions,
	target: ApiTarget,
	request: ApiRequest,
	itemIndex?: number,
): Promise<ApiResponse> {
	const { method, url, headers, qs, body, json } = request;
	const response = await exchange(context, target, { method, url, headers, qs, body, json }, true, itemIndex);
	return { ...response, body: parseBody(response.body) };
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
		request.authenticated,
		itemIndex,
	);
}
