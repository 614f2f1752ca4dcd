// The only module that imports form-data; every multipart body is built here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- runtime dependency allowed by design (self-hosted package)
import FormData from 'form-data';

import type { StreamedBody } from '../transport';
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
 * Boundaries: one random stem per process, made by form-data, and a counter. form-data draws
 * random bytes for every form it names, a cost paid on every upload; a boundary must only be
 * absent from the parts, which an unguessable stem ensures as well.
 */
let boundaryStem: string | undefined;
let boundaryCount = 0;

function nextBoundary(): string {
	boundaryStem ??= new FormData().getBoundary();
	boundaryCount = (boundaryCount + 1) % Number.MAX_SAFE_INTEGER;
	return `${boundaryStem}${boundaryCount.toString(36)}`;
}

/** Exact byte length of the body toMultipartForm builds, from the files' known sizes; undefined when one is unknown. */
function multipartLength(fields: MultipartField[], files: MultipartFile[], boundary: string): number | undefined {
	if (files.some(({ file }) => file.size === undefined)) return undefined;
	// The same parts with empty contents: form-data counts a part by its stated length.
	const measure = new FormData();
	measure.setBoundary(boundary);
	for (const [name, value] of fields) measure.append(name, value);
	for (const { fieldName, file } of files) {
		measure.append(fieldName, Buffer.alloc(0), { filename: file.fileName, contentType: file.mimeType, knownLength: file.size });
	}
	return measure.getLengthSync();
}

/**
 * A multipart request body, built afresh for each attempt (a streamed body is read once),
 * with its headers set once: the boundary is fixed here so the Content-Type matches every
 * attempt's body, and the Content-Length is computed from the files' sizes (else n8n's HTTP
 * client asks the form for it on every request). A file of unknown size (a URL without
 * Content-Length) makes the body go out chunked, as a plain stream.
 */
export function multipartBody(
	fields: MultipartField[],
	files: MultipartFile[],
): StreamedBody {
	const boundary = nextBoundary();
	const headers: Record<string, string> = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
	const length = multipartLength(fields, files, boundary);
	if (length !== undefined) {
		headers['Content-Length'] = String(length);
		return { headers, buildBody: async () => await toMultipartForm(fields, files, boundary) };
	}
	return { headers, buildBody: async () => asReadable(await toMultipartForm(fields, files, boundary)) };
}
