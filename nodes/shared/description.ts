import type { INodeProperties } from 'n8n-workflow';

/** Shows properties only for one resource and operation, keeping any display rules they have. */
export function showOnlyFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	}));
}

/** The "Input Binary Field" parameter every upload operation shows (`binaryPropertyName`, default `data`). */
export function inputBinaryField(hint: string): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint,
	};
}

/** "Return All" and "Limit", as every Get Many operation shows them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Items processed at once when Concurrency is not set. */
export const DEFAULT_CONCURRENCY = 5;

/**
 * "Request Options", shown on every operation of every node: how many items to process at
 * once, how often to retry a request that surely had no effect, how long to wait before
 * each retry, and how long to wait for an answer. Read back with `getRequestPolicy`
 * (./request) and by `routeOperations` (./router) for Concurrency.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many items to process at the same time, each with its own requests. 1 processes one item at a time. Output items keep the input order either way.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description:
				'How many times to send a request again after a rate limit (429), an unavailable service (503) or a connection that never opened. Reads, renames and deletes are also retried after server errors and dropped connections. An upload is never sent again when the file may already have arrived.',
		},
		{
			displayName: 'Retry Delay',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description:
				'Milliseconds to wait before the first retry; each further retry waits about twice as long. A Retry-After from the API is used instead when it sends one (at most 60 seconds).',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300000,
			description: 'Milliseconds to wait for the API to answer one request, upload included, before giving up',
		},
	],
};
