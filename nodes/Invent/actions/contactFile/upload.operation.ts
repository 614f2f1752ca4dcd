import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { assertFileAllowed, jsonFileBody, jsonFileRequestBody, readInputBinaryFile } from '../../../shared/binary';
import {
	fileNameOption,
	getPathId,
	ifFileExistsOf,
	ifFileExistsOption,
	inputBinaryField,
	inputTypeProperty,
	mimeTypeOption,
	optionsCollection,
	showOnlyFor,
	splitList,
	uploadUnlessExists,
} from '../../../shared/node';
import type { FileToSend } from '../../../shared/node';
import type { JsonFileBody } from '../../../shared/binary';
import { isHttpUrl, itemError } from '../../../shared/transport';
import { contactLocator, organizationIdProperty } from '../../descriptions';
import { contactFilesOf, contactFilesPlace } from '../../helpers';
import { MAX_ALLOWED_TYPES, MAX_ALLOWED_TYPE_LENGTH, MIME_PATTERN } from '../../rules';
import { inventApi } from '../../transport';

const properties: INodeProperties[] = [
	organizationIdProperty,
	contactLocator('The Invent contact to attach the file to'),
	inputTypeProperty('Invent', {
		binary: 'Send a file from the input item',
		url: 'Let Invent fetch the file from a public URL',
	}),
	{
		...inputBinaryField('The name of the input binary field containing the file to be uploaded'),
		displayOptions: { show: { inputType: ['binary'] } },
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/files/document.pdf',
		description:
			'Public http(s) URL that Invent downloads the file from itself, for example https://example.com/files/report.pdf. Use this when the node runs as an AI tool.',
		displayOptions: { show: { inputType: ['url'] } },
	},
	optionsCollection([
		{
			displayName: 'Allowed MIME Types',
			name: 'allowedTypes',
			type: 'string',
			default: '',
			placeholder: 'image/*, application/pdf',
			description:
				'Comma-separated MIME patterns the file must match. Checked here before upload and sent to Invent as allowed_types.',
		},
		{ ...fileNameOption, displayOptions: { show: { '/inputType': ['binary'] } } },
		ifFileExistsOption(
			"What to do when the contact already has a file with the same name and the same size in bytes. The check reads the contact's file list once per run: one request per 100 files. A file by URL is always uploaded: Invent fetches it itself, so its size is not known here.",
		),
		// By URL, Invent fetches the file itself and decides its type.
		{ ...mimeTypeOption, displayOptions: { show: { '/inputType': ['binary'] } } },
	]),
];

export const description = showOnlyFor('contactFile', 'upload', properties);

export const changesDataIn = 'Invent';

function getAllowedTypes(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const allowedTypes = splitList(value as string);
	const invalid = allowedTypes.find(
		(type) => type.length > MAX_ALLOWED_TYPE_LENGTH || !MIME_PATTERN.test(type),
	);
	if (invalid !== undefined || allowedTypes.length > MAX_ALLOWED_TYPES) {
		throw itemError(
			context.getNode(),
			itemIndex,
			'Allowed MIME Types is not valid',
			invalid !== undefined
				? `"${invalid.slice(0, 60)}" is not a MIME pattern. Use entries like image/*, application/pdf or */*, at most ${MAX_ALLOWED_TYPE_LENGTH} characters each.`
				: `Invent accepts at most ${MAX_ALLOWED_TYPES} entries; ${allowedTypes.length} were given.`,
		);
	}
	return allowedTypes;
}

function getFileUrl(context: IExecuteFunctions, itemIndex: number): string {
	const fileUrl = (context.getNodeParameter('fileUrl', itemIndex, '') as string).trim();
	if (!isHttpUrl(fileUrl)) {
		throw itemError(
			context.getNode(),
			itemIndex,
			'File URL is not a valid http(s) URL',
			`Enter a full public URL starting with https:// (got "${fileUrl.slice(0, 100)}").`,
		);
	}
	return fileUrl;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const contactId = getPathId(this, 'contactId', 'Contact ID', itemIndex);
	const inputType = this.getNodeParameter('inputType', itemIndex, 'binary') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const allowedTypes = getAllowedTypes(this, itemIndex, options.allowedTypes);
	const withAllowedTypes = (body: IDataObject): IDataObject =>
		allowedTypes.length > 0 ? { ...body, allowed_types: allowedTypes } : body;
	let body: IDataObject | undefined;
	let jsonFile: JsonFileBody | undefined;
	// By URL the size is not known here (Invent fetches the file): such a file is always uploaded.
	let toSend: FileToSend = { fileName: '', size: undefined };

	if (inputType === 'url') {
		body = withAllowedTypes({ file_url: getFileUrl(this, itemIndex) });
	} else {
		const file = await readInputBinaryFile(this, itemIndex);
		assertFileAllowed(this.getNode(), file, { apiName: 'Invent', mimePatterns: allowedTypes });
		// Invent: the `{ data, name, type }` form keeps the name and MIME type (API docs). The
		// base64 is streamed into the JSON as it is sent, never held whole.
		jsonFile = jsonFileBody(file, (data) =>
			withAllowedTypes({ file: { data, name: file.fileName, type: file.mimeType } }),
		);
		toSend = { fileName: file.fileName, size: file.size };
	}

	const files = contactFilesOf(this, itemIndex, contactId);
	const place = () => contactFilesPlace(this, itemIndex, files);
	return await uploadUnlessExists(this, itemIndex, { ifFileExists: ifFileExistsOf(options), file: toSend, place }, async () => {
		const response = await inventApi.request(this, itemIndex, {
			method: 'POST',
			path: files.path,
			body,
			streamed: jsonFile && jsonFileRequestBody(jsonFile),
			ifUnsure: {
				outcome: 'The file may or may not have arrived in Invent',
				check: "Check the contact's files in Invent before running this item again, so the file is not attached twice.",
			},
		});
		return response.body as IDataObject;
	});
}
