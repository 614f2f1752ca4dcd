// The only module that imports mime-types; everything else asks here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- runtime dependency allowed by design (self-hosted package)
import { extensions, lookup } from 'mime-types';

export const GENERIC_MIME_TYPE = 'application/octet-stream';

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
