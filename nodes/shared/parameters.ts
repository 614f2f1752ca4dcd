import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Reads an ID parameter and returns it URL-encoded as one path segment. An empty ID is
 * refused before any request, naming the parameter, since it would change the route.
 */
export function getPathId(
	context: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	itemIndex: number,
): string {
	// extractValue: a resource locator gives its value; a plain string passes through as it is.
	const raw = context.getNodeParameter(parameterName, itemIndex, '', { extractValue: true }) as string | number;
	const id = String(raw ?? '').trim();
	const problem = pathIdProblem(id);
	if (problem) {
		throw new NodeOperationError(context.getNode(), `${displayName} ${problem} on item ${itemIndex}`, {
			itemIndex,
			description:
				id === ''
					? `Enter the ${displayName}, or map it from a previous node with an expression.`
					: `Enter the real ${displayName}; "." and ".." would change the request path.`,
		});
	}
	return encodeURIComponent(id);
}

/**
 * Why a (trimmed) ID cannot be one segment of a request path, or undefined. Encoded with
 * encodeURIComponent, any other ID is one segment; dots are not encoded, so "." and ".."
 * would address the route itself or the one above it.
 */
export function pathIdProblem(id: string): string | undefined {
	if (id === '') return 'is empty';
	if (id === '.' || id === '..') return `"${id}" is not a valid ID`;
	return undefined;
}

/**
 * Joins a credential's base URL (spaces around it trimmed) and an API path under the base's
 * own path (`…/v1` + `/attachments` → `…/v1/attachments`), without doubling or dropping
 * slashes. The URL API does the joining, so the path stays a path whatever it holds.
 */
export function joinUrl(baseUrl: string, path: string): string {
	const base = baseUrl.trim();
	const relative = path.replace(/^\/+/, '');
	let url: URL;
	try {
		url = new URL(base);
	} catch {
		// Not a URL: the credential checks refuse it before any request; joined as text for their messages.
		return `${base.replace(/\/+$/, '')}/${relative}`;
	}
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${relative}`;
	return url.href;
}

/** Splits a comma- or newline-separated parameter into trimmed, non-empty entries. */
export function splitList(value: string | string[] | undefined): string[] {
	const parts = Array.isArray(value) ? value : (value ?? '').split(/[,\n]/);
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

/** The value as an http(s) URL (resolved against `base` when given), or undefined for anything else. */
export function parseHttpUrl(value: string, base?: string): URL | undefined {
	try {
		const url = new URL(value, base);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a value is an absolute http(s) URL, the only kind the APIs fetch or accept. */
export function isHttpUrl(value: string): boolean {
	return parseHttpUrl(value) !== undefined;
}

/** Scheme, host and port of a URL, without path, query or user info. */
export function safeOrigin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an invalid URL';
	}
}

/** The Put Output File in Field parameter (`binaryPropertyName`) of a download, refused when empty. */
export function getOutputBinaryField(context: IExecuteFunctions, itemIndex: number): string {
	const propertyName = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (propertyName === '') {
		throw new NodeOperationError(context.getNode(), `Put Output File in Field is empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Enter the name of the binary field to put the file in, for example data.',
		});
	}
	return propertyName;
}
