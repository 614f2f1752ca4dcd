import type { INodeProperties } from 'n8n-workflow';

/** The Attachment ID field, shared by every operation that names one attachment. */
export const attachmentIdProperty: INodeProperties = {
	displayName: 'Attachment ID',
	name: 'attachmentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'Nc6yKKMpcxiiFxp6',
	description: 'ID of the attachment',
};
