import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ApiClient } from '../transport';
import { itemError } from '../transport';
import type { DownloadNaming } from './download';
import { fileDownloader, fileServerTarget } from './download';
import { isGenericMimeType } from './mime';

/** The fields of an API's file record holding the file's name, size in bytes and MIME type (`filename`, `file_size`, `file_type`). */
export interface FileRecordFields {
	name: string;
	size: string;
	mimeType: string;
}

/** Downloads a file URL an API handed out into binary data, stored under `naming`. */
export type FileDownload = (context: IExecuteFunctions, itemIndex: number, fileUrl: string, naming?: DownloadNaming) => Promise<IBinaryData>;

/**
 * The download of the file URLs an API hands out: with the Base URL and Request Options of
 * the item's session, and the credential sent only to the credential's own origin (a file on
 * another host, or a redirect to one, is fetched without it). `whenGone` is the fix for a
 * file the file server no longer has (403, 404, 410).
 */
export function apiFileDownload<Credentials extends { baseUrl: string }>(
	client: ApiClient<Credentials>,
	credentialType: string,
	whenGone: string,
): FileDownload {
	const { apiName, secretFields } = client.credentialRules;
	return fileDownloader(client, fileServerTarget(apiName, credentialType, whenGone, secretFields));
}

/**
 * How a file downloaded from its record is stored: under the name the record lists, with the
 * MIME type it lists unless that is generic (binary/octet-stream names no type: the name decides).
 */
function listedNaming(record: IDataObject, fields: FileRecordFields): DownloadNaming {
	const fileName = record[fields.name];
	const mimeType = record[fields.mimeType];
	return {
		fileName: typeof fileName === 'string' ? fileName.trim() : undefined,
		mimeType: typeof mimeType === 'string' && !isGenericMimeType(mimeType) ? mimeType.trim() : undefined,
	};
}

/** How a download operation gets the file its record lists. */
export interface ListedFileDownload {
	fields: FileRecordFields;
	download: FileDownload;
	/** The binary field the file goes in. */
	propertyName: string;
	/** The item's error for a record without a `file_url`. */
	noUrl: { problem: string; fix: string };
}

/** Downloads the file a record lists in `file_url`: the output item is the record with the file. */
export async function downloadListedFile(
	context: IExecuteFunctions,
	itemIndex: number,
	record: IDataObject,
	how: ListedFileDownload,
): Promise<INodeExecutionData[]> {
	const fileUrl = typeof record.file_url === 'string' ? record.file_url.trim() : '';
	if (fileUrl === '') throw itemError(context.getNode(), itemIndex, how.noUrl.problem, how.noUrl.fix);
	const binary = await how.download(context, itemIndex, fileUrl, listedNaming(record, how.fields));
	return [{ json: record, binary: { [how.propertyName]: binary } }];
}
