import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BinaryFile } from '../../../shared/binaryInput';
import { readBinaryFile } from '../../../shared/binaryInput';
import { showOnlyFor } from '../../../shared/description';
import { assertFileAllowed } from '../../../shared/fileRules';
import type { MultipartField } from '../../../shared/multipart';
import { toMultipartForm } from '../../../shared/multipart';
import { isHttpUrl, splitList } from '../../../shared/parameters';
import type { UploadAnswer, UploadedFile } from '../../helpers';
import { chunk, describeUploaded, mergeUploadAnswers, readUploadAnswer } from '../../helpers';
import {
	getLeadwayCredentials,
	LEADWAY_EXTENSIONS,
	LEADWAY_MAX_FILE_BYTES,
	LEADWAY_MAX_FILES_PER_REQUEST,
	leadwayMultipartRequest,
} from '../../transport';

const UPLOAD_PATH = '/conversations/messages/upload';

const properties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		description: 'ID of the conversation to upload to. Enter a Conversation ID, a Contact ID, or both.',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		description: 'ID of the contact whose conversation gets the files. Enter a Conversation ID, a Contact ID, or both.',
	},
	{
		displayName: 'Location ID',
		name: 'locationId',
		type: 'string',
		default: '',
		description: "ID of the location (sub-account). Leave empty to use the credential's Location ID.",
	},
	{
		displayName: 'Files',
		name: 'filesFrom',
		type: 'options',
		options: [
			{
				name: 'All Binary Properties of the Item',
				value: 'all',
				description: 'Upload every file the input item carries',
			},
			{
				name: 'Named Binary Properties',
				value: 'named',
				description: 'Upload the files in the binary properties listed below',
			},
		],
		default: 'named',
		hint: 'Each file is one fileAttachment part. More than 5 files on one item are sent in several requests of at most 5, merged into one output item.',
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'data, invoice, photo',
		hint: 'Comma-separated names of the input binary fields holding the files to upload',
		displayOptions: { show: { filesFrom: ['named'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Attachment URLs',
				name: 'attachmentUrls',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
				default: [],
				placeholder: 'https://example.com/files/brochure.pdf',
				description:
					'URLs of files already hosted elsewhere, sent as attachmentUrls with the first upload request',
			},
			{
				displayName: 'Chat Service SID',
				name: 'chatServiceSid',
				type: 'string',
				default: '',
				placeholder: 'ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
				description: 'Twilio chat service SID, for group SMS uploads',
			},
			{
				displayName: 'Group SMS',
				name: 'isGroupSms',
				type: 'boolean',
				default: false,
				description: 'Whether to use the group SMS upload flow. Leadway then accepts exactly one file per request.',
			},
		],
	},
];

export const description = showOnlyFor('conversation', 'upload', properties);

function textParameter(context: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
}

function getAttachmentUrls(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const urls = splitList(value as string | string[] | undefined);
	for (const url of urls) {
		if (!isHttpUrl(url)) {
			throw new NodeOperationError(context.getNode(), `Attachment URL is not a valid http(s) URL on item ${itemIndex}`, {
				itemIndex,
				description: `Enter full URLs starting with https:// (got "${url.slice(0, 100)}").`,
			});
		}
	}
	return urls;
}

async function readFiles(context: IExecuteFunctions, itemIndex: number): Promise<BinaryFile[]> {
	const filesFrom = context.getNodeParameter('filesFrom', itemIndex, 'named') as string;
	let propertyNames: string[];
	if (filesFrom === 'all') {
		propertyNames = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		if (propertyNames.length === 0) {
			throw new NodeOperationError(context.getNode(), `Item ${itemIndex} has no binary data to upload`, {
				itemIndex,
				description:
					'Put a node that outputs files before this one (for example Read/Write Files from Disk or HTTP Request).',
			});
		}
	} else {
		const listed = splitList(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string);
		// An empty list still goes through readBinaryFile, which explains what to enter.
		propertyNames = listed.length > 0 ? [...new Set(listed)] : [''];
	}
	const files: BinaryFile[] = [];
	for (const propertyName of propertyNames) files.push(await readBinaryFile(context, itemIndex, propertyName));
	return files;
}

function assertFilesAllowed(context: IExecuteFunctions, itemIndex: number, files: BinaryFile[], isGroupSms: boolean) {
	const node = context.getNode();
	for (const file of files) {
		// Leadway: at most 5 MB per file, types JPG JPEG PNG MP4 MPEG ZIP RAR PDF DOC DOCX TXT MP3 WAV (API docs).
		assertFileAllowed(node, file, {
			apiName: 'Leadway',
			maxBytes: LEADWAY_MAX_FILE_BYTES,
			extensions: LEADWAY_EXTENSIONS,
			// Leadway checks the type by extension: a name and MIME type of different kinds would mislabel the file.
			mimeMustMatchExtension: true,
		});
	}
	// Leadway answers with URLs keyed by file name: two files of one name would lose a URL.
	const seen = new Map<string, string>();
	for (const file of files) {
		const other = seen.get(file.fileName);
		if (other !== undefined) {
			throw new NodeOperationError(node, `Item ${itemIndex}: two files are named "${file.fileName}"`, {
				itemIndex,
				description: `Binary properties "${other}" and "${file.propertyName}" hold files of the same name. Leadway returns one URL per file name, so rename one of them first.`,
			});
		}
		seen.set(file.fileName, file.propertyName);
	}
	// Leadway: with isGroupSms, exactly one file per request (API docs).
	if (isGroupSms && files.length > 1) {
		throw new NodeOperationError(node, `Item ${itemIndex}: Group SMS allows one file, but ${files.length} were given`, {
			itemIndex,
			description: `Leadway's group SMS upload takes exactly one file per request. Upload one file per item (for example split the files into items first), or turn Group SMS off. Files: ${files.map((file) => file.fileName).join(', ')}.`,
		});
	}
}

/**
 * A later request of a split upload failed: the error tells which files are already in
 * Leadway (names and URLs) and which are not, so a re-run does not send any file twice.
 */
function withUploadProgress(
	context: IExecuteFunctions,
	itemIndex: number,
	caught: unknown,
	progress: { sent: BinaryFile[]; uploaded: UploadedFile[]; notSent: BinaryFile[] },
	requestNumber: number,
	requestCount: number,
): NodeApiError | NodeOperationError {
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(context.getNode(), caught as Error, { itemIndex });
	if (requestNumber === 1) return error;
	const urls = new Map(progress.uploaded.map((file) => [file.name, file.url]));
	const sent = progress.sent.map((file) => ({ name: file.fileName, url: urls.get(file.fileName) ?? 'no URL returned' }));
	error.message = `${error.message} (upload request ${requestNumber} of ${requestCount}; ${sent.length} files were already uploaded)`;
	error.description = [
		`Already uploaded, do not send again: ${describeUploaded(sent)}.`,
		`Not uploaded: ${progress.notSent.map((file) => file.fileName).join(', ')}.`,
		error.description ?? '',
	]
		.join(' ')
		.trim();
	return error;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversationId = textParameter(this, 'conversationId', itemIndex);
	const contactId = textParameter(this, 'contactId', itemIndex);
	// Leadway: one of conversationId or contactId must be given (API docs).
	if (conversationId === '' && contactId === '') {
		throw new NodeOperationError(this.getNode(), `Conversation ID and Contact ID are both empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Leadway needs to know where the files go: enter a Conversation ID, a Contact ID, or both.',
		});
	}
	const credentials = await getLeadwayCredentials(this, itemIndex);
	const locationId = textParameter(this, 'locationId', itemIndex) || String(credentials.locationId ?? '').trim();
	if (locationId === '') {
		throw new NodeOperationError(this.getNode(), `Location ID is empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Enter the Location ID in the node, or set a default Location ID in the Leadway credential.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const attachmentUrls = getAttachmentUrls(this, itemIndex, options.attachmentUrls);
	const chatServiceSid = String(options.chatServiceSid ?? '').trim();
	const isGroupSms = options.isGroupSms === true;

	const files = await readFiles(this, itemIndex);
	assertFilesAllowed(this, itemIndex, files, isGroupSms);

	// Leadway: at most 5 files per request (API docs), so larger sets go in several requests.
	const batches = chunk(files, LEADWAY_MAX_FILES_PER_REQUEST);
	const answers: UploadAnswer[] = [];
	const uploaded: UploadedFile[] = [];
	for (const [batchIndex, batch] of batches.entries()) {
		const fields: MultipartField[] = [];
		if (conversationId) fields.push(['conversationId', conversationId]);
		if (contactId) fields.push(['contactId', contactId]);
		fields.push(['locationId', locationId]);
		// Sent once, with the first request, so a split upload does not attach them twice.
		if (batchIndex === 0) for (const url of attachmentUrls) fields.push(['attachmentUrls', url]);
		if (chatServiceSid) fields.push(['chatServiceSid', chatServiceSid]);
		if (isGroupSms) fields.push(['isGroupSms', 'true']);

		const buildForm = async () =>
			await toMultipartForm(
				fields,
				batch.map((file) => ({ fieldName: 'fileAttachment', file })),
			);
		let body: unknown;
		try {
			({ body } = await leadwayMultipartRequest(this, itemIndex, UPLOAD_PATH, buildForm));
		} catch (error) {
			const progress = {
				sent: batches.slice(0, batchIndex).flat(),
				uploaded,
				notSent: batches.slice(batchIndex).flat(),
			};
			throw withUploadProgress(this, itemIndex, error, progress, batchIndex + 1, batches.length);
		}
		const answer = readUploadAnswer(body);
		answers.push(answer);
		for (const [name, url] of Object.entries(answer.uploadedFiles)) uploaded.push({ name, url });
	}
	return [{ json: mergeUploadAnswers(answers) }];
}
