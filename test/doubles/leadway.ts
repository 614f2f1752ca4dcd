/**
 * Leadway (LeadConnector) API double, checked as strictly as `../shared/API-CONTRACTS.md`
 * (Leadway, and "the rest of the conversation API") says Leadway does: Bearer token and
 * Version header on every request; the upload with a real multipart parser (busboy), 5 MB
 * per file (413), the allowed types (415) and 5 files per request (400); conversation search
 * with `startAfterDate` paging, one conversation, its messages (flat or wrapped answers,
 * `lastMessageId` / `nextPage` paging) with attachment files served on this origin (behind
 * the token) or on a separate file host; sending a message (JSON, unknown fields, a missing
 * `type` or `contactId` refused); and the `X-RateLimit-*` headers, with 429 once enforced.
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

/** Leadway: message types (API docs, send a message). */
export const LEADWAY_MESSAGE_TYPES = ['SMS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'RCS', 'TIKTOK'];
const SEND_FIELDS = [
	'type',
	'contactId',
	'message',
	'subject',
	'html',
	'attachments',
	'emailFrom',
	'emailTo',
	'emailCc',
	'emailBcc',
	'replyMessageId',
	'threadId',
	'fromNumber',
	'toNumber',
	'scheduledTimestamp',
];
const SEARCH_PARAMETERS = ['locationId', 'contactId', 'query', 'status', 'limit', 'sort', 'sortBy', 'startAfterDate'];
const SEARCH_STATUSES = ['all', 'read', 'unread', 'starred', 'recents'];
const MESSAGES_PARAMETERS = ['limit', 'lastMessageId', 'type'];
/** Leadway: search pages hold at most 100 conversations (API docs). */
const MAX_SEARCH_LIMIT = 100;
const MAX_MESSAGES_LIMIT = 100;

export interface LeadwayContact {
	id: string;
	name: string;
	email: string;
	phone: string;
}

export interface LeadwayConversation {
	id: string;
	contactId: string;
	locationId: string;
	fullName: string;
	contactName: string;
	email: string;
	phone: string;
	lastMessageBody: string;
	lastMessageType: string;
	type: string;
	unreadCount: number;
	starred: boolean;
	/** Milliseconds since the epoch; the search's sort value. */
	dateUpdated: number;
}

/** An attachment of a stored message: a file on this origin (behind the token) or at an absolute URL. */
export type LeadwayAttachment = { ownFile: string } | { url: string };

export interface LeadwayMessage {
	id: string;
	conversationId: string;
	contactId: string;
	locationId: string;
	type: number;
	messageType: string;
	direction: 'inbound' | 'outbound';
	status: string;
	body: string;
	contentType: string;
	attachments: LeadwayAttachment[];
	dateAdded: string;
}

/** One message Leadway accepted through `POST /conversations/messages`, as sent. */
export interface LeadwaySentMessage {
	body: Record<string, unknown>;
	conversationId: string;
	messageId: string;
}

/** A plain file server (cloud storage) for attachment URLs off Leadway's origin; it needs no token. */
export class LeadwayFileHost extends HttpDouble {
	readonly files = new Map<string, { bytes: Buffer; contentType: string }>();

	constructor() {
		super((request) => {
			const file = this.files.get(request.path);
			if (request.method !== 'GET' || !file) return json(404, { message: 'File not found' });
			return { status: 200, body: file.bytes, headers: { 'content-type': file.contentType } };
		});
	}

	reset(): void {
		super.reset();
		this.files.clear();
	}

	/** Stores a file and returns its URL on this host. */
	put(name: string, bytes: Buffer, contentType: string): string {
		const filePath = `/media/${encodeURIComponent(name)}`;
		this.files.set(filePath, { bytes, contentType });
		return `${this.url}${filePath}`;
	}
}

const SAMPLE_CONTACTS: LeadwayContact[] = [
	{ id: 'contact_ana', name: 'Ana Souza', email: 'ana.souza@example.com', phone: '+15550100' },
	{ id: 'contact_ben', name: 'Ben Okafor', email: 'ben.okafor@example.com', phone: '+15550101' },
	{ id: 'contact_chloe', name: 'Chloe Martin', email: 'chloe.martin@example.com', phone: '+15550102' },
];

const SAMPLE_OWN_FILES: Record<string, { bytes: Buffer; contentType: string }> = {
	'contract-signed.pdf': {
		bytes: Buffer.from('%PDF-1.4\n% signed contract, sample\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
		contentType: 'application/pdf',
	},
	'site-photo.png': {
		bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
		contentType: 'image/png',
	},
};

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

	readonly contacts: LeadwayContact[] = [];

	readonly conversations: LeadwayConversation[] = [];

	/** Messages by conversation ID, newest first (as Leadway lists them). */
	readonly messages = new Map<string, LeadwayMessage[]>();

	/** Files served on this origin under `/files/<name>`, behind the token. */
	readonly ownFiles = new Map<string, { bytes: Buffer; contentType: string }>();

	/** Every message Leadway accepted, in order. */
	readonly sentMessages: LeadwaySentMessage[] = [];

	/** Answer the message list wrapped once more (`{ messages: { messages, lastMessageId, nextPage } }`), as the live API has been seen to. */
	wrapMessages = false;

	/**
	 * A faulty server whose lists never end: every message page says `nextPage: true` and every
	 * search page is full, each of new messages or conversations (not stored), continuing from
	 * the last one it served.
	 */
	endlessLists = false;

	private endlessCursor?: string;

	/** Leadway: 100 requests per 10 s (API docs). Counted always, refused (429) only when `enforceRateLimit`. */
	rateLimit = { max: 100, intervalMs: 10_000 };

	enforceRateLimit = false;

	/** Own-origin file URLs answer 302 to this host, as storage behind a CDN does. */
	redirectFilesTo?: LeadwayFileHost;

	private window = { start: 0, count: 0 };

	private nextId = 1;

	constructor() {
		super(async (request) => await this.route(request));
		this.seed();
	}

	reset(): void {
		super.reset();
		this.uploads.length = 0;
		this.failure = undefined;
		this.uploadRequestCount = 0;
		this.maxFileBytes = MAX_FILE_BYTES;
		this.allowedExtensions = [...ALLOWED];
		this.sentMessages.length = 0;
		this.wrapMessages = false;
		this.endlessLists = false;
		this.endlessCursor = undefined;
		this.rateLimit = { max: 100, intervalMs: 10_000 };
		this.enforceRateLimit = false;
		this.redirectFilesTo = undefined;
		this.window = { start: 0, count: 0 };
		this.locations.clear();
		this.locations.set(LEADWAY_LOCATION, 'Leadway Test Location');
		this.seed();
	}

	/** The sample data: three contacts, a conversation each, messages with attachments in the first. */
	private seed(): void {
		this.contacts.splice(0, this.contacts.length, ...SAMPLE_CONTACTS.map((contact) => ({ ...contact })));
		this.conversations.length = 0;
		this.messages.clear();
		this.ownFiles.clear();
		for (const [name, file] of Object.entries(SAMPLE_OWN_FILES)) this.ownFiles.set(name, file);
		const base = Date.UTC(2026, 0, 15, 9, 0, 0);
		for (const [index, contact] of this.contacts.entries()) {
			this.addConversation(contact.id, { dateUpdated: base - index * 60_000, lastMessageType: index === 1 ? 'TYPE_EMAIL' : 'TYPE_SMS' });
		}
		const first = this.conversations[0];
		this.addMessage(first.id, { body: 'Here is the signed contract and a photo of the site.', attachments: [{ ownFile: 'contract-signed.pdf' }, { ownFile: 'site-photo.png' }] });
		this.addMessage(first.id, { body: 'Thanks, received!', direction: 'outbound' });
	}

	/** Adds a conversation for a contact; returns it. */
	addConversation(contactId: string, overrides: Partial<LeadwayConversation> = {}): LeadwayConversation {
		const contact = this.contacts.find((known) => known.id === contactId);
		const conversation: LeadwayConversation = {
			id: `conv_${this.nextId++}_${contactId}`,
			contactId,
			locationId: LEADWAY_LOCATION,
			fullName: contact?.name ?? '',
			contactName: contact?.name ?? '',
			email: contact?.email ?? '',
			phone: contact?.phone ?? '',
			lastMessageBody: '',
			lastMessageType: 'TYPE_SMS',
			type: 'TYPE_PHONE',
			unreadCount: 0,
			starred: false,
			dateUpdated: Date.UTC(2026, 0, 1) + this.nextId * 1000,
			...overrides,
		};
		this.conversations.push(conversation);
		this.messages.set(conversation.id, []);
		return conversation;
	}

	/** Adds a message at the top (newest) of a conversation; returns it. */
	addMessage(conversationId: string, overrides: Partial<LeadwayMessage> = {}): LeadwayMessage {
		const conversation = this.conversations.find((known) => known.id === conversationId);
		if (!conversation) throw new Error(`no conversation ${conversationId}`);
		const message: LeadwayMessage = {
			id: `msg_${this.nextId++}`,
			conversationId,
			contactId: conversation.contactId,
			locationId: conversation.locationId,
			type: 2,
			messageType: 'TYPE_SMS',
			direction: 'inbound',
			status: 'delivered',
			body: '',
			contentType: 'text/plain',
			attachments: [],
			dateAdded: new Date(Date.UTC(2026, 0, 15) + this.nextId * 1000).toISOString(),
			...overrides,
		};
		this.messages.get(conversationId)!.unshift(message);
		conversation.lastMessageBody = message.body;
		return message;
	}

	failUploadRequest(requestNumber: number, status = 500, message = 'Internal server error'): void {
		this.failure = { requestNumber, status, message };
	}

	private async route(request: RecordedRequest): Promise<DoubleResponse> {
		const response = await this.answer(request);
		return { ...response, headers: { ...this.rateLimitHeaders(), ...response.headers } };
	}

	/** Counts the request in the current window; the headers Leadway sends with every answer. */
	private countRequest(): boolean {
		const now = Date.now();
		if (now - this.window.start >= this.rateLimit.intervalMs) this.window = { start: now, count: 0 };
		this.window.count++;
		return this.window.count > this.rateLimit.max;
	}

	private rateLimitHeaders(): Record<string, string> {
		return {
			'x-ratelimit-max': String(this.rateLimit.max),
			'x-ratelimit-remaining': String(Math.max(0, this.rateLimit.max - this.window.count)),
			'x-ratelimit-interval-milliseconds': String(this.rateLimit.intervalMs),
			'x-ratelimit-limit-daily': '200000',
			'x-ratelimit-daily-remaining': '199000',
		};
	}

	private async answer(request: RecordedRequest): Promise<DoubleResponse> {
		if (this.countRequest() && this.enforceRateLimit) {
			// Leadway: 429 when the window is used up, with the X-RateLimit-* headers and no Retry-After.
			return refusal(429, 'Too many requests');
		}
		if (request.method === 'GET' && request.path.startsWith('/files/')) return this.ownFile(request);
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
		if (request.method === 'GET' && request.path === '/conversations/search') return this.search(request);
		if (request.method === 'POST' && request.path === '/conversations/messages/upload') {
			return await this.upload(request);
		}
		if (request.method === 'POST' && request.path === '/conversations/messages') return this.send(request);
		const messages = /^\/conversations\/([^/]+)\/messages$/.exec(request.path);
		if (request.method === 'GET' && messages) return this.listMessages(request, decodeURIComponent(messages[1]));
		const conversation = /^\/conversations\/([^/]+)$/.exec(request.path);
		if (request.method === 'GET' && conversation) {
			const found = this.conversations.find((known) => known.id === decodeURIComponent(conversation[1]));
			return found ? json(200, found) : refusal(404, 'Conversation not found');
		}
		return refusal(404, `Cannot ${request.method} ${request.path}`);
	}

	/** Attachment bytes on Leadway's own origin: the token is required, as for the API. */
	private ownFile(request: RecordedRequest): DoubleResponse {
		if (bearerToken(request) !== LEADWAY_TOKEN) return refusal(401, 'Invalid JWT');
		const name = decodeURIComponent(request.path.slice('/files/'.length));
		const file = this.ownFiles.get(name);
		if (!file) return refusal(404, 'File not found');
		if (this.redirectFilesTo) {
			return { status: 302, headers: { location: this.redirectFilesTo.put(name, file.bytes, file.contentType) } };
		}
		return { status: 200, body: file.bytes, headers: { 'content-type': file.contentType } };
	}

	private unknownParameter(request: RecordedRequest, allowed: string[]): DoubleResponse | undefined {
		for (const name of request.query.keys()) {
			if (!allowed.includes(name)) return refusal(422, `property ${name} should not exist`);
		}
		for (const name of allowed) {
			if (request.query.getAll(name).length > 1) return refusal(422, `${name} must be a string`);
		}
		return undefined;
	}

	private limitOf(request: RecordedRequest, fallback: number, max: number): number | DoubleResponse {
		const raw = request.query.get('limit');
		if (raw === null) return fallback;
		const limit = Number(raw);
		if (!/^\d+$/.test(raw) || limit < 1 || limit > max) return refusal(422, `limit must be a number between 1 and ${max}`);
		return limit;
	}

	private search(request: RecordedRequest): DoubleResponse {
		const unknown = this.unknownParameter(request, SEARCH_PARAMETERS);
		if (unknown) return unknown;
		// A location token searches its own location when none is named.
		const locationId = request.query.get('locationId') ?? LEADWAY_LOCATION;
		if (!this.locations.has(locationId)) return refusal(403, 'The token does not have access to this location');
		const limit = this.limitOf(request, 20, MAX_SEARCH_LIMIT);
		if (typeof limit !== 'number') return limit;
		const status = request.query.get('status') ?? 'all';
		if (!SEARCH_STATUSES.includes(status)) return refusal(422, `status must be one of ${SEARCH_STATUSES.join(', ')}`);
		const startAfter = request.query.get('startAfterDate');
		if (startAfter !== null && !/^\d+$/.test(startAfter)) return refusal(422, 'startAfterDate must be a number');
		if (this.endlessLists) return this.endlessSearchPage(startAfter, limit, locationId);
		const contactId = request.query.get('contactId');
		const query = request.query.get('query')?.toLowerCase();
		const matching = this.conversations
			.filter((conversation) => conversation.locationId === locationId)
			.filter((conversation) => contactId === null || conversation.contactId === contactId)
			.filter(
				(conversation) =>
					!query ||
					[conversation.fullName, conversation.email, conversation.phone, conversation.lastMessageBody].some((text) =>
						text.toLowerCase().includes(query),
					),
			)
			.filter((conversation) => {
				if (status === 'unread') return conversation.unreadCount > 0;
				if (status === 'read') return conversation.unreadCount === 0;
				if (status === 'starred') return conversation.starred;
				return true;
			})
			.sort((a, b) => b.dateUpdated - a.dateUpdated);
		const after = startAfter === null ? matching : matching.filter((conversation) => conversation.dateUpdated < Number(startAfter));
		const page = after.slice(0, limit).map((conversation) => ({ ...conversation, sort: [conversation.dateUpdated] }));
		return json(200, { conversations: page, total: matching.length });
	}

	private renderMessage(message: LeadwayMessage) {
		return {
			...message,
			attachments: message.attachments.map((attachment) =>
				'url' in attachment ? attachment.url : `${this.url}/files/${encodeURIComponent(attachment.ownFile)}`,
			),
		};
	}

	private listMessages(request: RecordedRequest, conversationId: string): DoubleResponse {
		const unknown = this.unknownParameter(request, MESSAGES_PARAMETERS);
		if (unknown) return unknown;
		const all = this.messages.get(conversationId);
		if (!all) return refusal(404, 'Conversation not found');
		const limit = this.limitOf(request, 20, MAX_MESSAGES_LIMIT);
		if (typeof limit !== 'number') return limit;
		const lastMessageId = request.query.get('lastMessageId');
		if (this.endlessLists) return this.endlessMessagePage(lastMessageId, limit, conversationId);
		let start = 0;
		if (lastMessageId !== null) {
			const index = all.findIndex((message) => message.id === lastMessageId);
			if (index === -1) return refusal(400, 'lastMessageId is not a message of this conversation');
			start = index + 1;
		}
		const page = all.slice(start, start + limit);
		const list = {
			lastMessageId: page[page.length - 1]?.id ?? null,
			nextPage: start + limit < all.length,
			messages: page.map((message) => this.renderMessage(message)),
		};
		return json(200, this.wrapMessages ? { messages: list } : list);
	}

	/** The first page (no cursor) starts a never-ending list afresh; every other must continue the last one served. */
	private continuesEndless(cursor: string | null): boolean {
		return cursor === null || cursor === this.endlessCursor;
	}

	private endlessSearchPage(startAfter: string | null, limit: number, locationId: string): DoubleResponse {
		if (!this.continuesEndless(startAfter)) return refusal(422, 'startAfterDate does not continue the last page');
		const newest = startAfter === null ? Date.UTC(2026, 0, 1) : Number(startAfter);
		const conversations = Array.from({ length: limit }, (_, index) => {
			const dateUpdated = newest - (index + 1) * 1000;
			return { id: `conv_endless_${dateUpdated}`, contactId: 'contact_endless', locationId, fullName: 'Endless', dateUpdated, sort: [dateUpdated] };
		});
		this.endlessCursor = String(conversations[conversations.length - 1].dateUpdated);
		return json(200, { conversations, total: 1_000_000_000 });
	}

	private endlessMessagePage(lastMessageId: string | null, limit: number, conversationId: string): DoubleResponse {
		if (!this.continuesEndless(lastMessageId)) return refusal(400, 'lastMessageId is not a message of this conversation');
		const messages = Array.from({ length: limit }, () => ({
			id: `msg_endless_${this.nextId++}`,
			conversationId,
			type: 2,
			messageType: 'TYPE_SMS',
			direction: 'inbound',
			body: 'again',
			attachments: [],
		}));
		this.endlessCursor = messages[messages.length - 1].id;
		const list = { lastMessageId: this.endlessCursor, nextPage: true, messages };
		return json(200, this.wrapMessages ? { messages: list } : list);
	}

	private send(request: RecordedRequest): DoubleResponse {
		if (!/^application\/json/.test(String(request.headers['content-type'] ?? ''))) {
			return refusal(400, 'Content-Type must be application/json');
		}
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
		} catch {
			return refusal(400, 'Body is not valid JSON');
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body)) return refusal(400, 'Body must be an object');
		const problems: string[] = [];
		for (const name of Object.keys(body)) if (!SEND_FIELDS.includes(name)) problems.push(`property ${name} should not exist`);
		if (typeof body.type !== 'string' || !LEADWAY_MESSAGE_TYPES.includes(body.type)) {
			problems.push(`type must be one of the following values: ${LEADWAY_MESSAGE_TYPES.join(', ')}`);
		}
		if (typeof body.contactId !== 'string' || body.contactId === '') problems.push('contactId should not be empty');
		for (const name of ['message', 'subject', 'html', 'emailFrom', 'emailTo', 'replyMessageId', 'threadId', 'fromNumber', 'toNumber']) {
			if (body[name] !== undefined && typeof body[name] !== 'string') problems.push(`${name} must be a string`);
		}
		for (const name of ['attachments', 'emailCc', 'emailBcc']) {
			const value = body[name];
			if (value !== undefined && (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))) {
				problems.push(`${name} must be an array of strings`);
			}
		}
		if (Array.isArray(body.attachments) && body.attachments.some((url) => !/^https?:\/\/\S+$/.test(String(url)))) {
			problems.push('each value in attachments must be a URL address');
		}
		if (body.scheduledTimestamp !== undefined && !Number.isInteger(body.scheduledTimestamp)) {
			problems.push('scheduledTimestamp must be an integer number');
		}
		if (problems.length > 0) return json(422, { statusCode: 422, message: problems, error: 'Unprocessable Entity' });
		const contact = this.contacts.find((known) => known.id === body.contactId);
		if (!contact) return refusal(400, 'Contact not found');
		const conversation =
			this.conversations.find((known) => known.contactId === contact.id) ?? this.addConversation(contact.id);
		const message = this.addMessage(conversation.id, {
			direction: 'outbound',
			messageType: `TYPE_${String(body.type).toUpperCase()}`,
			body: typeof body.message === 'string' ? body.message : '',
			attachments: ((body.attachments as string[] | undefined) ?? []).map((url) => ({ url })),
			status: body.scheduledTimestamp === undefined ? 'sent' : 'scheduled',
		});
		this.sentMessages.push({ body, conversationId: conversation.id, messageId: message.id });
		return json(201, {
			conversationId: conversation.id,
			messageId: message.id,
			...(body.type === 'Email' ? { emailMessageId: `email_${message.id}` } : {}),
			msg: 'Message queued successfully.',
		});
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
