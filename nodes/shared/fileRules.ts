import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BinaryFile } from './binaryInput';
import { extensionsForMimeType } from './mime';

/** What an API accepts, checked before any byte is sent. */
export interface FileRules {
	/** The API's name, for messages ("Haptik accepts at most 10 MB"). */
	apiName: string;
	maxBytes?: number;
	/** Allowed extensions, lower case without the dot. */
	extensions?: readonly string[];
	/** Allowed MIME patterns such as image/*, application/pdf or *\/*. */
	mimePatterns?: readonly string[];
}

export function formatBytes(bytes: number): string {
	const megabytes = bytes / (1024 * 1024);
	if (megabytes >= 1) return `${Number(megabytes.toFixed(2))} MB`;
	const kilobytes = bytes / 1024;
	if (kilobytes >= 1) return `${Number(kilobytes.toFixed(1))} KB`;
	return `${bytes} bytes`;
}

/** The file name's extension, lower case without the dot, or undefined when it has none. */
export function fileExtension(fileName: string): string | undefined {
	const match = /\.([^./\\]+)$/.exec(fileName);
	return match ? match[1].toLowerCase() : undefined;
}

/**
 * Extensions the file counts as: its own, or, when the name has none, those registered
 * for its MIME type.
 */
export function effectiveExtensions(file: Pick<BinaryFile, 'fileName' | 'mimeType'>): string[] {
	const own = fileExtension(file.fileName);
	return own ? [own] : extensionsForMimeType(file.mimeType);
}

export function matchesMimePattern(mimeType: string, pattern: string): boolean {
	const type = mimeType.split(';')[0].trim().toLowerCase();
	const wanted = pattern.trim().toLowerCase();
	if (wanted === '*/*' || wanted === '*') return true;
	if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
	return type === wanted;
}

function refuse(node: INode, file: BinaryFile, message: string, description: string): never {
	throw new NodeOperationError(node, `Item ${file.itemIndex}: ${message}`, {
		itemIndex: file.itemIndex,
		description,
	});
}

/** Throws a NodeOperationError naming the item, the file, the rule and the fix when a file breaks a rule. */
export function assertFileAllowed(node: INode, file: BinaryFile, rules: FileRules): void {
	const name = `"${file.fileName}"`;
	if (file.size === 0) {
		refuse(
			node,
			file,
			`file ${name} is empty (0 bytes)`,
			`${rules.apiName} needs a file with content. Check the node that produced binary property "${file.propertyName}".`,
		);
	}
	if (rules.maxBytes !== undefined && file.size > rules.maxBytes) {
		refuse(
			node,
			file,
			`file ${name} is ${formatBytes(file.size)} (${file.size} bytes), over ${rules.apiName}'s limit of ${formatBytes(rules.maxBytes)}`,
			`${rules.apiName} accepts files of at most ${formatBytes(rules.maxBytes)} (${rules.maxBytes} bytes). Compress or split the file before this node.`,
		);
	}
	if (rules.extensions) {
		const allowed = rules.extensions;
		const candidates = effectiveExtensions(file);
		if (!candidates.some((extension) => allowed.includes(extension))) {
			const found = fileExtension(file.fileName)
				? `extension ".${fileExtension(file.fileName)}"`
				: `no extension and MIME type "${file.mimeType}"`;
			refuse(
				node,
				file,
				`file ${name} has ${found}, which ${rules.apiName} does not accept`,
				`${rules.apiName} accepts: ${allowed.join(', ')}. Convert the file, or set a file name with one of these extensions.`,
			);
		}
	}
	if (rules.mimePatterns && rules.mimePatterns.length > 0) {
		const patterns = rules.mimePatterns;
		if (!patterns.some((pattern) => matchesMimePattern(file.mimeType, pattern))) {
			refuse(
				node,
				file,
				`file ${name} has MIME type "${file.mimeType}", which is not in the allowed types (${patterns.join(', ')})`,
				'Upload a file of an allowed type, add its type to the allowed MIME types, or set the MIME type if it was detected wrongly.',
			);
		}
	}
}
