// The only module that imports mime-types; everything else asks here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- runtime dependency allowed by design (self-hosted package)
import { extensions, lookup } from 'mime-types';

export const GENERIC_MIME_TYPE = 'application/octet-stream';

/**
 * Types that say only "some bytes": S3 gives `binary/octet-stream` to an object stored
 * without a type, and download servers use the others to force a download. A file with one
 * of these has no known type, so its name decides.
 */
const GENERIC_MIME_TYPES = new Set([
	GENERIC_MIME_TYPE,
	'binary/octet-stream',
	'application/x-octet-stream',
	'application/x-download',
	'application/force-download',
	'application/download',
	'application/unknown',
]);

/** Whether a MIME type (parameters ignored) names no real type (see GENERIC_MIME_TYPES). */
export function isGenericMimeType(mimeType: string): boolean {
	return GENERIC_MIME_TYPES.has(mimeType.split(';')[0].trim().toLowerCase());
}

// RFC 7231 (3.1.1.1): type "/" subtype *( OWS ";" OWS name "=" ( token / quoted-string ) ).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const MIME_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))*[ \\t]*$`);

/**
 * Why a MIME type cannot be sent, or undefined. It ends up in a multipart part's header or
 * an API's JSON: a CR or LF would start a header of its own (or the part's body), so only a
 * well-formed `type/subtype` with optional `; name=value` parameters passes.
 */
export function mimeTypeProblem(mimeType: string): string | undefined {
	if (mimeType.trim() === '') return 'is empty';
	if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(mimeType)) return 'contains a line break or another control character';
	if (!MIME_TYPE.test(mimeType)) return 'is not of the form type/subtype, optionally followed by parameters such as "; charset=utf-8"';
	return undefined;
}

/** MIME type for a file name's extension, or undefined when the extension is unknown. */
export function mimeTypeFromFileName(fileName: string): string | undefined {
	const mimeType = lookup(fileName);
	return mimeType === false ? undefined : mimeType;
}

/** Every extension registered for a MIME type (lower case, no dot), e.g. image/jpeg → jpeg, jpg, jpe. */
export function extensionsForMimeType(mimeType: string): string[] {
	const essence = mimeType.split(';')[0].trim().toLowerCase();
	return extensions[essence] ?? [];
}
