import type { IDataObject, INodeListSearchItems, INodeProperties } from 'n8n-workflow';

import type { FileRecordFields } from '../binary';

/** What a resource locator shows: the thing it names, its list search, and how an ID of it looks. */
export interface ResourceLocatorOptions {
	displayName: string;
	name: string;
	description: string;
	/** Name of the node's `methods.listSearch` function behind "From List". */
	searchListMethod: string;
	/** An example ID, shown in "By ID". */
	idPlaceholder: string;
	/** The thing, as in "Select a contact…". */
	noun: string;
	/** A regex a whole ID must match, with what to do when it does not. Without one, any single path segment is accepted. */
	idFormat?: { regex: string; errorMessage: string };
	/** Whether the ID must be given (default true). */
	required?: boolean;
	/** Offer "By URL" too, with this example URL: the node reads the mode and finds the thing by its URL. */
	urlPlaceholder?: string;
}

/**
 * One ID a user can pick "From List" (searchable) or type "By ID". Read it with
 * `getNodeParameter(name, itemIndex, undefined, { extractValue: true })`, which returns a
 * parameter saved as a plain string as it is.
 */
export function resourceLocatorProperty(options: ResourceLocatorOptions): INodeProperties {
	const { displayName, name, description, searchListMethod, idPlaceholder, noun, idFormat, required = true, urlPlaceholder } = options;
	const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
	return {
		displayName,
		name,
		type: 'resourceLocator',
		required,
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${article} ${noun}...`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: idPlaceholder,
				validation: [
					{
						type: 'regex',
						properties: idFormat ?? {
							// An ID becomes one segment of the request path (trimmed). Blank passes here: an
							// optional locator may stay empty, and the node names an empty required one.
							regex: '\\s*[^\\s/?#]*\\s*',
							errorMessage: `Enter ${article} ${noun} ID without spaces or "/", "?" and "#"`,
						},
					},
				],
			},
			...(urlPlaceholder === undefined
				? []
				: [
						{
							displayName: 'By URL',
							name: 'url',
							type: 'string' as const,
							placeholder: urlPlaceholder,
							validation: [
								{
									type: 'regex' as const,
									properties: { regex: '\\s*https?://\\S+\\s*', errorMessage: `Enter the http(s) URL of ${article} ${noun}` },
								},
							],
						},
					]),
		],
	};
}

/** Whether an entry's text contains what the user typed in a list search, ignoring case. */
export function matchesSearch(text: string | undefined, filter: string | undefined): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return wanted === '' || (text ?? '').toLowerCase().includes(wanted);
}

/** A file record as a list search entry: named by its file name, else its ID, and linked to its `file_url`. */
export function fileSearchEntry(record: IDataObject, fields: Pick<FileRecordFields, 'name'>): INodeListSearchItems {
	const id = String(record.id);
	const fileName = record[fields.name];
	return {
		name: typeof fileName === 'string' && fileName !== '' ? fileName : id,
		value: id,
		...(typeof record.file_url === 'string' ? { url: record.file_url } : {}),
	};
}
