import { fileExtension } from './fileRules';
import { fileNameInUrl } from './fileUrl';
import { GENERIC_MIME_TYPE, extensionsForMimeType, isGenericMimeType, mimeTypeFromFileName } from './mime';
import { headerValue } from '../transport';

/** The File Name and MIME Type options, which win over what the URL and its host say. */
export interface UrlFileNaming {
	/** The File Name option: the name to send instead of the one at the end of the URL. */
	fileName?: string;
	/** The MIME Type option: the type to send instead of the host's or the name's. */
	mimeType?: string;
}

/** Size the host declared, when the body arrives as stored (not compressed). */
function declaredSize(headers: Record<string, unknown>): number | undefined {
	const encoding = headerValue(headers, 'content-encoding')?.trim().toLowerCase();
	if (encoding && encoding !== 'identity') return undefined;
	const length = headerValue(headers, 'content-length')?.trim();
	return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

/**
 * The name, type and size to send: the File Name and MIME Type options, else the URL's name
 * (first the given, then the final one) and the host's Content-Type and Content-Length. A
 * generic type (S3's binary/octet-stream) says nothing, so the name decides.
 */
export function describeUrlFile(given: URL, final: URL, headers: Record<string, unknown>, options: UrlFileNaming = {}) {
	const mimeTypeOption = options.mimeType?.trim() || undefined;
	const contentType = headerValue(headers, 'content-type')?.split(';')[0].trim().toLowerCase();
	const declaredType = mimeTypeOption ?? (contentType && !isGenericMimeType(contentType) ? contentType : undefined);
	const fromUrl = [fileNameInUrl(given), fileNameInUrl(final)];
	let fileName =
		options.fileName?.trim() || fromUrl.find((name) => name && fileExtension(name)) || fromUrl.find(Boolean) || 'file';
	// A name without extension (…/download?id=7) gets the one its type implies.
	const extension = declaredType ? extensionsForMimeType(declaredType)[0] : undefined;
	if (!fileExtension(fileName) && extension) fileName = `${fileName}.${extension}`;
	const mimeType = declaredType ?? mimeTypeFromFileName(fileName) ?? GENERIC_MIME_TYPE;
	return { fileName, mimeType, mimeTypeFromOption: mimeTypeOption !== undefined, size: declaredSize(headers) };
}
