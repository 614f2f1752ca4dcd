import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { AttemptPlan } from './attempt';
import { sendAttempt } from './attempt';
import { asText, isHtml, isStream, readJson } from './bodies';
import type { FailedRequest, UncertainOutcome } from './errors';
import { cancelledError, redactSecrets, secretValues, statusRefusalError, transportError } from './errors';
import { stopIfChecking } from './preflight';
import type { ApiResponse, ApiTarget, RequestBody, RequestContext } from './request';
import type { RequestPolicy } from './requestOptions';
import { requestWindowOf } from './requestWindow';
import type { AttemptResult, RetryOptions, RetryResult } from './retry';
import { runWithRetries } from './retry';

export interface ExchangeControl {
	policy: RequestPolicy;
	buildBody?: () => Promise<RequestBody>;
	ifUnsure?: UncertainOutcome;
	authenticated: boolean;
	credentials?: ICredentialDataDecryptedObject;
	itemIndex?: number;
}

/** One request on its way: what its attempts share, and what its errors name. */
interface Exchange extends AttemptPlan {
	control: ExchangeControl;
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

function planExchange(
	context: RequestContext,
	target: ApiTarget,
	options: IHttpRequestOptions,
	control: ExchangeControl,
): Exchange {
	const { policy, buildBody, authenticated } = control;
	return {
		context,
		target,
		options,
		policy,
		buildBody,
		authenticated,
		credentialOptions: authenticated ? alreadyRead(context, target.credentialType, control.credentials) : undefined,
		signal: 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined,
		control,
	};
}

/** One attempt, sent from a place in the node run's request window when the router opened one. */
function attemptInWindow(exchange: Exchange): (attemptNumber: number) => Promise<AttemptResult<ApiResponse>> {
	const { context, target, signal, policy } = exchange;
	const window = requestWindowOf(context);
	const cancelled = () => cancelledError(context.getNode(), target.apiName, exchange.control.itemIndex);
	return async (attemptNumber) => {
		if (signal?.aborted) throw cancelled();
		if (!window) return await sendAttempt(exchange);
		// The node run's requests share one window (see ./requestWindow): a 429 or 503 narrows it.
		const retries = { used: attemptNumber - 1, max: policy.maxRetries };
		const attempt = await window.send(async () => await sendAttempt(exchange), { signal, retries });
		if (!attempt) throw cancelled();
		return attempt;
	};
}

function retryOptions({ options, policy, buildBody, signal }: Exchange): RetryOptions {
	return {
		method: options.method ?? 'GET',
		maxRetries: policy.maxRetries,
		// A streamed body without a factory is gone after its first send.
		replayable: buildBody !== undefined || !isStream(options.body),
		baseDelayMs: policy.retryDelayMs,
		signal,
	};
}

/**
 * The secret values an API could echo in a refusal: those of the credential the request
 * carried, read again for a request that did not bring it along (a file download).
 */
async function refusalSecrets({ context, target, control }: Exchange): Promise<string[]> {
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

/** A refusal's body as JSON; an empty one as an empty object, and text that is not JSON as it is (a plain-text message). */
function refusalBody(text: unknown): unknown {
	if (typeof text === 'string' && text.trim() === '') return {};
	const json = readJson(text);
	return json.ok ? json.value : text;
}

/** The error for a request whose last attempt failed: no answer at all, or a refusal. */
async function failureError(exchange: Exchange, result: Extract<RetryResult<ApiResponse>, { ok: false }>): Promise<Error> {
	const { context, target, options, policy, control } = exchange;
	const node = context.getNode();
	const failed: FailedRequest = {
		apiName: target.apiName,
		method: options.method ?? 'GET',
		url: options.url,
		authenticated: control.authenticated,
		timeoutMs: policy.timeoutMs,
		ifUnsure: control.ifUnsure,
		attempts: result.attempts,
		itemIndex: control.itemIndex,
	};
	if (result.outcome.kind === 'network') return transportError(node, failed, result.error);
	const response = result.error as ApiResponse;
	const text = asText(response.body);
	const html = isHtml(text);
	// An HTML page is a proxy's or gateway's, not the API's: its markup is no message.
	const body = html ? undefined : redactSecrets(refusalBody(text), await refusalSecrets(exchange));
	return statusRefusalError(node, failed, target.describeRefusal, response.statusCode, body, html, {
		retryAfter: result.outcome.retryAfter,
		keptRefusing: result.keptRefusing === true,
	});
}

/**
 * Sends one request through n8n's HTTP helpers, retrying failed attempts only when they surely
 * had no effect or the request can be repeated (see ./retry). A refusal or a failure comes back
 * as an error naming the API, the item and the fix.
 */
export async function exchange(
	context: RequestContext,
	target: ApiTarget,
	options: IHttpRequestOptions,
	control: ExchangeControl,
): Promise<ApiResponse> {
	// The check before sending (./preflight) ends here: nothing leaves.
	stopIfChecking(context);
	const planned = planExchange(context, target, options, control);
	const result = await runWithRetries<ApiResponse>(attemptInWindow(planned), retryOptions(planned));
	if (result.ok) {
		const response = result.value;
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
	}
	if (result.cancelled) throw cancelledError(context.getNode(), target.apiName, control.itemIndex);
	throw await failureError(planned, result);
}
