import type { INodeProperties } from 'n8n-workflow';

import { mimeTypeOption, resourceLocatorProperty } from '../shared/node';

/**
 * A conversation, picked from a searchable list (by contact name, email, phone or last
 * message) or entered by ID. A plain ID string saved in a workflow reads too: the value is
 * read with `extractValue`, which passes a plain string through.
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

/** The "Files" choice: which of the item's binary fields to send. */
export function filesFromProperty(withNone: boolean, hint: string): INodeProperties {
	return {
		displayName: 'Files',
		name: 'filesFrom',
		type: 'options',
		options: [
			...(withNone ? [{ name: 'None', value: 'none', description: 'Send no files from the item' }] : []),
			{
				name: 'Input Binary Fields',
				value: 'named',
				description: 'The files in the binary fields named below',
			},
			{
				name: 'All Binary Fields of the Item',
				value: 'all',
				description: 'Every file the input item carries',
			},
		],
		// Operations where files are optional (Message > Send) default to None.
		default: 'named',
		hint,
	};
}

/** The "Input Binary Fields" list shown when Files is Input Binary Fields. */
export const inputBinaryFieldsProperty: INodeProperties = {
	displayName: 'Input Binary Fields',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	placeholder: 'data, invoice, photo',
	hint: 'Comma-separated names of the input binary fields holding the files, e.g. data, invoice',
	displayOptions: { show: { filesFrom: ['named'] } },
};

/** Options → Attachment URLs: files already hosted, given by URL. */
export function attachmentUrlsOption(description: string): INodeProperties {
	return {
		displayName: 'Attachment URLs',
		name: 'attachmentUrls',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
		default: [],
		placeholder: 'https://example.com/files/brochure.pdf',
		description,
	};
}

/** Options → MIME Type: one type for every file of the item, instead of each file's own. */
export const filesMimeTypeOption: INodeProperties = {
	...mimeTypeOption,
	description:
		"MIME type to send for every file of the item, for example image/png, instead of the one each file comes with or its name implies. Use it when the source gives a wrong or generic type.",
};
