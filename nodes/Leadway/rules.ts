import type { INode } from 'n8n-workflow';

import type { FileRules, UploadFile } from '../shared/binary';
import { assertFileAllowed, describeSource } from '../shared/binary';
import { itemError } from '../shared/transport';

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
			throw itemError(
				node,
				itemIndex,
				`Two files are named "${file.fileName}"`,
				`${capitalize(`${describeSource(other)} and ${describeSource(file)}`)} hold files of the same name. Leadway returns one URL per file name, so rename one of them first.`,
			);
		}
		seen.set(file.fileName, file);
	}
	// Leadway: with isGroupSms, exactly one file per request (API docs).
	if (isGroupSms && files.length > 1) {
		throw itemError(
			node,
			itemIndex,
			`Group SMS allows one file, but ${files.length} were given`,
			`Leadway's group SMS upload takes exactly one file per request. Upload one file per item (for example split the files into items first), or turn Group SMS off. Files: ${files.map((file) => file.fileName).join(', ')}.`,
		);
	}
}
