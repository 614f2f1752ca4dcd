import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FileRules, UploadFile } from '../shared/binary';
import { assertFileAllowed, describeSource } from '../shared/binary';

/** Leadway: allowed upload types (API docs, upload files). */
export const LEADWAY_EXTENSIONS = [
	'jpg',
	'jpeg',
	'png',
	'mp4',
	'mpeg',
	'zip',
	'rar',
	'pdf',
	'doc',
	'docx',
	'txt',
	'mp3',
	'wav',
] as const;

/** Leadway: message channels of `POST /conversations/messages` (API docs; RCS and TIKTOK from newer docs). */
export const LEADWAY_MESSAGE_TYPES = ['SMS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'RCS', 'TIKTOK'];

/** Leadway: at most 5 files per upload request (API docs). */
export const LEADWAY_MAX_FILES_PER_REQUEST = 5;

export const LEADWAY_FILE_RULES: FileRules = {
	apiName: 'Leadway',
	// Leadway: at most 5 MB per file (API docs).
	maxBytes: 5 * 1024 * 1024,
	extensions: LEADWAY_EXTENSIONS,
	// Leadway checks the type by extension: a name and MIME type of different kinds would mislabel the file.
	mimeMustMatchExtension: true,
};

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Checks one item's files against Leadway's rules before any is sent: each file's size
 * and type, unique names, and one file only with Group SMS.
 */
export function assertFilesAllowed(node: INode, itemIndex: number, files: UploadFile[], isGroupSms: boolean): void {
	for (const file of files) assertFileAllowed(node, file, LEADWAY_FILE_RULES);
	// Leadway answers with URLs keyed by file name: two files of one name would lose a URL.
	const seen = new Map<string, UploadFile>();
	for (const file of files) {
		const other = seen.get(file.fileName);
		if (other !== undefined) {
			throw new NodeOperationError(node, `Two files are named "${file.fileName}" on item ${itemIndex}`, {
				itemIndex,
				description: `${capitalize(`${describeSource(other)} and ${describeSource(file)}`)} hold files of the same name. Leadway returns one URL per file name, so rename one of them first.`,
			});
		}
		seen.set(file.fileName, file);
	}
	// Leadway: with isGroupSms, exactly one file per request (API docs).
	if (isGroupSms && files.length > 1) {
		throw new NodeOperationError(node, `Group SMS allows one file, but ${files.length} were given on item ${itemIndex}`, {
			itemIndex,
			description: `Leadway's group SMS upload takes exactly one file per request. Upload one file per item (for example split the files into items first), or turn Group SMS off. Files: ${files.map((file) => file.fileName).join(', ')}.`,
		});
	}
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
export function chunk<T>(list: readonly T[], size: number): T[][] {
	const groups: T[][] = [];
	for (let start = 0; start < list.length; start += size) groups.push(list.slice(start, start + size));
	return groups;
}

/** Reads `uploadedFiles` (file name → URL) and `twilioMediaSids` from an upload answer. */
export function readUploadAnswer(body: unknown): UploadAnswer {
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
	// dot as a key of `uploadedFiles` needs bracket notation. `uploadedFiles` stays for workflows using it.
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

/**
 * A later request of a split upload failed: the error tells which files are already in
 * Leadway (names and URLs) and which are not, so a re-run does not send any file twice.
 */
export function withUploadProgress(
	node: INode,
	itemIndex: number,
	caught: unknown,
	progress: { sent: UploadFile[]; uploaded: UploadedFile[]; notSent: UploadFile[] },
	requestNumber: number,
	requestCount: number,
): NodeApiError | NodeOperationError {
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(node, caught as Error, { itemIndex });
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
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(node, caught as Error, { itemIndex });
	if (uploaded.length === 0) return error;
	error.message = `${error.message} (the ${uploaded.length === 1 ? 'file was' : `${uploaded.length} files were`} uploaded, the message was not sent)`;
	error.description = [
		`Already uploaded to Leadway: ${describeUploaded(uploaded)}.`,
		'To send the message without uploading the files again, set Files to None and add these URLs under Options > Attachment URLs.',
		error.description ?? '',
	]
		.join(' ')
		.trim();
	return error;
}
