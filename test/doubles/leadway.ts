/**
 * Leadway (LeadConnector) API double: `POST /conversations/messages/upload` and the reads the
 * credential test uses, checked as strictly as `../shared/API-CONTRACTS.md` (Leadway) says
 * Leadway does: Bearer token and Version header on every request, a real multipart parser
 * (busboy), 5 MB per file (413), the allowed types (415) and 5 files per request (400).
 */
import busboy from 'busboy';
import { Readable } from 'node:stream';

import type { DoubleResponse, RecordedRequest } from './httpDouble';
import { HttpDouble, bearerToken, hasExactLength, json, sha256 } from './httpDouble';

export const LEADWAY_TOKEN = 'pit-3f9a1c7e-leadway-test';
export const LEADWAY_VERSION = '2021-07-28';
export const LEADWAY_LOCATION = 'loc_ve9EPM428h8v';

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_FILES = 5;
const ALLOWED = ['jpg', 'jpeg', 'png', 'mp4', 'mpeg', 'zip', 'rar', 'pdf', 'doc', 'docx', 'txt', 'mp3', 'wav'];
/** The MIME types of the allowed types, for files whose name has no extension. */
const ALLOWED_MIME: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'video/mp4': 'mp4',
	'video/mpeg': 'mpeg',
	'application/zip': 'zip',
	'application/vnd.rar': 'rar',
	'application/x-rar-compressed': 'rar',
	'application/pdf': 'pdf',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'text/plain': 'txt',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
};
const TEXT_FIELDS = ['conversationId', 'contactId', 'locationId', 'attachmentUrls', 'chatServiceSid', 'isGroupSms'];

export interface LeadwayReceivedFile {
	fileName: string;
	contentType: string;
	size: number;
	sha256: string;
}

/** One upload request as Leadway parsed it. */
export interface LeadwayUpload {
	/** Text fields in the order received (repeated names stay repeated). */
	fields: Array<[string, string]>;
	files: LeadwayReceivedFile[];
}

interface ParsedForm {
	fields: Array<[string, string]>;
	files: Array<LeadwayReceivedFile & { fieldName: string; truncated: boolean }>;
	filesLimitReached: boolean;
}

function refusal(status: number, message: string): DoubleResponse {
	return json(status, { status, message });
}

async function parseMultipart(request: RecordedRequest, maxFileBytes: number): Promise<ParsedForm> {
	const form: ParsedForm = { fields: [], files: [], filesLimitReached: false };
	await new Promise<void>((resolve, reject) => {
		const parser = busboy({
			headers: request.headers,
			// File names arrive as UTF-8, as browsers send them (WHATWG multipart/form-data).
			defParamCharset: 'utf8',
			// busboy marks a file truncated once it reaches the limit, so allow one byte more
			// and refuse what goes over: a file of exactly the limit is accepted.
			limits: { fileSize: maxFileBytes + 1, files: MAX_FILES },
		});
		parser.on('field', (name, value) => form.fields.push([name, value]));
		parser.on('file', (fieldName, stream, info) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const bytes = Buffer.concat(chunks);
				form.files.push({
					fieldName,
					fileName: info.filename ?? '',
					contentType: info.mimeType,
					size: bytes.length,
					sha256: sha256(bytes),
					truncated: (stream as unknown as { truncated: boolean }).truncated,
				});
			});
		});
		parser.on('filesLimit', () => (form.filesLimitReached = true));
		parser.on('error', reject);
		parser.on('close', () => resolve());
		Readable.from([request.body]).pipe(parser);
	});
	return form;
}

export class LeadwayDouble extends HttpDouble {
	/** Every upload request Leadway accepted, in order. */
	readonly uploads: LeadwayUpload[] = [];

	/** Locations the token may read. */
	readonly locations = new Map<string, string>([[LEADWAY_LOCATION, 'Leadway Test Location']]);

	/** Answer the Nth upload request (1-based, counting from now) with this refusal. */
	private failure?: { requestNumber: number; status: number; message: string };

	private uploadRequestCount = 0;

	/** Leadway's own limits; a test may tighten them to make Leadway refuse what the node let through. */
	maxFileBytes = MAX_FILE_BYTES;

	allowedExtensions = [...ALLOWED];

	constructor() {
		super(async (request) => await this.route(request));
	}

	reset(): void {
		this.requests.length = 0;
		this.uploads.length = 0;
		this.failure = undefined;
		this.uploadRequestCount = 0;
		this.maxFileBytes = MAX_FILE_BYTES;
		this.allowedExtensions = [...ALLOWED];
	}

	failUploadRequest(requestNumber: number, status = 500, message = 'Internal server error'): void {
		this.failure = { requestNumber, status, message };
	}

	private async route(request: RecordedRequest): Promise<DoubleResponse> {
		if (bearerToken(request) !== LEADWAY_TOKEN) return refusal(401, 'Invalid JWT');
		const version = request.headers.version;
		if (version === undefined) return refusal(401, 'Version header was not found');
		if (version !== LEADWAY_VERSION) return refusal(400, `Version ${String(version)} is not supported`);

		const location = /^\/locations\/([^/]+)$/.exec(request.path);
		if (request.method === 'GET' && location) {
			const id = decodeURIComponent(location[1]);
			const name = this.locations.get(id);
			return name ? json(200, { location: { id, name } }) : refusal(404, 'Location not found');
		}
		if (request.method === 'GET' && request.path === '/conversations/search') {
			return json(200, { conversations: [], total: 0 });
		}
		if (request.method === 'POST' && request.path === '/conversations/messages/upload') {
			return await this.upload(request);
		}
		return refusal(404, `Cannot ${request.method} ${request.path}`);
	}

	private async upload(request: RecordedRequest): Promise<DoubleResponse> {
		this.uploadRequestCount++;
		if (this.failure?.requestNumber === this.uploadRequestCount) {
			return refusal(this.failure.status, this.failure.message);
		}
		const contentType = String(request.headers['content-type'] ?? '');
		if (!/^multipart\/form-data; boundary=.+/.test(contentType)) {
			return refusal(400, 'Content-Type must be multipart/form-data');
		}
		if (!hasExactLength(request)) {
			return refusal(400, 'Content-Length does not match the body');
		}
		let form: ParsedForm;
		try {
			form = await parseMultipart(request, this.maxFileBytes);
		} catch (error) {
			return refusal(400, `Malformed multipart body: ${(error as Error).message}`);
		}

		const unknownField = form.fields.find(([name]) => !TEXT_FIELDS.includes(name));
		if (unknownField) return refusal(400, `property ${unknownField[0]} should not exist`);
		const wrongFile = form.files.find((file) => file.fieldName !== 'fileAttachment');
		if (wrongFile) return refusal(400, `Unexpected file field ${wrongFile.fieldName}`);
		if (form.files.some((file) => file.fileName === '')) return refusal(400, 'Every file needs a file name');
		for (const name of TEXT_FIELDS.filter((field) => field !== 'attachmentUrls')) {
			if (form.fields.filter(([field]) => field === name).length > 1) return refusal(400, `${name} must be a string`);
		}
		const field = (name: string) => form.fields.find(([key]) => key === name)?.[1];

		if (form.filesLimitReached) return refusal(400, `You can upload at most ${MAX_FILES} files per request`);
		if (form.files.length === 0) return refusal(400, 'No files were uploaded');
		if (form.files.some((file) => file.truncated || file.size > this.maxFileBytes)) {
			return refusal(413, 'File size exceeds the 5 MB limit');
		}
		const badType = form.files.find((file) => {
			const extension =
				/\.([^.]+)$/.exec(file.fileName)?.[1]?.toLowerCase() ?? ALLOWED_MIME[file.contentType.toLowerCase()];
			return extension === undefined || !this.allowedExtensions.includes(extension);
		});
		if (badType) return refusal(415, `File type of ${badType.fileName} is not supported`);
		if (!field('conversationId') && !field('contactId')) {
			return refusal(400, 'Either conversationId or contactId is required');
		}
		const locationId = field('locationId');
		if (!locationId) return refusal(400, 'locationId should not be empty');
		if (!this.locations.has(locationId)) return refusal(403, 'The token does not have access to this location');
		const isGroupSms = field('isGroupSms');
		if (isGroupSms !== undefined && isGroupSms !== 'true' && isGroupSms !== 'false') {
			return refusal(400, 'isGroupSms must be "true" or "false"');
		}
		if (isGroupSms === 'true' && form.files.length !== 1) {
			return refusal(400, 'Group SMS uploads allow exactly one file per request');
		}
		for (const [name, value] of form.fields) {
			if (name === 'attachmentUrls' && !/^https?:\/\/\S+$/.test(value)) {
				return refusal(400, 'each value in attachmentUrls must be a URL address');
			}
		}

		const files = form.files.map(({ fileName, contentType: type, size, sha256: hash }) => ({
			fileName,
			contentType: type,
			size,
			sha256: hash,
		}));
		this.uploads.push({ fields: form.fields, files });
		const uploadedFiles: Record<string, string> = {};
		for (const file of files) {
			uploadedFiles[file.fileName] =
				`https://storage.example.invalid/${locationId}/${file.sha256.slice(0, 12)}/${encodeURIComponent(file.fileName)}`;
		}
		return json(201, {
			uploadedFiles,
			...(isGroupSms === 'true' ? { twilioMediaSids: [`ME${files[0].sha256.slice(0, 32)}`] } : {}),
		});
	}
}
