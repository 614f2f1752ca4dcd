/**
 * Invent API double: the documented routes, refusals and pagination of
 * `../shared/API-CONTRACTS.md` (Invent), checked as strictly as Invent would.
 */
import { randomUUID } from 'node:crypto';

import type { DoubleResponse, RecordedRequest } from './httpDouble';
import { HttpDouble, bearerToken, decodeStrictBase64, json, sha256 } from './httpDouble';

export const INVENT_API_KEY = 'inv_test_key_5f2c9a';
const OWN_ORG = 'org_own';

export interface InventContact {
	id: string;
	name: string | null;
	channels: Array<Record<string, unknown>>;
	segments: Array<{ id: string }>;
	created_at: string;
	updated_at: string;
}

export type InventFileSource = 'direct' | 'note' | 'chat';

export interface InventStoredFile {
	id: string;
	contactId: string;
	name: string;
	type: string;
	bytes: Buffer;
	sha256: string;
	/** Where Invent says the file came from: a direct upload (by data or by URL), a note or a chat. */
	source: InventFileSource;
	/** How an upload sent it: its data in the body, or a `file_url` Invent fetched. Seeded files: 'data'. */
	via: 'data' | 'url';
	createdAt: string;
	/** Served from Invent's own origin (behind the key) even when a file host is set. */
	ownOrigin?: boolean;
}

/** Query parameters of `GET …/files`: paging (API docs), and nothing else is sent by the node. */
const FILE_LIST_PARAMETERS = ['page', 'take', 'next'];

const MIME_PATTERN = /^(\*|[\w.+-]+)\/(\*|[\w.+-]+)$/;

function matches(type: string, pattern: string): boolean {
	if (pattern === '*/*') return true;
	if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
	return type === pattern;
}

/** Serves file bytes from another origin, without authentication, as a CDN would; records every request. */
export class InventFileHost extends HttpDouble {
	constructor(store: () => InventStoredFile[]) {
		super((request) => serveFile(store(), request));
	}
}

function serveFile(files: InventStoredFile[], request: RecordedRequest): DoubleResponse {
	const match = /^\/files\/([^/]+)\/([^/]+)$/.exec(request.path);
	const file = match && files.find((candidate) => candidate.id === decodeURIComponent(match[1]));
	if (request.method !== 'GET' || !file) return json(404, { message: 'File not found' });
	return { status: 200, body: file.bytes, headers: { 'content-type': file.type } };
}

export class InventDouble extends HttpDouble {
	readonly contacts: InventContact[] = [];

	readonly files: InventStoredFile[] = [];

	/** Organizations the key may use besides `c` (its own). */
	readonly subOrganizations = new Set<string>(['org_sub_1']);

	/** Answer the next N requests with 429, as Invent's rate limiter does. */
	rateLimitNext = 0;

	/**
	 * A faulty server whose list never ends: `pagination-count` says 10^12 contacts and every
	 * page asked for is full of new ones (not stored).
	 */
	endlessContacts = false;

	/** A faulty server: ignores `page` and serves the first page for every page asked for. */
	ignorePage = false;

	/** Where `file_url` points: this origin (bytes behind the key) when unset. */
	fileHost?: InventFileHost;

	constructor() {
		super(async (request) => await this.route(request));
	}

	reset(): void {
		super.reset();
		this.contacts.length = 0;
		this.files.length = 0;
		this.subOrganizations.clear();
		this.subOrganizations.add('org_sub_1');
		this.rateLimitNext = 0;
		this.endlessContacts = false;
		this.ignorePage = false;
		this.fileHost = undefined;
	}

	addContacts(count: number): InventContact[] {
		const added: InventContact[] = [];
		for (let index = 0; index < count; index++) {
			added.push(this.createContact({ name: `Contact ${this.contacts.length + 1}` }, []));
		}
		return added;
	}

	/** One contact with the given channel fields (name, email, phone, ...). */
	addContact(channel: Record<string, unknown>): InventContact {
		return this.createContact(channel, []);
	}

	/**
	 * `count` files on a contact, as if uploaded, attached to notes or sent in chats: sources
	 * cycle direct, note, chat; names `file-<n>.<ext>` with types cycling text, PNG, PDF.
	 */
	addContactFiles(contactId: string, count: number): InventStoredFile[] {
		const kinds = [
			['txt', 'text/plain'],
			['png', 'image/png'],
			['pdf', 'application/pdf'],
		] as const;
		const sources: InventFileSource[] = ['direct', 'note', 'chat'];
		const added: InventStoredFile[] = [];
		for (let index = 0; index < count; index++) {
			const n = this.files.length + 1;
			const [extension, type] = kinds[index % kinds.length];
			added.push(
				this.storeFile({ contactId, name: `file-${n}.${extension}`, type, bytes: Buffer.from(`file ${n} of ${contactId}\n`), source: sources[index % sources.length], via: 'data' }),
			);
		}
		return added;
	}

	/** Stores one file on a contact, as Invent keeps it. */
	storeFile(file: Omit<InventStoredFile, 'id' | 'sha256' | 'createdAt'>): InventStoredFile {
		const stored: InventStoredFile = {
			...file,
			id: `fl_${randomUUID().slice(0, 8)}`,
			sha256: sha256(file.bytes),
			createdAt: new Date().toISOString(),
		};
		this.files.push(stored);
		return stored;
	}

	fileUrl(file: InventStoredFile): string {
		const origin = this.fileHost && !file.ownOrigin ? this.fileHost.url : this.url;
		return `${origin}/files/${encodeURIComponent(file.id)}/${encodeURIComponent(file.name)}`;
	}

	/** The file record Invent returns for an upload and in a contact's file list (API docs). */
	toJson(file: InventStoredFile) {
		return {
			id: file.id,
			file_path: `contacts/${file.contactId}/${file.name}`,
			file_filename: file.name,
			file_size: file.bytes.length,
			file_mimetype: file.type,
			file_url: this.fileUrl(file),
			created_at: file.createdAt,
			source: file.source,
		};
	}

	private createContact(channel: Record<string, unknown>, segmentIds: string[]): InventContact {
		const now = new Date().toISOString();
		const contact: InventContact = {
			id: `ct_${randomUUID().slice(0, 8)}`,
			name: (channel.name as string) ?? null,
			channels: [{ id: `ch_${randomUUID().slice(0, 8)}`, type: 'internal', ...channel, created_at: now, updated_at: now }],
			segments: segmentIds.map((id) => ({ id })),
			created_at: now,
			updated_at: now,
		};
		this.contacts.push(contact);
		return contact;
	}

	private async route(request: RecordedRequest): Promise<DoubleResponse> {
		if (this.rateLimitNext > 0) {
			this.rateLimitNext--;
			return json(429, { message: 'Too many requests' }, { 'retry-after': '1' });
		}
		if (bearerToken(request) !== INVENT_API_KEY) {
			return json(401, { message: 'Invalid or missing API key' });
		}
		if (request.path.startsWith('/files/')) return serveFile(this.files, request);
		const match = /^\/orgs\/([^/]+)\/contacts(?:\/([^/]+)\/files)?$/.exec(request.path);
		if (!match) return json(404, { message: `Route ${request.method} ${request.path} not found` });
		const org = decodeURIComponent(match[1]);
		if (org !== 'c' && org !== OWN_ORG && !this.subOrganizations.has(org)) {
			return json(404, { message: 'Organization not found' });
		}
		const contactId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);

		if (contactId === undefined && request.method === 'GET') return this.listContacts(request);
		if (contactId !== undefined && request.method === 'GET') return this.listFiles(contactId, request);
		if (request.method !== 'POST') return json(404, { message: 'Route not found' });

		if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
			return json(400, { message: 'Content-Type must be application/json' });
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
		} catch {
			return json(400, { message: 'Body is not valid JSON' });
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			return json(400, { message: 'Body must be a JSON object' });
		}
		return contactId === undefined ? this.postContact(body) : await this.postFile(contactId, body);
	}

	private listContacts(request: RecordedRequest): DoubleResponse {
		const paging = readPaging(request);
		if ('error' in paging) return paging.error;
		const { page, take } = paging;
		if (this.endlessContacts) {
			const now = new Date().toISOString();
			const fresh = Array.from({ length: take }, (_, index) => ({
				id: `ct_endless_${page}_${index}`,
				name: `Endless ${(page - 1) * take + index + 1}`,
				channels: [],
				segments: [],
				created_at: now,
				updated_at: now,
			}));
			return json(200, fresh, { 'pagination-count': '1000000000000', 'pagination-page': String(page), 'pagination-take': String(take) });
		}
		let contacts = this.contacts;
		const name = request.query.get('name');
		if (name) contacts = contacts.filter((contact) => contact.name?.includes(name));
		const email = request.query.get('email');
		if (email) contacts = contacts.filter((contact) => contact.channels.some((channel) => channel.email === email));
		const userId = request.query.get('user_id');
		if (userId) contacts = contacts.filter((contact) => contact.channels.some((channel) => channel.user_id === userId));
		const segmentId = request.query.get('segment_id');
		if (segmentId) contacts = contacts.filter((contact) => contact.segments.some((segment) => segment.id === segmentId));
		const served = this.ignorePage ? 1 : page;
		const slice = contacts.slice((served - 1) * take, served * take);
		return json(200, slice, {
			'pagination-count': String(contacts.length),
			'pagination-page': String(served),
			'pagination-take': String(take),
		});
	}

	/** `GET /orgs/{org}/contacts/{contact}/files`: the contact's files, in upload order, a page at a time. */
	private listFiles(contactId: string, request: RecordedRequest): DoubleResponse {
		const unknown = [...request.query.keys()].find((key) => !FILE_LIST_PARAMETERS.includes(key));
		if (unknown !== undefined) return json(400, { message: `Unknown query parameter ${unknown}` });
		const paging = readPaging(request);
		if ('error' in paging) return paging.error;
		const { page, take } = paging;
		if (!this.contacts.some((contact) => contact.id === contactId)) return json(404, { message: 'Contact not found' });
		const files = this.files.filter((file) => file.contactId === contactId);
		const served = this.ignorePage ? 1 : page;
		return json(
			200,
			files.slice((served - 1) * take, served * take).map((file) => this.toJson(file)),
			{ 'pagination-count': String(files.length), 'pagination-page': String(served), 'pagination-take': String(take) },
		);
	}

	private postContact(body: Record<string, unknown>): DoubleResponse {
		const channel = body.channel as Record<string, unknown> | undefined;
		const allowed = ['user_id', 'name', 'email', 'phone', 'contact_id'];
		if (!channel || typeof channel !== 'object' || Array.isArray(channel)) {
			return json(400, { message: 'channel is required' });
		}
		for (const [key, value] of Object.entries(channel)) {
			if (!allowed.includes(key)) return json(400, { message: `channel.${key} is not allowed` });
			if (typeof value !== 'string') return json(400, { message: `channel.${key} must be a string` });
		}
		const segmentIds = body.segment_ids ?? [];
		if (!Array.isArray(segmentIds) || segmentIds.some((id) => typeof id !== 'string')) {
			return json(400, { message: 'segment_ids must be an array of strings' });
		}
		const unknownKeys = Object.keys(body).filter((key) => key !== 'channel' && key !== 'segment_ids');
		if (unknownKeys.length) return json(400, { message: `Unknown field ${unknownKeys[0]}` });
		return json(200, this.createContact(channel, segmentIds as string[]));
	}

	private async postFile(contactId: string, body: Record<string, unknown>): Promise<DoubleResponse> {
		if (!this.contacts.some((contact) => contact.id === contactId)) {
			return json(404, { message: 'Contact not found' });
		}
		const unknownKeys = Object.keys(body).filter((key) => !['file', 'file_url', 'allowed_types'].includes(key));
		if (unknownKeys.length) return json(400, { message: `Unknown field ${unknownKeys[0]}` });
		const allowedTypes = body.allowed_types ?? ['*/*'];
		if (
			!Array.isArray(allowedTypes) ||
			allowedTypes.length > 255 ||
			allowedTypes.some((type) => typeof type !== 'string' || type.length > 255 || !MIME_PATTERN.test(type))
		) {
			return json(400, { message: 'allowed_types must be at most 255 MIME patterns of at most 255 characters' });
		}
		if ((body.file === undefined) === (body.file_url === undefined)) {
			return json(400, { message: 'Send exactly one of file or file_url' });
		}

		let stored: { name: string; type: string; bytes: Buffer; via: InventStoredFile['via'] };
		if (body.file !== undefined) {
			const file = body.file as Record<string, unknown>;
			if (typeof file !== 'object' || file === null) return json(400, { message: 'file must be an object' });
			const bytes = decodeStrictBase64(file.data);
			if (!bytes) return json(400, { message: 'file.data must be base64' });
			if (typeof file.name !== 'string' || !file.name) return json(400, { message: 'file.name is required' });
			if (typeof file.type !== 'string' || !MIME_PATTERN.test(file.type)) {
				return json(400, { message: 'file.type must be a MIME type' });
			}
			stored = { name: file.name, type: file.type, bytes, via: 'data' };
		} else {
			const fetched = await this.fetchUrl(body.file_url);
			if ('error' in fetched) return json(400, { message: fetched.error });
			stored = { ...fetched, via: 'url' };
		}
		if (!(allowedTypes as string[]).some((pattern) => matches(stored.type, pattern))) {
			return json(400, { message: `File type ${stored.type} is not allowed` });
		}
		// Invent: an upload, by data or by URL, is a direct file (API docs: source direct|note|chat).
		return json(200, this.toJson(this.storeFile({ ...stored, contactId, source: 'direct' })));
	}

	/** Invent downloads `file_url` itself; only loopback URLs are reachable from the test machine. */
	private async fetchUrl(fileUrl: unknown): Promise<{ name: string; type: string; bytes: Buffer } | { error: string }> {
		if (typeof fileUrl !== 'string') return { error: 'file_url must be a string' };
		let url: URL;
		try {
			url = new URL(fileUrl);
		} catch {
			return { error: 'file_url must be a valid URL' };
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: 'file_url must be http(s)' };
		if (url.hostname !== '127.0.0.1') return { error: `Could not download ${fileUrl}` };
		const response = await fetch(url);
		if (!response.ok) return { error: `Could not download ${fileUrl}: HTTP ${response.status}` };
		return {
			name: decodeURIComponent(url.pathname.split('/').pop() ?? 'file'),
			type: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0],
			bytes: Buffer.from(await response.arrayBuffer()),
		};
	}
}

/** Invent's paging parameters, refused as Invent refuses them: `page` ≥ 1, `take` 1–100 (API docs). */
function readPaging(request: RecordedRequest): { page: number; take: number } | { error: DoubleResponse } {
	const page = Number(request.query.get('page') ?? '1');
	const take = Number(request.query.get('take') ?? '10');
	if (!Number.isInteger(page) || page < 1) return { error: json(400, { message: 'page must be an integer >= 1' }) };
	if (!Number.isInteger(take) || take < 1 || take > 100) {
		return { error: json(400, { message: 'take must be an integer between 1 and 100' }) };
	}
	return { page, take };
}
