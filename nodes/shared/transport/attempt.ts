import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IAdditionalCredentialOptions, IHttpRequestOptions } from 'n8n-workflow';

import { waitAskedFor } from './answerHeaders';
import { isStream, readErrorText, releaseBody } from './bodies';
import type { Deadline } from './deadline';
import { MAX_TIMER_MS, answerTimeoutError, startDeadline } from './deadline';
import { findBodySourceFailure, networkErrorCode } from './errors';
import type { ApiResponse, ApiTarget, RequestBody, RequestContext } from './request';
import type { RequestPolicy } from './requestOptions';
import type { AttemptResult } from './retry';
import { N8N_ERROR } from './retry';

/** What every attempt of one request shares. */
export interface AttemptPlan {
	context: RequestContext;
	target: ApiTarget;
	options: IHttpRequestOptions;
	policy: RequestPolicy;
	/** Builds the body afresh for each attempt (an upload); otherwise `options.body` is sent. */
	buildBody?: () => Promise<RequestBody>;
	authenticated: boolean;
	/** The credential as already read, handed to n8n so it does not read it again. */
	credentialOptions?: IAdditionalCredentialOptions;
	/** The execution's cancel signal. */
	signal?: AbortSignal;
}

/**
 * The context n8n's authenticated helper is called with: that helper sets the request's
 * abortSignal to the context's execution cancel signal, replacing any given, so this view
 * hands it the attempt's signal instead (which the cancel signal aborts too).
 */
function withAbortSignal<T extends object>(context: T, signal: AbortSignal): T {
	return Object.create(context, { getExecutionCancelSignal: { value: () => signal } }) as T;
}

/**
 * The options of one attempt. HTTP statuses come back as answers rather than errors, so that
 * every refusal reaches the user with the API's own message and no request option (headers,
 * token) ends up in an error.
 */
function attemptOptions(plan: AttemptPlan, body: RequestBody, upload: boolean, deadline: Deadline): IHttpRequestOptions {
	return {
		...plan.options,
		// A client that follows redirects keeps every byte of the body sent, to send it again
		// after a redirect: a streamed upload would be held whole in memory. An upload's redirect
		// is not followed, whether its body (built for each attempt) is a stream or a buffer.
		...(upload ? { disableFollowRedirect: true } : {}),
		body,
		timeout: Math.min(plan.policy.timeoutMs, MAX_TIMER_MS),
		abortSignal: deadline.signal,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// n8n's helper would otherwise re-send the credential to any host a redirect names.
		sendCredentialsOnCrossOriginRedirect: false,
	};
}

/** The one call to n8n's HTTP helpers: with the credential applied, or without any. */
async function send(plan: AttemptPlan, options: IHttpRequestOptions, deadline: Deadline): Promise<ApiResponse> {
	const { context, target } = plan;
	if (!plan.authenticated) return (await context.helpers.httpRequest(options)) as ApiResponse;
	return (await context.helpers.httpRequestWithAuthentication.call(
		withAbortSignal(context, deadline.signal),
		target.credentialType,
		options,
		plan.credentialOptions,
	)) as ApiResponse;
}

/** A request that got no HTTP answer, classified for the retry decision. */
function sendFailure(error: unknown, body: RequestBody, deadline: Deadline): AttemptResult<ApiResponse> {
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

/** An HTTP answer, as a success or as a refusal classified for the retry decision. */
async function answerResult(
	response: ApiResponse,
	upload: boolean,
	deadline: Deadline,
	timeoutMs: number,
): Promise<AttemptResult<ApiResponse>> {
	if (response.statusCode >= 400 || (upload && response.statusCode >= 300)) {
		const retryAfter = waitAskedFor(response.headers);
		// A streamed answer (a download) is read only as far as an error message needs.
		const refusal = isStream(response.body) ? { ...response, body: await readErrorText(response.body) } : response;
		deadline.end();
		return { ok: false, outcome: { kind: 'status', statusCode: response.statusCode, retryAfter }, error: refusal };
	}
	// A streamed answer (a download) is read after this returns: the deadline runs on until it is done with.
	if (isStream(response.body)) deadline.follow(response.body, () => answerTimeoutError(timeoutMs));
	else deadline.end();
	return { ok: true, value: response };
}

/** Sends one attempt of a request, within its own deadline, and classifies what came back. */
export async function sendAttempt(plan: AttemptPlan): Promise<AttemptResult<ApiResponse>> {
	const body = plan.buildBody ? await plan.buildBody() : plan.options.body;
	const upload = isStream(body) || plan.buildBody !== undefined;
	// Armed once the body is ready: fetching a file again for it (a file from a URL) is its host's time.
	const deadline = startDeadline(plan.policy.timeoutMs, plan.signal);
	let response: ApiResponse;
	try {
		response = await send(plan, attemptOptions(plan, body, upload, deadline), deadline);
	} catch (error) {
		return sendFailure(error, body, deadline);
	}
	return await answerResult(response, upload, deadline, plan.policy.timeoutMs);
}
