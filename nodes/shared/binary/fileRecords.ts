import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemError } from '../transport';
import type { DownloadNaming, FileDownload } from './download';
import { isGenericMimeType } from './mime';

/** The fields of an API's file record holding the file's name, size in bytes and MIME type (`filename`, `file_size`, `file_type`). */
export interface FileRecordFields {
	name: string;
	size: string;
	mimeType: string;
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
