import type { INode } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import { extensionsForMimeType, isGenericMimeType, mimeTypeFromFileName, mimeTypeProblem } from './mime';
import { itemError, safeOrigin } from '../transport';

/** What an API accepts, checked before any byte is sent. */
export interface FileRules {
	/** The API's name, for messages ("Haptik accepts at most 10 MB"). */
	apiName: string;
	maxBytes?: number;
	/** Allowed extensions, lower case without the dot. */
	extensions?: readonly string[];
	/** Allowed MIME patterns such as image/*, application/pdf or *\/*. */
	mimePatterns?: readonly string[];
	/**
	 * Refuse a file whose name's extension and MIME type name different kinds of file
	 * (see `mimeKind`). For APIs that decide the type from the extension, where a PDF
	 * named photo.png would be stored and shown as an image.
	 */
	mimeMustMatchExtension?: boolean;
}

/** File systems and multipart parsers cap a name at 255 bytes (UTF-8). */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * Why a file name cannot be sent, or undefined. A path separator would name a folder the
 * API does not have (multipart encoders also drop what comes before it), a control
 * character can split a header or a log line, and over 255 bytes is beyond what file
 * systems and the APIs store. Unicode is fine: names are sent as UTF-8.
 */
export function fileNameProblem(fileName: string): string | undefined {
	if (fileName.trim() === '') return 'is empty';
	if (/[/\\]/.test(fileName)) return 'contains a path separator';
	if (/[\u0000-\u001f\u007f]/.test(fileName)) return 'contains a line break or another control character';
	if (fileName === '.' || fileName === '..') return 'is not a file name';
	const bytes = Buffer.byteLength(fileName, 'utf8');
	if (bytes > MAX_FILE_NAME_BYTES) return `is ${bytes} bytes long, over the ${MAX_FILE_NAME_BYTES}-byte limit`;
	return undefined;
}

/**
 * The kind of file a MIME type names, coarse on purpose: image, media (audio and video,
 * which share containers such as mp4 and mpeg) or document (text and application, since
 * e.g. CSV travels as text/csv or application/vnd.ms-excel). Undefined for "unknown".
 */
export function mimeKind(mimeType: string): 'image' | 'media' | 'document' | undefined {
	const type = mimeType.split(';')[0].trim().toLowerCase();
	if (type === '' || isGenericMimeType(type)) return undefined;
	if (type.startsWith('image/')) return 'image';
	if (type.startsWith('audio/') || type.startsWith('video/')) return 'media';
	return 'document';
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
export function effectiveExtensions(file: Pick<UploadFile, 'fileName' | 'mimeType'>): string[] {
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

/** Where a file comes from, for messages: `binary field "data"` or `the URL at https://files.example.com`. */
export function describeSource(file: Pick<UploadFile, 'propertyName' | 'url'>): string {
	return file.url !== undefined ? `the URL at ${safeOrigin(file.url)}` : `binary field "${file.propertyName ?? ''}"`;
}

/** Where a file's MIME type came from, for messages. */
function describeMimeTypeSource(file: UploadFile): string {
	if (file.mimeTypeFromOption) return 'the MIME Type option';
	return file.url !== undefined ? `the Content-Type header of ${safeOrigin(file.url)}` : describeSource(file);
}

/** Why a file breaks a rule and what to do: the message's subject and the fix. */
type Refusal = [problem: string, fix: string];

/** A file name that cannot be sent at all. */
function fileNameRefusal(file: UploadFile): Refusal | undefined {
	const nameProblem = fileNameProblem(file.fileName);
	if (!nameProblem) return undefined;
	return [
		`File name ${JSON.stringify(file.fileName.slice(0, 80))}${file.fileName.length > 80 ? '…' : ''} ${nameProblem}`,
		`Set the File Name option${file.url !== undefined ? '' : `, or rename the file in ${describeSource(file)} before this node,`} to a plain name of at most ${MAX_FILE_NAME_BYTES} bytes without "/", "\\" or control characters, for example report.pdf.`,
	];
}

/** A MIME type that cannot be sent at all. */
function mimeTypeRefusal(file: UploadFile): Refusal | undefined {
	const typeProblem = mimeTypeProblem(file.mimeType);
	if (!typeProblem) return undefined;
	const shown = `${JSON.stringify(file.mimeType.slice(0, 80))}${file.mimeType.length > 80 ? '…' : ''}`;
	const fix = "the file's real type, for example application/pdf or image/png";
	return [
		`MIME type ${shown} of file "${file.fileName}" is not valid`,
		file.mimeTypeFromOption
			? `The MIME Type option ${typeProblem}. Set it to ${fix}.`
			: `The MIME type comes from ${describeMimeTypeSource(file)} and ${typeProblem}. Set the MIME Type option to ${fix}.`,
	];
}

function emptyFileRefusal(file: UploadFile, rules: FileRules): Refusal | undefined {
	if (file.size !== 0) return undefined;
	return [
		`File "${file.fileName}" is empty (0 bytes)`,
		`${rules.apiName} needs a file with content. Check ${file.url !== undefined ? 'the file behind the URL' : `the node that produced ${describeSource(file)}`}.`,
	];
}

/** Over the limit by its stated size; a size the source did not state is counted while the file is sent. */
function sizeRefusal(file: UploadFile, rules: FileRules): Refusal | undefined {
	if (rules.maxBytes === undefined || file.size === undefined || file.size <= rules.maxBytes) return undefined;
	return [
		`File "${file.fileName}" is ${formatBytes(file.size)} (${file.size} bytes), over ${rules.apiName}'s limit of ${formatBytes(rules.maxBytes)}`,
		`${rules.apiName} accepts files of at most ${formatBytes(rules.maxBytes)} (${rules.maxBytes} bytes). Compress or split the file before this node.`,
	];
}

function extensionRefusal(file: UploadFile, rules: FileRules): Refusal | undefined {
	const allowed = rules.extensions;
	if (!allowed || effectiveExtensions(file).some((extension) => allowed.includes(extension))) return undefined;
	const own = fileExtension(file.fileName);
	const found = own ? `extension ".${own}"` : `no extension and MIME type "${file.mimeType}"`;
	return [
		`File "${file.fileName}" has ${found}, which ${rules.apiName} does not accept`,
		`${rules.apiName} accepts: ${allowed.join(', ')}. Convert the file, or set a file name with one of these extensions.`,
	];
}

/** A name and a type of different kinds, for an API that goes by the extension (see `mimeMustMatchExtension`). */
function kindMismatchRefusal(file: UploadFile, rules: FileRules): Refusal | undefined {
	if (!rules.mimeMustMatchExtension) return undefined;
	const own = fileExtension(file.fileName);
	const byName = own ? mimeTypeFromFileName(file.fileName) : undefined;
	const nameKind = byName ? mimeKind(byName) : undefined;
	const typeKind = mimeKind(file.mimeType);
	if (!nameKind || !typeKind || nameKind === typeKind) return undefined;
	return [
		`File "${file.fileName}" has extension ".${own}" (${nameKind}) but MIME type "${file.mimeType}" (${typeKind})`,
		`${rules.apiName} decides the file type from the extension, so the file would arrive as the wrong kind. Give the file a name with its real extension, or set the MIME Type option to the file's real type${file.mimeTypeFromOption ? '' : ` instead of the one from ${describeMimeTypeSource(file)}`}.`,
	];
}

function mimePatternRefusal(file: UploadFile, rules: FileRules): Refusal | undefined {
	const patterns = rules.mimePatterns;
	if (!patterns || patterns.length === 0 || patterns.some((pattern) => matchesMimePattern(file.mimeType, pattern))) return undefined;
	return [
		`File "${file.fileName}" has MIME type "${file.mimeType}", which is not in the allowed types (${patterns.join(', ')})`,
		'Upload a file of an allowed type, add its type to the allowed MIME types, or set the MIME type if it was detected wrongly.',
	];
}

/** The rules in the order they are checked: the first a file breaks is the one reported. */
const FILE_CHECKS: ReadonlyArray<(file: UploadFile, rules: FileRules) => Refusal | undefined> = [
	fileNameRefusal,
	mimeTypeRefusal,
	emptyFileRefusal,
	sizeRefusal,
	extensionRefusal,
	kindMismatchRefusal,
	mimePatternRefusal,
];

/** Throws a NodeOperationError naming the item, the file, the rule and the fix when a file breaks a rule. */
export function assertFileAllowed(node: INode, file: UploadFile, rules: FileRules): void {
	for (const check of FILE_CHECKS) {
		const refusal = check(file, rules);
		if (refusal) throw itemError(node, file.itemIndex, ...refusal);
	}
}
