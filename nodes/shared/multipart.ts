// The only module that imports form-data; every multipart body is built here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- runtime dependency allowed by design (self-hosted package)
import FormData from 'form-data';

import type { UploadFile } from './binaryInput';
import { asReadable } from './streams';

export type MultipartBody = FormData;

/** A text field; repeated names are sent as repeated parts, in order. */
export type MultipartField = [name: string, value: string];

export interface MultipartFile {
	fieldName: string;
	file: UploadFile;
}

/**
 * Builds a multipart/form-data body. Files are appended as streams straight from binary
 * storage or a URL's host (never copied into one buffer), each part with its file name,
 * content type and, when known, its length, so the body has an exact Content-Length; a file
 * of unknown size (a URL without Content-Length) makes the body go out chunked.
 */
export async function toMultipartForm(
	fields: MultipartField[],
	files: MultipartFile[],
	boundary?: string,
): Promise<MultipartBody> {
	const form = new FormData();
	if (boundary) form.setBoundary(boundary);
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

/**
 * A multipart request body, built afresh for each attempt (a streamed body is read once).
 * With a file of unknown size the body goes out chunked, as a plain stream: n8n's HTTP helper
 * asks a form for its length up front, which such a form cannot tell. Its boundary is fixed
 * here so the Content-Type header, set once, matches every attempt's body.
 */
export function multipartBody(
	fields: MultipartField[],
	files: MultipartFile[],
): { headers?: Record<string, string>; buildBody: () => Promise<MultipartBody | ReturnType<typeof asReadable>> } {
	if (files.every(({ file }) => file.size !== undefined)) {
		return { buildBody: async () => await toMultipartForm(fields, files) };
	}
	const boundary = new FormData().getBoundary();
	return {
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
		buildBody: async () => asReadable(await toMultipartForm(fields, files, boundary)),
	};
}
