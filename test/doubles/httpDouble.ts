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

export class HttpDouble {
	readonly requests: RecordedRequest[] = [];

	private server?: Server;

	constructor(private readonly handle: Handler) {}

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((req, res) => void this.onRequest(req, res));
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** Requests whose path matches, e.g. `requestsTo('POST', /\/files$/)`. */
	requestsTo(method: string, path: RegExp): RecordedRequest[] {
		return this.requests.filter((request) => request.method === method && path.test(request.path));
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			body: Buffer.concat(chunks),
		};
		this.requests.push(request);
		let response: DoubleResponse;
		try {
			response = await this.handle(request);
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
