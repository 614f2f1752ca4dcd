import type { INodeProperties } from 'n8n-workflow';

import { resourceLocatorProperty } from '../shared/node';

/** The Organization ID every operation works in, shown after the operation. */
export const organizationIdProperty: INodeProperties = {
	displayName: 'Organization ID',
	name: 'organizationId',
	type: 'string',
	required: true,
	default: 'c',
	hint: 'Leave "c" to use the organization your API key belongs to',
	description: 'The organization to work in. Agency keys can enter the ID of a sub-organization.',
};

/** The contact an operation works on, picked from a list or given by ID. */
export function contactLocator(description: string): INodeProperties {
	return resourceLocatorProperty({
		displayName: 'Contact ID',
		name: 'contactId',
		description,
		searchListMethod: 'searchContacts',
		idPlaceholder: 'ID of an Invent contact',
		noun: 'contact',
	});
}
