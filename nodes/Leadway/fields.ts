import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resourceLocatorProperty } from '../shared/node';
import type { LeadwayCredentials } from './transport';

/**
 * A conversation, picked from a searchable list (by contact name, email, phone or last
 * message) or entered by ID. Workflows that saved a plain ID string keep working: the value
 * is read with `extractValue`, which passes a plain string through.
 */
export function conversationLocator(description: string, required: boolean): INodeProperties {
	return resourceLocatorProperty({
		displayName: 'Conversation ID',
		name: 'conversationId',
		description,
		searchListMethod: 'searchConversations',
		idPlaceholder: 'e.g. ve9EPM428h8vShlRW1KT',
		noun: 'conversation',
		required,
	});
}

/** Location ID: a plain string, the credential's default when left empty. */
export const locationIdProperty: INodeProperties = {
	displayName: 'Location ID',
	name: 'locationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. ve9EPM428h8vShlRW1KT',
	description: "ID of the location (sub-account). Leave empty to use the credential's Location ID.",
};

/** A text parameter, trimmed ('' when unset). */
export function textParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
}

/** The Conversation ID from its resource locator, or a plain string saved by an older workflow. */
export function conversationIdParameter(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('conversationId', itemIndex, '', { extractValue: true }) as unknown;
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** The node's Location ID, else the credential's; refused before sending when both are empty. */
export function resolveLocationId(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: LeadwayCredentials,
	nodeValue: string,
): string {
	const locationId = nodeValue || String(credentials.locationId ?? '').trim();
	if (locationId === '') {
		throw new NodeOperationError(context.getNode(), `Location ID is empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Enter the Location ID in the node, or set a default Location ID in the Leadway credential.',
		});
	}
	return locationId;
}
