import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { GENERIC_MIME_TYPE, extensionsForMimeType, isGenericMimeType, mimeTypeFromFileName } from './mime';
import { isChecking, itemError } from '../transport';

export type BinaryStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/**
 * Largest read from n8n's binary storage on disk. Every read is a system call and a trip
 * through each stream of the upload, so fewer, larger reads than Node's default 64 KiB make a
 * big upload faster; larger still gains little and raises peak memory. Invent's JSON body
 * reads less at a time (see JSON_FILE_READ_BYTES).
 */
export const STORAGE_READ_BYTES = 256 * 1024;

/**
 * Stored files up to this size (one read) are read whole when the item is read: one read
 * instead of a stream's two, and no lookup of the file's metadata (n8n records its size on
 * the item), which makes small uploads cheaper. Invent's JSON body is then built as one buffer
 * (see jsonFileBody). A multipart body still streams it, since form-data's getBuffer copies
 * the body once per part. At the default Concurrency of 50, at most 50 such files are held at once.
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

/** The binary field's name, refused with the item's fields when it is empty or not on the item. */
function binaryFieldName(context: IExecuteFunctions, itemIndex: number, propertyName: string): string {
	const node = context.getNode();
	const name = propertyName.trim();
	const available = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
	const runsAsTool = node.type.endsWith('Tool');
	if (name === '') {
		throw itemError(
			node,
			itemIndex,
			'Input Binary Field is empty',
			`Enter the name of the binary field that holds the file. ${describeAvailable(available, runsAsTool)}`,
		);
	}
	if (!available.includes(name)) throw itemError(node, itemIndex, `No binary field "${name}"`, describeAvailable(available, runsAsTool));
	return name;
}

/** How a stored file's bytes are read: whole, or streamed from storage. */
function storedFileReader(context: IExecuteFunctions, binaryId: string, fileSize: number, readAll: () => Promise<Buffer>) {
	return async (chunkBytes = STORAGE_READ_BYTES) =>
		fileSize <= WHOLE_FILE_MAX_BYTES ? await readAll() : await context.helpers.getBinaryStream(binaryId, chunkBytes);
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
	const name = binaryFieldName(context, itemIndex, propertyName);
	const binary = context.helpers.assertBinaryData(itemIndex, name);
	const fileName = overrides.fileName?.trim() || chooseFileName(binary, name);
	const mimeTypeOption = overrides.mimeType?.trim();
	const mimeType = mimeTypeOption || chooseMimeType(binary, fileName);
	const described = { itemIndex, propertyName: name, fileName, mimeType, mimeTypeFromOption: Boolean(mimeTypeOption) };
	const readAll = async () => await context.helpers.getBinaryDataBuffer(itemIndex, name);

	// The check before sending (./preflight) goes by the size n8n recorded and reads nothing.
	if (typeof binary.bytes === 'number' && isChecking(context)) {
		return { ...described, size: binary.bytes, open: readAll, readAll };
	}

	const binaryId = binary.id;
	// n8n records a stored file's size in `bytes`: a small file is read whole right away, which
	// also gives its exact size without reading its metadata from storage.
	const small = typeof binary.bytes === 'number' && binary.bytes <= WHOLE_FILE_MAX_BYTES;
	if (binaryId && !small) {
		const { fileSize } = await context.helpers.getBinaryMetadata(binaryId);
		return { ...described, size: fileSize, open: storedFileReader(context, binaryId, fileSize, readAll), readAll };
	}

	// In memory (the bytes are in the execution data), or a small stored file: one buffer.
	const buffer = await readAll();
	return { ...described, size: buffer.length, open: async () => buffer, readAll: async () => buffer };
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
