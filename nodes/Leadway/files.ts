import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiSession } from '../shared/transport';
import type { MultipartField, UploadFile } from '../shared/binary';
import { explainUnfinishedUpload, multipartBody, openUrlFiles, readBinaryFile, splitUrlList } from '../shared/binary';
import { mimeTypeOption, splitList } from '../shared/node';
import { isHttpUrl } from '../shared/transport';
import type { UploadAnswer, UploadedFile } from './rules';
import {
	LEADWAY_FILE_RULES,
	LEADWAY_MAX_FILES_PER_REQUEST,
	chunk,
	readUploadAnswer,
	withUploadProgress,
} from './rules';
import type { LeadwayCredentials } from './transport';

const UPLOAD_PATH = '/conversations/messages/upload';

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

/** URLs of files already hosted (or uploaded before), checked to be http(s) before anything is sent. */
export function readAttachmentUrls(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
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

/** The item's files: from File URLs (Input Type URL), else as chosen by Files and Input Binary Fields ([] for None). */
export async function readFiles(context: IExecuteFunctions, itemIndex: number): Promise<UploadFile[]> {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const mimeType = typeof options.mimeType === 'string' ? options.mimeType : undefined;
	if (context.getNodeParameter('inputType', itemIndex, 'binary') === 'url') {
		const urls = splitUrlList(context.getNodeParameter('fileUrls', itemIndex, ''));
		return await openUrlFiles(context, itemIndex, urls, { rules: LEADWAY_FILE_RULES, mimeType });
	}
	const filesFrom = context.getNodeParameter('filesFrom', itemIndex, 'named') as string;
	if (filesFrom === 'none') return [];
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
	for (const propertyName of propertyNames) files.push(await readBinaryFile(context, itemIndex, propertyName, { mimeType }));
	return files;
}

/** Where the files go, and how: every text field of the upload form. */
export interface UploadTarget {
	conversationId: string;
	contactId: string;
	locationId: string;
	attachmentUrls: string[];
	chatServiceSid: string;
	isGroupSms: boolean;
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

/**
 * Uploads checked files in requests of at most 5 (Leadway, API docs), one after another;
 * a failure names the files already in Leadway.
 */
export async function uploadFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	leadway: ApiSession<LeadwayCredentials>,
	target: UploadTarget,
	files: UploadFile[],
): Promise<UploadAnswer[]> {
	const batches = chunk(files, LEADWAY_MAX_FILES_PER_REQUEST);
	const answers: UploadAnswer[] = [];
	const uploaded: UploadedFile[] = [];
	for (const [batchIndex, batch] of batches.entries()) {
		let body: unknown;
		try {
			({ body } = await leadway.request({
				method: 'POST',
				path: UPLOAD_PATH,
				streamed: multipartBody(
					uploadFields(target, batchIndex === 0),
					batch.map((file) => ({ fieldName: 'fileAttachment', file })),
				),
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
			// A file from a URL still being read when the request failed: Leadway stored none of it.
			throw withUploadProgress(context.getNode(), itemIndex, explainUnfinishedUpload(error, batch), progress, batchIndex + 1, batches.length);
		}
		const answer = readUploadAnswer(body);
		answers.push(answer);
		for (const [name, url] of Object.entries(answer.uploadedFiles)) uploaded.push({ name, url });
	}
	return answers;
}
