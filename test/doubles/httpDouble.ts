/** A real HTTP server on 127.0.0.1 that records every request, as the base of each API double. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: Buffer;
	/** When the request (or the part of it that arrived) was read, from Date.now(). */
	receivedAt: number;
	/** The fault the double answered this request with, if any. */
	fault?: Fault['kind'];
	/** The client broke the request off before its body was complete: it is recorded, never handled. */
	aborted?: boolean;
}

export interface DoubleResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest) => Promise<DoubleResponse> | DoubleResponse;

export function sha256(data: Buffer | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): DoubleResponse {
	return { status, body, headers };
}

/**
 * A misbehaving server, switched on per double with `failNext` (the next requests, in
 * order) or `failAlways`. Faults apply to whatever request comes next, before the API's
 * own routing, so every double gets the same ones.
 */
export type Fault =
	/** Read part of the body (at least `afterBytes`, or all of a smaller one), then destroy the socket. */
	| { kind: 'reset'; afterBytes: number }
	/** Read the request and never answer, until the client gives up. */
	| { kind: 'hang' }
	/** Answer with this instead of the API. */
	| { kind: 'answer'; name: string; response: DoubleResponse };

const HTML_BAD_GATEWAY = Buffer.from(
	'<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n',
);

export const faults = {
	resetMidUpload: (afterBytes = 64 * 1024): Fault => ({ kind: 'reset', afterBytes }),
	rateLimited: (retryAfter?: string): Fault => ({
		kind: 'answer',
		name: 'rateLimited',
		response: json(429, { message: 'Too many requests' }, retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
	}),
	serverError: (): Fault => ({ kind: 'answer', name: 'serverError', response: json(500, { message: 'Internal server error' }) }),
	unavailable: (retryAfter?: string): Fault => ({
		kind: 'answer',
		name: 'unavailable',
		response: json(503, { message: 'Service unavailable' }, retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
	}),
	hang: (): Fault => ({ kind: 'hang' }),
	malformedJson: (): Fault => ({
		kind: 'answer',
		name: 'malformedJson',
		response: { status: 200, body: Buffer.from('{"id": "att_1", "filename": '), headers: { 'content-type': 'application/json' } },
	}),
	emptyBody: (): Fault => ({ kind: 'answer', name: 'emptyBody', response: { status: 200, body: Buffer.alloc(0) } }),
	htmlBadGateway: (): Fault => ({
		kind: 'answer',
		name: 'htmlBadGateway',
		response: { status: 502, body: HTML_BAD_GATEWAY, headers: { 'content-type': 'text/html' } },
	}),
};

/** Starts `server` on 127.0.0.1 (port 0: a free one). */
export async function listenLocally(server: Server, port: number): Promise<Server> {
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return server;
}

/** Closes `server`, and every connection still open on it. */
export async function closeServer(server: Server | undefined): Promise<void> {
	if (!server) return;
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
}

export class HttpDouble {
	readonly requests: RecordedRequest[] = [];

	private server?: Server;

	private readonly queuedFaults: Array<Fault | null> = [];

	/** Requests arrived and not yet answered, right now and at most so far (see `resetInFlight`). */
	inFlight = 0;

	maxInFlight = 0;

	/**
	 * Called as each request has been read: milliseconds to wait before answering it, like a slow
	 * API, or a promise to answer it after.
	 */
	latency?: (request: RecordedRequest) => number | Promise<unknown>;

	private standingFault?: Fault;

	/** Requests held back by `holdUntil`, and when they go anyway. */
	private holding?: { count: number; waiting: Array<() => void>; deadline: NodeJS.Timeout };

	constructor(private readonly handle: Handler) {}

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	async start(port = 0): Promise<this> {
		this.server = await listenLocally(createServer((req, res) => void this.onRequest(req, res)), port);
		return this;
	}

	async stop(): Promise<void> {
		this.letHeldGo();
		await closeServer(this.server);
	}

	/**
	 * Holds the next `count` requests unanswered until all of them have arrived, so that `count`
	 * are in flight at once however slow the machine is; then they are answered as usual. After
	 * `deadlineMs` they go all the same: the test's own count then fails, instead of the test hanging.
	 */
	holdUntil(count: number, deadlineMs = 20_000): this {
		this.letHeldGo();
		this.holding = { count, waiting: [], deadline: setTimeout(() => this.letHeldGo(), deadlineMs) };
		return this;
	}

	private async heldBack(): Promise<void> {
		const holding = this.holding;
		if (!holding) return;
		const released = new Promise<void>((resolve) => holding.waiting.push(resolve));
		if (holding.waiting.length >= holding.count) this.letHeldGo();
		await released;
	}

	private letHeldGo(): void {
		const holding = this.holding;
		if (!holding) return;
		this.holding = undefined;
		clearTimeout(holding.deadline);
		for (const release of holding.waiting) release();
	}

	/**
	 * Answers the next requests with these faults, one each, in order (`null`: the API answers
	 * that one as usual); then the API answers again.
	 */
	failNext(...faultsInOrder: Array<Fault | null>): this {
		this.queuedFaults.push(...faultsInOrder);
		return this;
	}

	/** Answers every request with this fault (after any queued ones) until `clearFaults`. */
	failAlways(fault: Fault): this {
		this.standingFault = fault;
		return this;
	}

	clearFaults(): void {
		this.queuedFaults.length = 0;
		this.standingFault = undefined;
	}

	/**
	 * Back to the state a test expects to start from: nothing recorded, no faults, no latency,
	 * nothing held. Each API double adds its own store and switches.
	 */
	reset(): void {
		this.requests.length = 0;
		this.clearFaults();
		this.resetInFlight();
		this.latency = undefined;
	}

	resetInFlight(): void {
		this.letHeldGo();
		this.inFlight = 0;
		this.maxInFlight = 0;
	}

	/** Requests whose path matches, e.g. `requestsTo('POST', /\/files$/)`. */
	requestsTo(method: string, path: RegExp): RecordedRequest[] {
		return this.requests.filter((request) => request.method === method && path.test(request.path));
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const queued = this.queuedFaults.shift();
		const fault = queued === undefined ? this.standingFault : (queued ?? undefined);
		// Counted from arrival until the answer is sent or the connection goes.
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		let counted = true;
		const done = () => {
			if (counted) this.inFlight--;
			counted = false;
		};
		res.once('finish', done);
		res.once('close', done);
		// Kept now: leaving the body loop early detaches the socket from the request.
		const socket = req.socket;
		const chunks: Buffer[] = [];
		let received = 0;
		let aborted = false;
		try {
			for await (const chunk of req) {
				chunks.push(chunk as Buffer);
				received += (chunk as Buffer).length;
				if (fault?.kind === 'reset' && received >= fault.afterBytes) break;
			}
		} catch {
			aborted = true;
		}
		aborted ||= fault?.kind !== 'reset' && !req.complete;
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body: Buffer.concat(chunks),
			receivedAt: Date.now(),
			...(fault ? { fault: fault.kind } : {}),
			...(aborted ? { aborted } : {}),
		};
		this.requests.push(request);
		// A real server drops an incomplete request: nothing is stored, and nobody is left to answer.
		if (aborted) return;
		if (fault?.kind === 'reset') {
			// Mid-upload when the body is larger than afterBytes: the rest never arrives.
			socket.destroy();
			return;
		}
		// The client times out and closes the socket; stop() closes any left open.
		if (fault?.kind === 'hang') return;
		const delay = this.latency?.(request) ?? 0;
		await this.heldBack();
		if (typeof delay !== 'number') await delay;
		else if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		let response: DoubleResponse;
		try {
			response = fault?.kind === 'answer' ? fault.response : await this.handle(request);
		} catch (error) {
			response = json(500, { message: `double failed: ${(error as Error).message}` });
		}
		const isBuffer = Buffer.isBuffer(response.body);
		const payload = isBuffer
			? (response.body as Buffer)
			: response.body === undefined
				? Buffer.alloc(0)
				: Buffer.from(JSON.stringify(response.body));
		res.writeHead(response.status, {
			...(response.body !== undefined && !isBuffer ? { 'content-type': 'application/json' } : {}),
			...response.headers,
			'content-length': String(payload.length),
		});
		res.end(payload);
	}
}

/**
 * Whether a request body came framed as HTTP/1.1 allows: with a Content-Length equal to the
 * bytes received, or chunked (a streamed body of unknown size) without one.
 */
export function hasExactLength(request: RecordedRequest): boolean {
	const length = request.headers['content-length'];
	if (length === undefined) return /\bchunked\b/i.test(String(request.headers['transfer-encoding'] ?? ''));
	return length === String(request.body.length);
}

/** `Bearer <token>` check shared by the doubles; returns the token or undefined. */
export function bearerToken(request: RecordedRequest): string | undefined {
	const header = request.headers.authorization;
	const match = /^Bearer (.+)$/.exec(header ?? '');
	return match?.[1];
}

/** Strict base64 check: the string must round-trip exactly. */
export function decodeStrictBase64(value: unknown): Buffer | undefined {
	if (typeof value !== 'string' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
		return undefined;
	}
	const bytes = Buffer.from(value, 'base64');
	return bytes.toString('base64') === value ? bytes : undefined;
}
