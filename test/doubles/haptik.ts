/**
 * Haptik API double: `POST /v1.0/log_file_from_user/` as `../shared/API-CONTRACTS.md`
 * (Haptik) describes it, with the multipart body parsed by busboy and checked as
 * strictly as Haptik would: both headers, the four fields, one file part, 10 MB.
 */
import Busboy from 'busboy';
import { Readable } from 'node:stream';

import type { DoubleResponse, RecordedRequest } from './httpDouble';
import { HttpDouble, json, sha256 } from './httpDouble';

export const HAPTIK_TOKEN = 'hpk_test_token_8d41c7';
export const HAPTIK_CLIENT_ID = 'client-42';
export const HAPTIK_USER = 'user-7781';
export const UPLOAD_ROUTE = '/v1.0/log_file_from_user/';
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif'];
const DOCUMENT_EXTENSIONS = ['docx', 'doc', 'pdf', 'xls', 'xlsx', 'csv'];
const KNOWN_FIELDS = ['auth_id', 'business_id', 'message_type', 'message_body'];

export interface HaptikFilePart {
	fieldName: string;
	fileName: string;
	mimeType: string;
	/** Transfer-Encoding of the part, as busboy saw it. */
	encoding: string;
	bytes: Buffer;
	sha256: string;
}

export interface HaptikUpload {
	fields: Record<string, string>;
	/** Field names in the order they arrived. */
	order: string[];
	file: HaptikFilePart;
	messageId: number;
}

interface ParsedForm {
	fields: Record<string, string>;
	order: string[];
	files: HaptikFilePart[];
	tooLarge: boolean;
}

class MultipartError extends Error {}

function parseMultipart(request: RecordedRequest): Promise<ParsedForm> {
	return new Promise((resolve, reject) => {
		let busboy: Busboy.Busboy;
		try {
			busboy = Busboy({
				headers: request.headers,
				// File names arrive as UTF-8, as browsers send them (WHATWG multipart/form-data).
				defParamCharset: 'utf8',
				// +1 so an oversized file is detected, not silently cut at the limit.
				limits: { fileSize: MAX_FILE_BYTES + 1, files: 2, fields: 10, parts: 12 },
			});
		} catch (error) {
			reject(new MultipartError((error as Error).message));
			return;
		}
		const form: ParsedForm = { fields: {}, order: [], files: [], tooLarge: false };
		busboy.on('field', (name, value, info) => {
			if (info.nameTruncated || info.valueTruncated) {
				reject(new MultipartError(`field ${name} is truncated`));
				return;
			}
			if (name in form.fields) {
				reject(new MultipartError(`field ${name} is sent twice`));
				return;
			}
			form.fields[name] = value;
			form.order.push(name);
		});
		busboy.on('file', (fieldName, stream, info) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('limit', () => {
				form.tooLarge = true;
			});
			stream.on('end', () => {
				const bytes = Buffer.concat(chunks);
				form.order.push(fieldName);
				form.files.push({
					fieldName,
					fileName: info.filename ?? '',
					mimeType: info.mimeType,
					encoding: info.encoding,
					bytes,
					sha256: sha256(bytes),
				});
			});
		});
		busboy.on('partsLimit', () => reject(new MultipartError('too many parts')));
		busboy.on('filesLimit', () => reject(new MultipartError('too many files')));
		busboy.on('fieldsLimit', () => reject(new MultipartError('too many fields')));
		busboy.on('error', (error: Error) => reject(new MultipartError(error.message)));
		busboy.on('close', () => resolve(form));
		Readable.from([request.body]).pipe(busboy);
	});
}

function extensionOf(fileName: string): string | undefined {
	const match = /\.([^./\\]+)$/.exec(fileName);
	return match?.[1].toLowerCase();
}

export class HaptikDouble extends HttpDouble {
	readonly uploads: HaptikUpload[] = [];

	/** auth_ids registered with Haptik's user API. */
	readonly registeredUsers = new Set<string>([HAPTIK_USER]);

	private nextMessageId = 1411200492;

	constructor() {
		super(async (request) => await this.route(request));
	}

	reset(): void {
		super.reset();
		this.uploads.length = 0;
		this.registeredUsers.clear();
		this.registeredUsers.add(HAPTIK_USER);
	}

	private async route(request: RecordedRequest): Promise<DoubleResponse> {
		if (request.method !== 'POST' || request.path !== UPLOAD_ROUTE) {
			return { status: 404, body: Buffer.from('<h1>Not Found</h1>'), headers: { 'content-type': 'text/html' } };
		}
		// Haptik: both headers, exactly as issued (API docs, "Headers").
		if (request.headers.authorization !== `Bearer ${HAPTIK_TOKEN}` || request.headers['client-id'] !== HAPTIK_CLIENT_ID) {
			return json(401, { error_message: 'invalid authorization details' });
		}
		if (!/^multipart\/form-data;\s*boundary=/i.test(String(request.headers['content-type'] ?? ''))) {
			return json(400, { error_message: 'Content-Type must be multipart/form-data' });
		}
		let form: ParsedForm;
		try {
			form = await parseMultipart(request);
		} catch (error) {
			if (error instanceof MultipartError) return json(400, { error_message: `malformed multipart body: ${error.message}` });
			throw error;
		}
		if (form.tooLarge) return json(413, { error_message: 'file size should be less than 10 MB' });

		const unknown = Object.keys(form.fields).filter((name) => !KNOWN_FIELDS.includes(name));
		if (unknown.length) return json(400, { error_message: `unknown field ${unknown[0]}` });
		for (const name of ['auth_id', 'business_id', 'message_type']) {
			if (!form.fields[name]) return json(400, { error_message: `${name} is required` });
		}
		const { auth_id: authId, business_id: businessId, message_type: messageType } = form.fields;
		if (!/^\d+$/.test(businessId)) return json(400, { error_message: 'business_id must be numeric' });
		if (messageType !== '1' && messageType !== '52') return json(400, { error_message: 'message_type must be 1 or 52' });
		if (!this.registeredUsers.has(authId)) return json(403, { error_message: 'user is not registered' });

		if (form.files.length !== 1 || form.files[0].fieldName !== 'file') {
			return json(400, { error_message: 'exactly one file part named file is required' });
		}
		const [file] = form.files;
		if (!file.fileName) return json(400, { error_message: 'file part has no file name' });
		if (file.bytes.length === 0) return json(400, { error_message: 'file is empty' });
		const extension = extensionOf(file.fileName) ?? '';
		const allowed = messageType === '1' ? IMAGE_EXTENSIONS : DOCUMENT_EXTENSIONS;
		if (!allowed.includes(extension)) {
			return json(400, { error_message: `extension .${extension} is not supported for message_type ${messageType}` });
		}

		const messageId = this.nextMessageId++;
		this.uploads.push({ fields: form.fields, order: form.order, file, messageId });
		return json(200, {
			message_id: messageId,
			message_body: form.fields.message_body ?? '',
			created_at: new Date().toISOString(),
			message_type: Number(messageType),
			file_url: `https://assets.example.invalid/content/${file.sha256.slice(0, 20)}.${extension}`,
		});
	}
}
