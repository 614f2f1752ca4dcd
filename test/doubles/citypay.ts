/**
 * CityPay API double: the attachment routes, cursor pagination and error bodies of
 * `../shared/API-CONTRACTS.md` (CityPay), checked as strictly as CityPay would, plus
 * the file URLs attachments point to (on this origin, or on a separate file host).
 */
import { randomBytes } from 'node:crypto';

import busboy from 'busboy';

import type { DoubleResponse, RecordedRequest } from './httpDouble';
import { HttpDouble, bearerToken, hasExactLength, json, sha256 } from './httpDouble';

export const CITYPAY_TOKEN = 'cp_test_token_8d41e7b2';

export interface CityPayStoredAttachment {
	id: string;
	message_id: string;
	filename: string;
	file_type: string;
	created_at: number;
	conversationId: string | null;
	bytes: Buffer;
	sha256: string;
}

interface ParsedUpload {
	/** The optional `conversation_id` field, sent before the file. */
	conversationId?: string;
	fileName: string;
	mimeType: string;
	bytes: Buffer;
}

function newId(): string {
	return randomBytes(12).toString('base64url');
}

function error(status: number, type: string, message: string): DoubleResponse {
	return json(status, { type, message, documentation_url: 'https://protocol.chat/errors' });
}

/** Serves attachment bytes from another origin, without authentication, as a CDN would. */
export class CityPayFileHost extends HttpDouble {
	constructor(store: () => CityPayStoredAttachment[]) {
		super((request) => serveFile(store(), request));
	}
}

function serveFile(attachments: CityPayStoredAttachment[], request: RecordedRequest): DoubleResponse {
	const match = /^\/files\/([^/]+)\/([^/]+)$/.exec(request.path);
	const attachment = match && attachments.find((candidate) => candidate.id === decodeURIComponent(match[1]));
	if (request.method !== 'GET' || !attachment) return error(404, 'not_found', 'File not found');
	return { status: 200, body: attachment.bytes, headers: { 'content-type': attachment.file_type } };
}

export class CityPayDouble extends HttpDouble {
	readonly attachments: CityPayStoredAttachment[] = [];

	/** Largest page this server returns, whatever `limit` asks for (CityPay: 100). */
	maxPageSize = 100;

	/** A faulty server: ignores `starting_after` and serves the first page again. */
	repeatCursorPages = false;

	/**
	 * A faulty server whose list never ends: every page is full of new attachments (not
	 * stored) and says `has_more: true`; `starting_after` must name the last one it served.
	 */
	endlessPages = false;

	private lastEndlessId?: string;

	private endlessCount = 0;

	/** Uploads of files with these names are refused (400), as CityPay refuses a file it does not accept. */
	readonly refusedFileNames = new Set<string>();

	/** Where `file_url` points: this origin (bytes behind the token) when unset. */
	fileHost?: CityPayFileHost;

	/** Own-origin file URLs answer 302 to the file host, as storage behind a CDN does. */
	redirectFilesToHost = false;

	/** The path the API is served under, as CityPay's own `/v1`; other paths get 404. Empty: the root. */
	basePath = '';

	constructor() {
		super(async (request) => await this.route(request));
	}

	reset(): void {
		super.reset();
		this.attachments.length = 0;
		this.maxPageSize = 100;
		this.repeatCursorPages = false;
		this.endlessPages = false;
		this.lastEndlessId = undefined;
		this.endlessCount = 0;
		this.refusedFileNames.clear();
		this.fileHost = undefined;
		this.redirectFilesToHost = false;
		this.basePath = '';
	}

	addAttachments(count: number, conversationId: string | null = null): CityPayStoredAttachment[] {
		const added: CityPayStoredAttachment[] = [];
		for (let index = 0; index < count; index++) {
			const bytes = Buffer.from(`attachment ${this.attachments.length + 1}\n`);
			added.push(
				this.store({ fileName: `file-${this.attachments.length + 1}.txt`, mimeType: 'text/plain', bytes }, conversationId),
			);
		}
		return added;
	}

	fileUrl(attachment: CityPayStoredAttachment): string {
		const origin = this.fileHost && !this.redirectFilesToHost ? this.fileHost.url : `${this.url}${this.basePath}`;
		return `${origin}/files/${encodeURIComponent(attachment.id)}/${encodeURIComponent(attachment.filename)}`;
	}

	toJson(attachment: CityPayStoredAttachment) {
		return {
			id: attachment.id,
			message_id: attachment.message_id,
			filename: attachment.filename,
			file_url: this.fileUrl(attachment),
			file_type: attachment.file_type,
			file_size: attachment.bytes.length,
			created_at: attachment.created_at,
		};
	}

	private store(upload: ParsedUpload, conversationId: string | null): CityPayStoredAttachment {
		const attachment: CityPayStoredAttachment = {
			id: newId(),
			message_id: newId(),
			filename: upload.fileName,
			file_type: upload.mimeType,
			created_at: Math.floor(Date.now() / 1000),
			conversationId,
			bytes: upload.bytes,
			sha256: sha256(upload.bytes),
		};
		this.attachments.push(attachment);
		return attachment;
	}

	private async route(served: RecordedRequest): Promise<DoubleResponse> {
		let request = served;
		if (this.basePath !== '') {
			if (!served.path.startsWith(`${this.basePath}/`)) return error(404, 'not_found', `No route ${served.method} ${served.path}`);
			request = { ...served, path: served.path.slice(this.basePath.length) };
		}
		if (bearerToken(request) !== CITYPAY_TOKEN) {
			return error(401, 'authentication_error', 'Invalid or missing API token');
		}
		if (request.path.startsWith('/files/')) {
			if (this.redirectFilesToHost && this.fileHost) {
				return { status: 302, headers: { location: `${this.fileHost.url}${request.path}` } };
			}
			return serveFile(this.attachments, request);
		}
		if (request.path === '/attachments') {
			if (request.method === 'GET') return this.list(request);
			if (request.method === 'POST') return await this.upload(request);
			return error(405, 'invalid_request_error', `${request.method} is not allowed on /attachments`);
		}
		const match = /^\/attachments\/([^/]+)$/.exec(request.path);
		if (!match) return error(404, 'not_found', `No route ${request.method} ${request.path}`);
		const id = decodeURIComponent(match[1]);
		const index = this.attachments.findIndex((attachment) => attachment.id === id);
		if (index === -1) return error(404, 'not_found', `No attachment with ID "${id}"`);
		const attachment = this.attachments[index];

		if (request.method === 'GET') return json(200, this.toJson(attachment));
		if (request.method === 'PUT') return this.rename(request, attachment);
		if (request.method === 'DELETE') {
			this.attachments.splice(index, 1);
			return { status: 204 };
		}
		return error(405, 'invalid_request_error', `${request.method} is not allowed on attachments`);
	}

	private list(request: RecordedRequest): DoubleResponse {
		const known = ['conversation_id', 'limit', 'starting_after', 'ending_before'];
		const unknown = [...request.query.keys()].find((key) => !known.includes(key));
		if (unknown) return error(400, 'invalid_request_error', `Unknown parameter ${unknown}`);
		const limitText = request.query.get('limit') ?? '10';
		const limit = Number(limitText);
		if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
			return error(400, 'invalid_request_error', 'limit must be an integer between 1 and 100');
		}
		const conversationId = request.query.get('conversation_id');
		const list = conversationId
			? this.attachments.filter((attachment) => attachment.conversationId === conversationId)
			: this.attachments;

		const after = request.query.get('starting_after');
		if (this.endlessPages) return this.endlessPage(after, Math.min(limit, this.maxPageSize));
		let start = 0;
		if (after !== null && !this.repeatCursorPages) {
			const position = list.findIndex((attachment) => attachment.id === after);
			if (position === -1) return error(400, 'invalid_request_error', `starting_after "${after}" is not in this list`);
			start = position + 1;
		}
		const pageSize = Math.min(limit, this.maxPageSize);
		const page = list.slice(start, start + pageSize);
		const hasMore = this.repeatCursorPages ? true : start + page.length < list.length;
		return json(200, { has_more: hasMore, data: page.map((attachment) => this.toJson(attachment)) });
	}

	private endlessPage(after: string | null, pageSize: number): DoubleResponse {
		// The first page (no cursor) starts the list afresh; every other must continue the last one.
		if (after !== null && after !== this.lastEndlessId) {
			return error(400, 'invalid_request_error', `starting_after "${after}" is not in this list`);
		}
		const origin = this.url;
		// Counted, not random: a random ID per attachment made the 1,000-page list slow to serve.
		const data = Array.from({ length: pageSize }, (_, index) => ({
			id: `att_endless_${++this.endlessCount}`,
			message_id: `msg_endless_${this.endlessCount}`,
			filename: `endless-${index}.txt`,
			file_url: `${origin}/files/none/endless-${index}.txt`,
			file_type: 'text/plain',
			file_size: 12,
			created_at: 1767225600,
		}));
		this.lastEndlessId = data[data.length - 1].id;
		return json(200, { has_more: true, data });
	}

	private async upload(request: RecordedRequest): Promise<DoubleResponse> {
		const parsed = await parseUpload(request);
		if ('error' in parsed) return error(400, 'invalid_request_error', parsed.error);
		if (this.refusedFileNames.has(parsed.fileName)) {
			return error(400, 'invalid_request_error', `The file ${parsed.fileName} is not accepted`);
		}
		return json(201, this.toJson(this.store(parsed, parsed.conversationId ?? null)));
	}

	private rename(request: RecordedRequest, attachment: CityPayStoredAttachment): DoubleResponse {
		if (String(request.headers['content-type'] ?? '').split(';')[0] !== 'application/x-www-form-urlencoded') {
			return error(400, 'invalid_request_error', 'Send the update as application/x-www-form-urlencoded');
		}
		const fields = new URLSearchParams(request.body.toString('utf8'));
		const keys = [...fields.keys()];
		if (keys.length !== 1 || keys[0] !== 'filename') {
			return error(400, 'invalid_request_error', 'filename is the only field that can be updated');
		}
		const fileName = fields.get('filename') ?? '';
		if (fileName.trim() === '' || /[/\\]/.test(fileName)) {
			return error(400, 'invalid_request_error', 'filename is not a valid file name');
		}
		attachment.filename = fileName;
		return json(200, this.toJson(attachment));
	}
}

/**
 * Strict multipart parsing with busboy: exactly one file part `file`, with a name, and at
 * most one text field, `conversation_id`, non-empty and before the file (CityPay uploads to a conversation).
 */
async function parseUpload(request: RecordedRequest): Promise<ParsedUpload | { error: string }> {
	const contentType = String(request.headers['content-type'] ?? '');
	if (!contentType.startsWith('multipart/form-data')) return { error: 'Content-Type must be multipart/form-data' };
	if (!hasExactLength(request)) {
		return { error: 'Content-Length does not match the body' };
	}
	let parser: busboy.Busboy;
	try {
		// File names arrive as UTF-8, as browsers send them (WHATWG multipart/form-data).
		parser = busboy({ headers: request.headers, defParamCharset: 'utf8' });
	} catch (parseError) {
		return { error: `Malformed multipart body: ${(parseError as Error).message}` };
	}
	return await new Promise((resolve) => {
		const files: ParsedUpload[] = [];
		const problems: string[] = [];
		let conversationId: string | undefined;
		let pending = 0;
		let closed = false;
		const finish = () => {
			if (!closed || pending > 0) return;
			if (problems.length) return resolve({ error: problems[0] });
			if (files.length !== 1) return resolve({ error: 'file is required' });
			resolve({ ...files[0], conversationId });
		};
		parser.on('field', (name, value) => {
			if (name !== 'conversation_id') problems.push(`Unknown field ${name}`);
			else if (conversationId !== undefined) problems.push('conversation_id is given twice');
			else if (pending > 0 || files.length > 0) problems.push('conversation_id must come before file');
			else if (value.trim() === '') problems.push('conversation_id must not be empty');
			else conversationId = value;
		});
		parser.on('file', (name, stream, info) => {
			pending++;
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				pending--;
				if (name !== 'file') problems.push(`Unknown file field ${name}`);
				else if (!info.filename) problems.push('file needs a filename');
				else files.push({ fileName: info.filename, mimeType: info.mimeType, bytes: Buffer.concat(chunks) });
				finish();
			});
		});
		parser.on('error', (parseError: Error) => resolve({ error: `Malformed multipart body: ${parseError.message}` }));
		parser.on('close', () => {
			closed = true;
			finish();
		});
		parser.end(request.body);
	});
}
