import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError, pathIdProblem } from '../transport';

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
		throw itemError(
			context.getNode(),
			itemIndex,
			`${displayName} ${problem}`,
			id === ''
				? `Enter the ${displayName}, or map it from a previous node with an expression.`
				: `Enter the real ${displayName}; "." and ".." would change the request path.`,
		);
	}
	return encodeURIComponent(id);
}

/** A text parameter, trimmed; `fallback` when the node has no such parameter. */
export function textParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback = ''): string {
	return String(context.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
}

/** A text field's value that must be given: an empty one fails the item, naming the field (`displayName`) and the fix. */
export function nonEmpty(
	context: IExecuteFunctions,
	itemIndex: number,
	value: string,
	field: { displayName: string; fix: string },
): string {
	if (value === '') throw itemError(context.getNode(), itemIndex, `${field.displayName} is empty`, field.fix);
	return value;
}

/** A text parameter that must be given (see `nonEmpty`); `fallback` when the node has no such parameter. */
export function requiredTextParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	field: { name: string; displayName: string; fix: string; fallback?: string },
): string {
	return nonEmpty(context, itemIndex, textParameter(context, field.name, itemIndex, field.fallback), field);
}

/** Splits a comma- or newline-separated parameter into trimmed, non-empty entries. */
export function splitList(value: string | string[] | undefined): string[] {
	const parts = Array.isArray(value) ? value : (value ?? '').split(/[,\n]/);
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

/** The Put Output File in Field parameter (`binaryPropertyName`) of a download, refused when empty. */
export function getOutputBinaryField(context: IExecuteFunctions, itemIndex: number): string {
	return requiredTextParameter(context, itemIndex, {
		name: 'binaryPropertyName',
		displayName: 'Put Output File in Field',
		fix: 'Enter the name of the binary field to put the file in, for example data.',
		fallback: 'data',
	});
}

/** How many items a Get Many returns at most: its Limit, or Infinity with Return All. */
export function getLimit(context: IExecuteFunctions, itemIndex: number): number {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? Infinity : (context.getNodeParameter('limit', itemIndex, 50) as number);
}
