import type { IDataObject } from 'n8n-workflow';

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
	return {
		uploadedFiles,
		files: files as unknown as IDataObject[],
		...(twilioMediaSids ? { twilioMediaSids } : {}),
	};
}

/** "a.pdf (https://…), b.png (https://…)" for an error description. */
export function describeUploaded(files: UploadedFile[]): string {
	return files.map((file) => `${file.name} (${file.url})`).join(', ');
}
