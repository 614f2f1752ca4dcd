// The only module that imports form-data; every multipart body is built here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- runtime dependency allowed by design (self-hosted package)
import FormData from 'form-data';

import type { BinaryFile } from './binaryInput';

export type MultipartBody = FormData;

/** A text field; repeated names are sent as repeated parts, in order. */
export type MultipartField = [name: string, value: string];

export interface MultipartFile {
	fieldName: string;
	file: BinaryFile;
}

/**
 * Builds a multipart/form-data body. Files are appended as streams straight from binary
 * storage when they live on disk (never copied into one buffer), each part with its file
 * name, content type and known length, so the body has an exact Content-Length.
 */
export async function toMultipartForm(
	fields: MultipartField[],
	files: MultipartFile[],
): Promise<MultipartBody> {
	const form = new FormData();
	for (const [name, value] of fields) form.append(name, value);
	for (const { fieldName, file } of files) {
		form.append(fieldName, await file.open(), {
			filename: file.fileName,
			contentType: file.mimeType,
			knownLength: file.size,
		});
	}
	return form;
}
