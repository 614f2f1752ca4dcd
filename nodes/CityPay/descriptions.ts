import type { INodeProperties } from 'n8n-workflow';

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
