import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { GENERIC_MIME_TYPE, extensionsForMimeType, isGenericMimeType, mimeTypeFromFileName } from './mime';
import { isChecking } from '../transport';

export type BinaryStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/**
 * Largest read from n8n's binary storage on disk. Node reads 64 KiB at a time by default;
 * every read is a system call and a trip through each stream of the upload, which made file
 * reads a fifth of a big upload's time. In `npm run bench` (256 MB) 256 KiB reads took up to a
 * fifth off a multipart upload's time; 1 MiB reads gained little more and raised peak memory.
 * Invent's JSON body reads less at a time (see JSON_FILE_READ_BYTES).
 */
export const STORAGE_READ_BYTES = 256 * 1024;

/**
 * Stored files up to this size (one read) are read whole when the item is read: one read
 * instead of a stream's two, and no lookup of the file's metadata (n8n records its size on
 * the item). In `npm run bench` (200 × 256 KB) this took about a third off the CPU of a small
 * upload. Invent's JSON body is then built as one buffer (see jsonFileBody). A multipart body
 * still streams it: as one buffer it cost more, since form-data's getBuffer copies the body
 * once per part.
 * At the default Concurrency of 50, at most 50 such files are held at once.
 */
export const WHOLE_FILE_MAX_BYTES = STORAGE_READ_BYTES;

/** A file an upload sends, from an item's binary data or from a URL, ready to be checked and sent. */
export interface UploadFile {
	/** Index of the input item the file belongs to. */
	itemIndex: number;
	fileName: string;
	mimeType: string;
	/** The MIME type was set by the MIME Type option, not by the file's source. */
	mimeTypeFromOption?: boolean;
	/** Size in bytes; undefined when the source does not say (a URL without Content-Length). */
	size: number | undefined;
	/** The binary field the file is in; undefined for a file from a URL. */
	propertyName?: string;
	/** The URL the file is downloaded from; undefined for a binary file. */
	url?: string;
	/**
	 * The bytes: a stream (from binary storage or the URL's host), or a buffer already in memory.
	 * `chunkBytes` is the largest read from storage (STORAGE_READ_BYTES when left out).
	 */
	open(chunkBytes?: number): Promise<Buffer | BinaryStream>;
	/** Closes what the file holds open (a URL's download) once it is sent or will not be. */
	release?(): void;
}

/** A file taken from an item's binary property. */
export interface BinaryFile extends UploadFile {
	propertyName: string;
	size: number;
	/** The bytes as one buffer, for APIs that need the whole file at once. */
	readAll(): Promise<Buffer>;
}

export interface BinaryFileOverrides {
	fileName?: string;
	mimeType?: string;
}

function describeAvailable(available: string[], runsAsTool = false): string {
	// An AI tool's input is the model's JSON arguments only: files reach it by URL.
	if (runsAsTool) return 'As an AI tool, the node gets no binary data from the agent. Set Input Type to URL and let the model give the File URL.';
	if (available.length === 0) {
		return 'The item has no binary data. Put a node that outputs files before this one (for example Read/Write Files from Disk, HTTP Request or a Form trigger).';
	}
	return `The item's binary fields are: ${available.map((name) => `"${name}"`).join(', ')}. Set Input Binary Field to one of them.`;
}

function chooseMimeType(binary: IBinaryData, fileName: string): string {
	// A generic type (application/octet-stream, S3's binary/octet-stream) means "unknown", so the name knows better.
	if (binary.mimeType && !isGenericMimeType(binary.mimeType)) return binary.mimeType;
	return mimeTypeFromFileName(fileName) ?? binary.mimeType ?? GENERIC_MIME_TYPE;
}

function chooseFileName(binary: IBinaryData, propertyName: string): string {
	if (binary.fileName) return binary.fileName;
	const extension = binary.fileExtension ?? extensionsForMimeType(binary.mimeType ?? '')[0];
	return extension ? `${propertyName}.${extension}` : propertyName;
}

/**
 * Reads the file in an item's binary property through n8n's binary helpers, so it works
 * whatever the binary data mode (in memory, or on disk where it is streamed, not copied).
 */
export async function readBinaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	overrides: BinaryFileOverrides = {},
): Promise<BinaryFile> {
	const node = context.getNode();
	const name = propertyName.trim();
	const available = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
	const runsAsTool = node.type.endsWith('Tool');
	if (name === '') {
		throw new NodeOperationError(node, `Input Binary Field is empty on item ${itemIndex}`, {
			itemIndex,
			description: `Enter the name of the binary field that holds the file. ${describeAvailable(available, runsAsTool)}`,
		});
	}
	if (!available.includes(name)) {
		throw new NodeOperationError(node, `No binary field "${name}" on item ${itemIndex}`, {
			itemIndex,
			description: describeAvailable(available, runsAsTool),
		});
	}

	const binary = context.helpers.assertBinaryData(itemIndex, name);
	const fileName = overrides.fileName?.trim() || chooseFileName(binary, name);
	const mimeTypeOption = overrides.mimeType?.trim();
	const mimeType = mimeTypeOption || chooseMimeType(binary, fileName);
	const mimeTypeFromOption = Boolean(mimeTypeOption);
	const readAll = async () => await context.helpers.getBinaryDataBuffer(itemIndex, name);

	// The check before sending (./preflight) goes by the size n8n recorded and reads nothing.
	if (typeof binary.bytes === 'number' && isChecking(context)) {
		return { itemIndex, propertyName: name, fileName, mimeType, mimeTypeFromOption, size: binary.bytes, open: readAll, readAll };
	}

	const binaryId = binary.id;
	// n8n records a stored file's size in `bytes`: a small file is read whole right away, which
	// also gives its exact size without reading its metadata from storage.
	const small = typeof binary.bytes === 'number' && binary.bytes <= WHOLE_FILE_MAX_BYTES;
	if (binaryId && !small) {
		const { fileSize } = await context.helpers.getBinaryMetadata(binaryId);
		return {
			itemIndex,
			propertyName: name,
			fileName,
			mimeType,
			mimeTypeFromOption,
			size: fileSize,
			open: async (chunkBytes = STORAGE_READ_BYTES) =>
				fileSize <= WHOLE_FILE_MAX_BYTES ? await readAll() : await context.helpers.getBinaryStream(binaryId, chunkBytes),
			readAll,
		};
	}

	// In memory (the bytes are in the execution data), or a small stored file: one buffer.
	const buffer = await readAll();
	return {
		itemIndex,
		propertyName: name,
		fileName,
		mimeType,
		mimeTypeFromOption,
		size: buffer.length,
		open: async () => buffer,
		readAll: async () => buffer,
	};
}

/**
 * The file an upload operation sends: the one in the Input Binary Field, under the File
 * Name and MIME Type options when the operation offers them and they are set.
 */
export async function readInputBinaryFile(context: IExecuteFunctions, itemIndex: number): Promise<BinaryFile> {
	const propertyName = context.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return await readBinaryFile(context, itemIndex, propertyName, {
		fileName: options.fileName as string | undefined,
		mimeType: options.mimeType as string | undefined,
	});
}
