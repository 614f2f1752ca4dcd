import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INode } from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ApiSession } from '../shared/transport';
import { isHttpUrl, itemError } from '../shared/transport';
import type { MultipartField, UploadFile } from '../shared/binary';
import { explainUnfinishedUpload, multipartBody, openUrlFiles, readBinaryFile, splitUrlList } from '../shared/binary';
import { asNodeError, nonEmpty, readAnswerList, splitList } from '../shared/node';
import { LEADWAY_FILE_RULES, LEADWAY_MAX_FILES_PER_REQUEST, assertFilesAllowed } from './rules';
import type { LeadwayCredentials } from './transport';

const UPLOAD_PATH = '/conversations/messages/upload';

/** The Conversation ID from its resource locator, or a plain string ID. */
export function conversationIdParameter(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('conversationId', itemIndex, '', { extractValue: true }) as unknown;
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** The node's Location ID, else the credential's; refused before sending when both are empty. */
export function resolveLocationId(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: LeadwayCredentials,
	nodeValue: string,
): string {
	return nonEmpty(context, itemIndex, nodeValue || String(credentials.locationId ?? '').trim(), {
		displayName: 'Location ID',
		fix: 'Enter the Location ID in the node, or set a default Location ID in the Leadway credential.',
	});
}

/** Leadway: `limit` of a conversation search is at most 100 (API docs). */
export const MAX_SEARCH_PAGE_SIZE = 100;

export interface SearchFilters {
	locationId?: string;
	contactId?: string;
	query?: string;
	status?: string;
}

export interface SearchPage {
	conversations: IDataObject[];
	/** Where the next page starts (`startAfterDate`); undefined on the last page. */
	next?: string;
}

/** The value a conversation is sorted by, which `startAfterDate` continues after (API docs). */
function sortValue(conversation: IDataObject | undefined): string | undefined {
	const sort = conversation?.sort;
	const value = Array.isArray(sort) ? sort[0] : (conversation?.lastMessageDate ?? conversation?.dateUpdated);
	return typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : undefined;
}

/**
 * One page of a conversation search. A page shorter than asked for is the last; so is one
 * whose last conversation has no sort value to continue after.
 */
export async function searchConversationsPage(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	itemIndex: number,
	send: ApiSession<unknown>['request'],
	filters: SearchFilters,
	pageSize: number,
	startAfterDate?: string,
): Promise<SearchPage> {
	const qs: IDataObject = { limit: pageSize };
	// Without one, a location's own token searches its location (the credential test relies on it).
	if (filters.locationId) qs.locationId = filters.locationId;
	if (filters.contactId) qs.contactId = filters.contactId;
	if (filters.query) qs.query = filters.query;
	if (filters.status && filters.status !== 'all') qs.status = filters.status;
	if (startAfterDate !== undefined) qs.startAfterDate = startAfterDate;
	const response = await send({ method: 'GET', path: '/conversations/search', qs });
	const conversations = readAnswerList(
		context.getNode(),
		{ apiName: 'Leadway', key: 'conversations', answerName: 'search answer' },
		{ statusCode: response.statusCode, body: (response.body ?? {}) as IDataObject, itemIndex },
	);
	const next = conversations.length < pageSize ? undefined : sortValue(conversations[conversations.length - 1]);
	return { conversations, next };
}

/** URLs of files already hosted (or uploaded before), checked to be http(s) before anything is sent. */
export function readAttachmentUrls(context: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const urls = splitList(value as string | string[] | undefined);
	for (const url of urls) {
		if (!isHttpUrl(url)) {
			throw itemError(
				context.getNode(),
				itemIndex,
				'Attachment URL is not a valid http(s) URL',
				`Enter full URLs starting with https:// (got "${url.slice(0, 100)}").`,
			);
		}
	}
	return urls;
}

/** The item's files: from File URLs (Input Type URL), else as chosen by Files and Input Binary Fields ([] for None). */
async function readFiles(context: IExecuteFunctions, itemIndex: number): Promise<UploadFile[]> {
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
			throw itemError(
				context.getNode(),
				itemIndex,
				'No binary data to upload',
				'Put a node that outputs files before this one (for example Read/Write Files from Disk or HTTP Request).',
			);
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

/** One file as Leadway stored it. */
export interface UploadedFile {
	name: string;
	url: string;
}

/** What one upload request answered, reduced to what the output needs. */
export interface UploadAnswer {
	uploadedFiles: Record<string, string>;
	twilioMediaSids?: string[];
}

/** Splits a list into consecutive groups of at most `size`. */
function chunk<T>(list: readonly T[], size: number): T[][] {
	const groups: T[][] = [];
	for (let start = 0; start < list.length; start += size) groups.push(list.slice(start, start + size));
	return groups;
}

/** Reads `uploadedFiles` (file name → URL) and `twilioMediaSids` from an upload answer. */
function readUploadAnswer(body: unknown): UploadAnswer {
	const object = (body !== null && typeof body === 'object' ? body : {}) as IDataObject;
	const uploadedFiles: Record<string, string> = {};
	const raw = object.uploadedFiles;
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
		for (const [name, url] of Object.entries(raw)) uploadedFiles[name] = String(url);
	}
	const sids = object.twilioMediaSids;
	return {
		uploadedFiles,
		...(Array.isArray(sids) ? { twilioMediaSids: sids.map((sid) => String(sid)) } : {}),
	};
}

/**
 * Uploads checked files in requests of at most 5 (Leadway, API docs), one after another;
 * a failure names the files already in Leadway.
 */
async function uploadFiles(
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

/**
 * Reads the item's files, checks them against Leadway's rules (`isGroupSms`: one file only),
 * and uploads them to `target` (built only when there are files to send). Each file is
 * released once done with, whatever the outcome.
 */
export async function uploadItemFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	leadway: ApiSession<LeadwayCredentials>,
	isGroupSms: boolean,
	target: () => UploadTarget,
): Promise<UploadAnswer[]> {
	const files = await readFiles(context, itemIndex);
	try {
		assertFilesAllowed(context.getNode(), itemIndex, files, isGroupSms);
		if (files.length === 0) return [];
		return await uploadFiles(context, itemIndex, leadway, target(), files);
	} finally {
		for (const file of files) file.release?.();
	}
}

/** One output item's JSON for all the answers of one input item, in the order sent. */
export function mergeUploadAnswers(answers: UploadAnswer[]): IDataObject {
	const uploadedFiles: Record<string, string> = {};
	const files: UploadedFile[] = [];
	let twilioMediaSids: string[] | undefined;
	for (const answer of answers) {
		for (const [name, url] of Object.entries(answer.uploadedFiles)) {
			uploadedFiles[name] = url;
			files.push({ name, url });
		}
		if (answer.twilioMediaSids) twilioMediaSids = [...(twilioMediaSids ?? []), ...answer.twilioMediaSids];
	}
	// `files` (a list) comes first: `$json.files[0].url` reads well, while a file name with a
	// dot as a key of `uploadedFiles` needs bracket notation. `uploadedFiles` is kept for workflows that read it.
	return {
		files: files as unknown as IDataObject[],
		uploadedFiles,
		...(twilioMediaSids ? { twilioMediaSids } : {}),
	};
}

/** "a.pdf (https://…), b.png (https://…)" for an error description. */
function describeUploaded(files: UploadedFile[]): string {
	return files.map((file) => `${file.name} (${file.url})`).join(', ');
}

/** The caught error as n8n shows it, its message ended by `note` in brackets and its description led by `facts`. */
function withUploadNote(node: INode, itemIndex: number, caught: unknown, note: string, facts: string[]): NodeApiError | NodeOperationError {
	const error = asNodeError(node, caught, itemIndex);
	error.message = `${error.message} (${note})`;
	error.description = [...facts, error.description ?? ''].join(' ').trim();
	return error;
}

/**
 * A later request of a split upload failed: the error tells which files are already in
 * Leadway (names and URLs) and which are not, so a re-run does not send any file twice.
 */
function withUploadProgress(
	node: INode,
	itemIndex: number,
	caught: unknown,
	progress: { sent: UploadFile[]; uploaded: UploadedFile[]; notSent: UploadFile[] },
	requestNumber: number,
	requestCount: number,
): NodeApiError | NodeOperationError {
	if (requestNumber === 1) return asNodeError(node, caught, itemIndex);
	const urls = new Map(progress.uploaded.map((file) => [file.name, file.url]));
	const sent = progress.sent.map((file) => ({ name: file.fileName, url: urls.get(file.fileName) ?? 'no URL returned' }));
	return withUploadNote(node, itemIndex, caught, `upload request ${requestNumber} of ${requestCount}; ${sent.length} files were already uploaded`, [
		`Already uploaded, do not send again: ${describeUploaded(sent)}.`,
		`Not uploaded: ${progress.notSent.map((file) => file.fileName).join(', ')}.`,
	]);
}

/**
 * The files were uploaded but the message that carries them failed: the error lists their
 * URLs, so a re-run can send them as Attachment URLs instead of uploading them again.
 */
export function withUploadedUrls(
	node: INode,
	itemIndex: number,
	caught: unknown,
	uploaded: UploadedFile[],
): NodeApiError | NodeOperationError {
	if (uploaded.length === 0) return asNodeError(node, caught, itemIndex);
	return withUploadNote(
		node,
		itemIndex,
		caught,
		`the ${uploaded.length === 1 ? 'file was' : `${uploaded.length} files were`} uploaded, the message was not sent`,
		[
			`Already uploaded to Leadway: ${describeUploaded(uploaded)}.`,
			'To send the message without uploading the files again, set Files to None and add these URLs under Options > Attachment URLs.',
		],
	);
}
