import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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
