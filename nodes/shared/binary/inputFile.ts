import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import { readInputBinaryFile } from './binaryInput';
import { explainUnfinishedUpload } from './hostReading';
import type { UrlFileSettings } from './urlFile';
import { checkFileAllowed, openUrlFile } from './urlFile';

/**
 * The file an upload operation sends, by its Input Type: the one in the Input Binary Field,
 * or the one at the File URL. Either way `check` (the API's rules) has passed.
 */
export async function readInputFile(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UrlFileSettings,
): Promise<UploadFile> {
	const inputType = context.getNodeParameter('inputType', itemIndex, 'binary') as string;
	if (inputType !== 'url') {
		const file = await readInputBinaryFile(context, itemIndex);
		checkFileAllowed(context.getNode(), file, settings);
		return file;
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return await openUrlFile(context, itemIndex, context.getNodeParameter('fileUrl', itemIndex, ''), {
		...settings,
		fileName: options.fileName as string | undefined,
		mimeType: options.mimeType as string | undefined,
	});
}

/** Reads the input file (see `readInputFile`), hands it to `send`, and closes its download whatever happens. */
export async function sendInputFile<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: UrlFileSettings,
	send: (file: UploadFile) => Promise<T>,
): Promise<T> {
	const file = await readInputFile(context, itemIndex, settings);
	try {
		return await send(file);
	} catch (error) {
		throw explainUnfinishedUpload(error, [file]);
	} finally {
		file.release?.();
	}
}
