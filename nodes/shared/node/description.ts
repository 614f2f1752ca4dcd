import type { INodeProperties } from 'n8n-workflow';

/** Shows properties only for one resource and operation, keeping any display rules they have. */
export function showOnlyFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	}));
}

/** The "Input Binary Field" parameter every upload operation shows (`binaryPropertyName`, default `data`). */
export function inputBinaryField(hint: string): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint,
		// Shown unless Input Type is URL; operations without an Input Type always show it.
		displayOptions: { hide: { inputType: ['url'] } },
	};
}

/** "Put Output File in Field": the binary field a download puts its file in (read back by `getOutputBinaryField`). */
export const outputBinaryField: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

/**
 * "Input Type": where an upload takes its file from, each choice worded by `descriptions` when
 * given. `Binary File` is the default: a workflow saved without an Input Type sends a binary file.
 */
export function inputTypeProperty(apiName: string, descriptions?: { binary: string; url: string }): INodeProperties {
	return {
		displayName: 'Input Type',
		name: 'inputType',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: descriptions?.binary ?? 'Send a file from a binary field of the input item',
			},
			{
				name: 'URL',
				value: 'url',
				description:
					descriptions?.url ??
					`Download a file from a public http(s) URL and stream it to ${apiName}; use this when the node runs as an AI tool`,
			},
		],
		default: 'binary',
	};
}

/** "File URL": the file an upload with Input Type URL sends (read back by `readInputFile`). */
export function fileUrlProperty(apiName: string): INodeProperties {
	return {
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/files/report.pdf',
		description: `Public http(s) URL of the file to send to ${apiName}, for example https://example.com/files/report.pdf. n8n downloads it without credentials (a pre-signed link works) and streams it straight to ${apiName}. The file name comes from the end of the URL unless File Name is set.`,
		displayOptions: { show: { inputType: ['url'] } },
	};
}

/** "Options": the collection of optional parameters an operation shows last. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options };
}

/** "Filters": the collection of conditions a Get Many lists by. */
export function filtersCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add filter', default: {}, options };
}

/** The "File Name" option of an upload (read back by `readInputBinaryFile` and `readInputFile`). */
export const fileNameOption: INodeProperties = {
	displayName: 'File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	placeholder: 'report.pdf',
	description: 'Name to store the file under, with its extension (for example report.pdf), instead of the binary file name or the name at the end of the File URL',
};

/** The "MIME Type" option of an upload (read back by `readInputBinaryFile` and `readInputFile`). */
export const mimeTypeOption: INodeProperties = {
	displayName: 'MIME Type',
	name: 'mimeType',
	type: 'string',
	default: '',
	placeholder: 'application/pdf',
	description:
		'MIME type to send, for example application/pdf, instead of the one the file comes with or its name implies. Use it when the source gives a wrong or generic type.',
};

/** "Return All" and "Limit", as every Get Many operation shows them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];
