import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { nonObjectEntry, unexpectedAnswerError } from '../shared/transport';
import type { ApiResponse } from '../shared/transport';
import { resourceLocatorProperty } from '../shared/node';

/** The attachment, picked from a list or given by ID, for every operation that names one attachment. */
export function attachmentLocator(description: string): INodeProperties {
	return resourceLocatorProperty({
		displayName: 'Attachment ID',
		name: 'attachmentId',
		description,
		searchListMethod: 'searchAttachments',
		idPlaceholder: 'Nc6yKKMpcxiiFxp6',
		noun: 'attachment',
	});
}

/** One page of a CityPay list. */
export interface AttachmentPage {
	hasMore: boolean;
	data: IDataObject[];
}

/** CityPay lists are `{ has_more, data: [...] }` (API docs); anything else is not CityPay's answer. */
export function readAttachmentPage(node: INode, response: ApiResponse, itemIndex?: number): AttachmentPage {
	const page = (response.body ?? {}) as IDataObject;
	if (!Array.isArray(page.data)) {
		throw new NodeOperationError(
			node,
			`CityPay sent a list without "data"${itemIndex === undefined ? '' : ` on item ${itemIndex}`}`,
			{ itemIndex, description: 'Check that the Base URL in the CityPay credential points at the CityPay API.' },
		);
	}
	const entry = nonObjectEntry(page.data);
	if (entry !== undefined) {
		throw unexpectedAnswerError(node, { apiName: 'CityPay', method: 'GET', itemIndex }, response.statusCode, `a "data" list whose ${entry}`, 'list');
	}
	return { hasMore: page.has_more === true, data: page.data as IDataObject[] };
}
