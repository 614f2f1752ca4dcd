import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiSession } from '../../../shared/apiClient';
import type { UploadFile } from '../../../shared/binaryInput';
import { readBinaryFile } from '../../../shared/binaryInput';
import { inputTypeProperty, optionsCollection, showOnlyFor } from '../../../shared/description';
import type { MultipartField } from '../../../shared/multipart';
import { isHttpUrl, splitList } from '../../../shared/parameters';
import { openUrlFiles, splitUrlList } from '../../../shared/urlInput';
import type { UploadAnswer, UploadedFile } from '../../rules';
import {
	assertFilesAllowed,
	LEADWAY_FILE_RULES,
	chunk,
	LEADWAY_MAX_FILES_PER_REQUEST,
	mergeUploadAnswers,
	readUploadAnswer,
	withUploadProgress,
} from '../../rules';
import type { LeadwayCredentials } from '../../transport';
import { leadwayApi } from '../../transport';

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
	inputTypeProperty('Leadway'),
	{
		displayName: 'File URLs',
		name: 'fileUrls',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/files/report.pdf, https://example.com/files/photo.jpg',
		description:
			'One or more public http(s) URLs of the files to upload, separated by commas or new lines, for example https://example.com/files/report.pdf. n8n downloads each without credentials and streams it straight to Leadway; each file is named after the end of its URL.',
		displayOptions: { show: { inputType: ['url'] } },
	},
	{
		displayName: 'Files',
		name: 'filesFrom',
		type: 'options',
		options: [
			{
				name: 'All Binary Fields of the Item',
				value: 'all',
				description: 'Upload every file the input item carries',
			},
			{
				name: 'Named Binary Fields',
				value: 'named',
				description: 'Upload the files in the binary fields listed below',
			},
		],
		default: 'named',
		displayOptions: { show: { inputType: ['binary'] } },
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
		displayOptions: { show: { inputType: ['binary'], filesFrom: ['named'] } },
	},
	optionsCollection([
		{
			displayName: 'Attachment URLs',
			name: 'attachmentUrls',
			type: 'string',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
			default: [],
			placeholder: 'https://example.com/files/brochure.pdf',
			description: 'URLs of files already hosted elsewhere, sent as attachmentUrls with the first upload request',
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
	]),
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

async function readFiles(context: IExecuteFunctions, itemIndex: number): Promise<UploadFile[]> {
	if (context.getNodeParameter('inputType', itemIndex, 'binary') === 'url') {
		const urls = splitUrlList(context.getNodeParameter('fileUrls', itemIndex, ''));
		return await openUrlFiles(context, itemIndex, urls, { rules: LEADWAY_FILE_RULES });
	}
	const filesFrom = context.getNodeParameter('filesFrom', itemIndex, 'named') as string;
	let propertyNames: string[];
	if (filesFrom === 'all') {
		propertyNames = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		if (propertyNames.length === 0) {
			throw new NodeOperationError(context.getNode(), `No binary data to upload on item ${itemIndex}`, {
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
	const files: UploadFile[] = [];
	for (const propertyName of propertyNames) files.push(await readBinaryFile(context, itemIndex, propertyName));
	return files;
}

interface Conversation {
	conversationId: string;
	contactId: string;
}

function getConversation(context: IExecuteFunctions, itemIndex: number): Conversation {
	const conversationId = textParameter(context, 'conversationId', itemIndex);
	const contactId = textParameter(context, 'contactId', itemIndex);
	// Leadway: one of conversationId or contactId must be given (API docs).
	if (conversationId === '' && contactId === '') {
		throw new NodeOperationError(context.getNode(), `Conversation ID and Contact ID are both empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Leadway needs to know where the files go: enter a Conversation ID, a Contact ID, or both.',
		});
	}
	return { conversationId, contactId };
}

/** Where the files go, and how: every text field of the upload form. */
interface UploadTarget extends Conversation {
	locationId: string;
	attachmentUrls: string[];
	chatServiceSid: string;
	isGroupSms: boolean;
}

function getUploadTarget(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: LeadwayCredentials,
	conversation: Conversation,
): UploadTarget {
	const locationId = textParameter(context, 'locationId', itemIndex) || String(credentials.locationId ?? '').trim();
	if (locationId === '') {
		throw new NodeOperationError(context.getNode(), `Location ID is empty on item ${itemIndex}`, {
			itemIndex,
			description: 'Enter the Location ID in the node, or set a default Location ID in the Leadway credential.',
		});
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		...conversation,
		locationId,
		attachmentUrls: getAttachmentUrls(context, itemIndex, options.attachmentUrls),
		chatServiceSid: String(options.chatServiceSid ?? '').trim(),
		isGroupSms: options.isGroupSms === true,
	};
}

/** The text fields of one upload request; `first` is the first request of the item. */
function uploadFields(target: UploadTarget, first: boolean): MultipartField[] {
	const fields: MultipartField[] = [];
	if (target.conversationId) fields.push(['conversationId', target.conversationId]);
	if (target.contactId) fields.push(['contactId', target.contactId]);
	fields.push(['locationId', target.locationId]);
	// Sent once, with the first request, so a split upload does not attach them twice.
	if (first) for (const url of target.attachmentUrls) fields.push(['attachmentUrls', url]);
	if (target.chatServiceSid) fields.push(['chatServiceSid', target.chatServiceSid]);
	if (target.isGroupSms) fields.push(['isGroupSms', 'true']);
	return fields;
}

/** Sends the batches one after another; a failure names the files already in Leadway. */
async function sendBatches(
	context: IExecuteFunctions,
	itemIndex: number,
	leadway: ApiSession<LeadwayCredentials>,
	target: UploadTarget,
	batches: UploadFile[][],
): Promise<UploadAnswer[]> {
	const answers: UploadAnswer[] = [];
	const uploaded: UploadedFile[] = [];
	for (const [batchIndex, batch] of batches.entries()) {
		let body: unknown;
		try {
			({ body } = await leadway.request({
				method: 'POST',
				path: UPLOAD_PATH,
				multipart: {
					fields: uploadFields(target, batchIndex === 0),
					files: batch.map((file) => ({ fieldName: 'fileAttachment', file })),
				},
				ifUnsure: {
					outcome: 'The files may or may not have arrived in Leadway',
					check: 'Check the conversation in Leadway before running this item again, so the files are not sent twice.',
				},
			}));
		} catch (error) {
			const progress = {
				sent: batches.slice(0, batchIndex).flat(),
				uploaded,
				notSent: batches.slice(batchIndex).flat(),
			};
			throw withUploadProgress(context.getNode(), itemIndex, error, progress, batchIndex + 1, batches.length);
		}
		const answer = readUploadAnswer(body);
		answers.push(answer);
		for (const [name, url] of Object.entries(answer.uploadedFiles)) uploaded.push({ name, url });
	}
	return answers;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversation = getConversation(this, itemIndex);
	const leadway = await leadwayApi.session(this, itemIndex);
	const target = getUploadTarget(this, itemIndex, leadway.credentials, conversation);

	const files = await readFiles(this, itemIndex);
	try {
		assertFilesAllowed(this.getNode(), itemIndex, files, target.isGroupSms);
		// Leadway: at most 5 files per request (API docs), so larger sets go in several requests.
		const batches = chunk(files, LEADWAY_MAX_FILES_PER_REQUEST);
		const answers = await sendBatches(this, itemIndex, leadway, target, batches);
		return [{ json: mergeUploadAnswers(answers) }];
	} finally {
		for (const file of files) file.release?.();
	}
}
