import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pathIdProblem } from '../transport';

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

/** Splits a comma- or newline-separated parameter into trimmed, non-empty entries. */
export function splitList(value: string | string[] | undefined): string[] {
	const parts = Array.isArray(value) ? value : (value ?? '').split(/[,\n]/);
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
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
