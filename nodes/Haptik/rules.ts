import type { INode } from 'n8n-workflow';

import type { FileRules, UploadFile } from '../shared/binary';
import { assertFileAllowed, effectiveExtensions, fileExtension } from '../shared/binary';
import { itemError } from '../shared/transport';

// Haptik: supported extensions, by message type (API docs, "Supported Extensions").
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif'] as const;
export const DOCUMENT_EXTENSIONS = ['docx', 'doc', 'pdf', 'xls', 'xlsx', 'csv'] as const;

// Haptik: `message_type` is 1 for an image and 52 for a document (API docs).
export const MESSAGE_TYPE_CODES = { image: '1', document: '52' } as const;

export type FileKind = keyof typeof MESSAGE_TYPE_CODES;
export type MessageTypeChoice = FileKind | 'auto';

export const HAPTIK_FILE_RULES: FileRules = {
	apiName: 'Haptik',
	// Haptik: 10 MB max (API docs).
	maxBytes: 10 * 1024 * 1024,
	extensions: [...DOCUMENT_EXTENSIONS, ...IMAGE_EXTENSIONS],
	// Haptik picks image or document handling from the extension, so a PDF named .png is refused.
	mimeMustMatchExtension: true,
};

const EXTENSIONS_BY_KIND: Record<FileKind, readonly string[]> = {
	image: IMAGE_EXTENSIONS,
	document: DOCUMENT_EXTENSIONS,
};

/** A file Haptik accepts: the extension it counts as, and whether that makes it an image or a document. */
export interface AcceptedFile {
	extension: string;
	kind: FileKind;
	/** The name to send: the file's own, with the extension added when it has none. */
	fileName: string;
}

/**
 * Checks size and extension (from the name, else from the MIME type) and returns what
 * Haptik will see. Throws a NodeOperationError naming the item, file, rule and fix.
 */
export function acceptFile(node: INode, file: UploadFile): AcceptedFile {
	assertFileAllowed(node, file, HAPTIK_FILE_RULES);
	const allowed = HAPTIK_FILE_RULES.extensions ?? [];
	const extension = effectiveExtensions(file).find((candidate) => allowed.includes(candidate)) as string;
	const kind: FileKind = (IMAGE_EXTENSIONS as readonly string[]).includes(extension) ? 'image' : 'document';
	// Haptik tells file types apart by the name, so a name without an extension gets the one its MIME type implies.
	const fileName = fileExtension(file.fileName) ? file.fileName : `${file.fileName}.${extension}`;
	return { extension, kind, fileName };
}

const KIND_LABEL: Record<FileKind, string> = { image: 'Image', document: 'Document' };

/** The `message_type` code for the file, refusing a file that does not fit the chosen type. */
export function messageTypeFor(
	node: INode,
	file: UploadFile,
	accepted: AcceptedFile,
	choice: MessageTypeChoice,
): string {
	if (choice !== 'auto' && choice !== accepted.kind) {
		const wanted = KIND_LABEL[choice];
		throw itemError(
			node,
			file.itemIndex,
			`File "${file.fileName}" is ${accepted.kind === 'image' ? 'an image' : 'a document'} (.${accepted.extension}), but Message Type is ${wanted}`,
			`With Message Type ${wanted}, Haptik accepts only ${EXTENSIONS_BY_KIND[choice].join(', ')}. Set Message Type to Auto or ${KIND_LABEL[accepted.kind]}, or send a file of the right type.`,
		);
	}
	return MESSAGE_TYPE_CODES[accepted.kind];
}
