import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * The most items processed at once when Concurrency is not set: enough to keep a batch of
 * small uploads moving against an API that answers in tens of milliseconds. Fewer are sent
 * while the API answers 429 or 503 (see ./requestWindow).
 */
export const DEFAULT_CONCURRENCY = 50;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_RETRY_DELAY_MS = 1_000;

/**
 * "Request Options", shown on every operation of every node: how many items to process at
 * once, how often to retry a request that surely had no effect, how long to wait before
 * each retry, and how long to wait for an answer. Read back with `getConcurrency` and
 * `getRequestPolicy`.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_CONCURRENCY,
			description:
				'The most items to send at the same time: fewer while the API answers 429 or 503 (none before its Retry-After), then more again up to this number. Output items keep the input order either way.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How often to send a request again after a rate limit, an unavailable service or a failed connection; an upload that may already have arrived is never sent again. Once the API has kept answering 429 or 503 through this many retries, later 429 and 503 answers in the run fail at once.',
		},
		{
			displayName: 'Retry Delay (Milliseconds)',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_RETRY_DELAY_MS,
			description:
				'How long to wait before the first retry; each further retry waits about twice as long, at most 60 seconds. A wait the API asks for is used instead; when it is longer than 60 seconds the item fails at once, its error saying when to try again.',
		},
		{
			displayName: 'Timeout (Milliseconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long one request may take in all, from its first byte sent (upload included) to the last byte of the answer (downloads included), before giving up. A file from a File URL gets the same time for its host to send it.',
		},
	],
};

/** Retries and timeout of one request, from the node's Request Options. */
export interface RequestPolicy {
	/** Further attempts after the first, only when the failed one surely had no effect (or could be repeated). */
	maxRetries: number;
	timeoutMs: number;
	/** Base of the exponential back-off; a Retry-After from the API takes precedence. */
	retryDelayMs: number;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
	maxRetries: DEFAULT_MAX_RETRIES,
	timeoutMs: DEFAULT_TIMEOUT_MS,
	retryDelayMs: DEFAULT_RETRY_DELAY_MS,
};

function requestOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
}

/** Retries and timeout for one item's requests, with the defaults filled in. */
export function getRequestPolicy(context: IExecuteFunctions, itemIndex: number): RequestPolicy {
	const options = requestOptions(context, itemIndex);
	const whole = (value: unknown, fallback: number, min: number) => {
		const number = typeof value === 'number' ? value : Number(value);
		return Number.isFinite(number) && value !== '' && value !== undefined ? Math.max(min, Math.floor(number)) : fallback;
	};
	return {
		maxRetries: whole(options.maxRetries, DEFAULT_MAX_RETRIES, 0),
		timeoutMs: whole(options.timeout, DEFAULT_TIMEOUT_MS, 1),
		retryDelayMs: whole(options.retryDelay, DEFAULT_RETRY_DELAY_MS, 0),
	};
}

/** Concurrency for the whole run (read from the first item): a whole number of at least 1. */
export function getConcurrency(context: IExecuteFunctions): number {
	const options = requestOptions(context, 0);
	const value = Number(options.concurrency ?? DEFAULT_CONCURRENCY);
	return Number.isFinite(value) && options.concurrency !== '' ? Math.max(1, Math.floor(value)) : DEFAULT_CONCURRENCY;
}
