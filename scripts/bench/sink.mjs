#!/usr/bin/env node
// A hashing sink for the benchmark: a small HTTP server on 127.0.0.1 that accepts the upload
// routes of the four APIs, hashes each uploaded file as it streams in (never holding a body),
// and answers with JSON shaped like the vendor's answer after an optional latency.
//
//   node scripts/bench/sink.mjs [--port 0] [--latency-ms 0]   # prints {"port":N} on stdout
//
// Control routes (for the benchmark): POST /_bench/config {latencyMs, rateLimit, failRate},
// POST /_bench/reset, GET /_bench/requests → { requests: [...], maxInFlight, throttled, faults }.
//
// rateLimit { requests, windowMs }: at most `requests` uploads per fixed window (the first one
// starts when the first upload arrives); beyond it a 429 with Retry-After (whole seconds until
// the window ends), the body read and dropped, nothing recorded as an upload.
// download { id, path, fileName, mimeType }: GET /v1/attachments/<id> answers CityPay's attachment JSON
// with a file_url on this sink, and GET /files/download.bin streams the file at `path` from disk.
// failRate (0..1): that share of uploads, at random, is answered 500 or 429 or has its
// connection dropped, before its body is read: none of them is recorded as an upload.
//
// Built-ins only: the multipart and the JSON-with-base64 parsers below are streaming and strict
// enough for a benchmark (closing boundary seen, base64 length consistent with the bytes decoded).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';

const SMALL_VALUE_LIMIT = 64 * 1024; // text fields and JSON outside the file data
const CRLF2 = Buffer.from('\r\n\r\n');

/** Streaming multipart/form-data parser: file parts are hashed, text fields kept (small). */
export class MultipartHasher {
	constructor(boundary) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
		// The body starts with "--boundary" (no CRLF before it): prepend one so every delimiter looks alike.
		this.buffer = Buffer.from('\r\n');
		this.state = 'preamble';
		this.part = undefined;
		this.parts = [];
		this.error = undefined;
	}

	write(chunk) {
		if (this.error || this.state === 'epilogue') return;
		this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
		for (;;) {
			if (this.state === 'preamble' || this.state === 'body') {
				const at = this.buffer.indexOf(this.delimiter);
				if (at === -1) {
					// Keep what could be the start of a delimiter split across chunks.
					const keep = this.delimiter.length - 1;
					if (this.buffer.length > keep) {
						this.emit(this.buffer.subarray(0, this.buffer.length - keep));
						this.buffer = this.buffer.subarray(this.buffer.length - keep);
					}
					return;
				}
				this.emit(this.buffer.subarray(0, at));
				this.finishPart();
				this.buffer = this.buffer.subarray(at + this.delimiter.length);
				this.state = 'afterDelimiter';
			}
			if (this.state === 'afterDelimiter') {
				if (this.buffer.length < 2) return;
				const two = this.buffer.subarray(0, 2).toString('latin1');
				if (two === '--') {
					this.state = 'epilogue';
					return;
				}
				if (two !== '\r\n') return this.fail('no CRLF after a boundary');
				this.buffer = this.buffer.subarray(2);
				this.state = 'headers';
			}
			if (this.state === 'headers') {
				const end = this.buffer.indexOf(CRLF2);
				if (end === -1) {
					if (this.buffer.length > SMALL_VALUE_LIMIT) return this.fail('part headers too long');
					return;
				}
				this.startPart(this.buffer.subarray(0, end).toString('utf8'));
				if (this.error) return;
				this.buffer = this.buffer.subarray(end + 4);
				this.state = 'body';
			}
		}
	}

	startPart(headerText) {
		const headers = {};
		for (const line of headerText.split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
		const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
		if (!disposition.startsWith('form-data') || name === undefined) return this.fail('part without form-data name');
		this.part =
			filename === undefined
				? { name, value: '' }
				: { name, filename, contentType: headers['content-type'], size: 0, hash: createHash('sha256') };
	}

	emit(bytes) {
		if (!this.part || bytes.length === 0) return;
		if (this.part.hash) {
			this.part.hash.update(bytes);
			this.part.size += bytes.length;
		} else if (this.part.value.length < SMALL_VALUE_LIMIT) {
			this.part.value += bytes.toString('utf8');
		}
	}

	finishPart() {
		if (!this.part) return;
		const { hash, ...rest } = this.part;
		this.parts.push(hash ? { ...rest, sha256: hash.digest('hex') } : rest);
		this.part = undefined;
	}

	fail(message) {
		this.error = message;
	}

	end() {
		if (!this.error && this.state !== 'epilogue') this.error = 'body ended before the closing boundary';
		return {
			error: this.error,
			fields: Object.fromEntries(this.parts.filter((p) => !('sha256' in p)).map((p) => [p.name, p.value])),
			files: this.parts.filter((p) => 'sha256' in p),
		};
	}
}

/**
 * Streaming parser for a JSON body carrying one file as `"data":"<base64>"` (Invent's
 * `{ file: { data, name, type } }`): the base64 is decoded and hashed as it arrives; the rest
 * of the JSON is kept and parsed at the end with the data string emptied.
 */
export class JsonBase64Hasher {
	constructor() {
		this.state = 'head';
		this.head = '';
		this.tail = '';
		this.carry = '';
		this.base64Chars = 0;
		this.lastChars = '';
		this.size = 0;
		this.hash = createHash('sha256');
		this.error = undefined;
	}

	write(chunk) {
		if (this.error) return;
		let text = chunk.toString('latin1');
		if (this.state === 'head') {
			this.head += text;
			const match = /"data"\s*:\s*"/.exec(this.head);
			if (!match) {
				if (this.head.length > SMALL_VALUE_LIMIT) this.error = 'no "data" string in the first 64 KB';
				return;
			}
			text = this.head.slice(match.index + match[0].length);
			this.head = this.head.slice(0, match.index + match[0].length);
			this.state = 'data';
		}
		if (this.state === 'data') {
			const quote = text.indexOf('"');
			this.decode(quote === -1 ? text : text.slice(0, quote));
			if (quote === -1) return;
			text = text.slice(quote);
			this.state = 'tail';
		}
		if (this.tail.length < SMALL_VALUE_LIMIT) this.tail += text;
	}

	decode(text) {
		this.base64Chars += text.length;
		// Padding sits at the very end of the data: remember the last two characters seen.
		this.lastChars = (this.lastChars + text).slice(-2);
		const all = this.carry + text;
		const whole = all.length - (all.length % 4);
		if (whole > 0) {
			const bytes = Buffer.from(all.slice(0, whole), 'base64');
			this.hash.update(bytes);
			this.size += bytes.length;
		}
		this.carry = all.slice(whole);
	}

	end() {
		if (!this.error && this.state !== 'tail') this.error = 'body ended inside the JSON or before the data string';
		if (!this.error && this.carry.length > 0) this.error = 'base64 length is not a multiple of 4';
		let json;
		if (!this.error) {
			try {
				// Kept as latin1 (one character per byte); the JSON itself is UTF-8.
				json = JSON.parse(Buffer.from(this.head + this.tail, 'latin1').toString('utf8'));
			} catch (err) {
				this.error = `not valid JSON around the data string: ${err.message}`;
			}
		}
		// Node's decoder skips characters outside the alphabet: the decoded size gives them away.
		const padding = (this.lastChars.match(/=/g) ?? []).length;
		const expectedSize = (this.base64Chars / 4) * 3 - padding;
		if (!this.error && expectedSize !== this.size) this.error = `base64 holds characters outside the alphabet (${this.size} bytes decoded, ${expectedSize} expected)`;
		const file = json?.file ?? {};
		return {
			error: this.error,
			json: json === undefined ? undefined : { ...json, file: { ...file, data: '<streamed>' } },
			files: this.error ? [] : [{ name: 'file.data', filename: file.name, contentType: file.type, size: this.size, sha256: this.hash.digest('hex') }],
		};
	}
}

// ---------------------------------------------------------------- server

const ROUTES = [
	{ api: 'invent', method: 'POST', pattern: /^\/orgs\/[^/]+\/contacts\/[^/]+\/files$/, body: 'json' },
	{ api: 'citypay', method: 'POST', pattern: /^\/v1\/attachments$/, body: 'multipart' },
	{ api: 'haptik', method: 'POST', pattern: /^\/v1\.0\/log_file_from_user\/$/, body: 'multipart' },
	{ api: 'leadway', method: 'POST', pattern: /^\/conversations\/messages\/upload$/, body: 'multipart' },
];

function answerFor(api, n, parsed) {
	const file = parsed.files[0] ?? {};
	const now = new Date();
	switch (api) {
		case 'invent':
			return {
				id: `file_${n}`,
				file_path: `contacts/bench/${file.filename}`,
				file_filename: file.filename,
				file_size: file.size,
				file_mimetype: file.contentType,
				file_url: `https://files.invent.example/${n}/${encodeURIComponent(file.filename ?? 'file')}`,
				created_at: now.toISOString(),
				source: 'direct',
			};
		case 'citypay':
			return {
				id: `att_${n}`,
				message_id: null,
				filename: file.filename,
				file_url: `https://files.citypay.example/att_${n}`,
				file_type: file.contentType,
				file_size: file.size,
				created_at: Math.floor(now.getTime() / 1000),
			};
		case 'haptik':
			return {
				message_id: 1000 + n,
				message_body: parsed.fields.message_body ?? '',
				created_at: now.toISOString(),
				message_type: Number(parsed.fields.message_type),
				file_url: `https://files.haptik.example/${n}/${encodeURIComponent(file.filename ?? 'file')}`,
			};
		case 'leadway':
			return {
				uploadedFiles: Object.fromEntries(
					parsed.files.map((f) => [f.filename, `https://files.leadway.example/${n}/${encodeURIComponent(f.filename)}`]),
				),
			};
		default:
			return {};
	}
}

/** Starts the sink; resolves { port, close() }. */
export function startSink({ port = 0, latencyMs = 0 } = {}) {
	const state = { latencyMs, requests: [], inFlight: 0, maxInFlight: 0, count: 0, rateLimit: undefined, window: undefined, throttled: 0, failRate: 0, faults: {}, download: undefined, downloads: [] };

	/** Whether an upload arriving now is over the rate limit: then the seconds until the window ends. */
	const overLimit = () => {
		if (!state.rateLimit) return undefined;
		const now = Date.now();
		if (!state.window || now >= state.window.endsAt) state.window = { endsAt: now + state.rateLimit.windowMs, used: 0 };
		if (state.window.used < state.rateLimit.requests) {
			state.window.used++;
			return undefined;
		}
		return Math.max(1, Math.ceil((state.window.endsAt - now) / 1000));
	};

	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://sink');
		const send = (status, body) => {
			const text = JSON.stringify(body);
			res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
			res.end(text);
		};

		if (url.pathname.startsWith('/_bench/')) {
			let text = '';
			req.setEncoding('utf8');
			req.on('data', (c) => (text += c));
			req.on('end', () => {
				if (url.pathname === '/_bench/config' && req.method === 'POST') {
					const body = JSON.parse(text || '{}');
					if (body.latencyMs !== undefined) state.latencyMs = Number(body.latencyMs);
					if (body.rateLimit !== undefined) state.rateLimit = body.rateLimit ?? undefined;
					if (body.failRate !== undefined) state.failRate = Number(body.failRate);
					if (body.download !== undefined) state.download = body.download;
					return send(200, { latencyMs: state.latencyMs, rateLimit: state.rateLimit, failRate: state.failRate });
				}
				if (url.pathname === '/_bench/reset' && req.method === 'POST') {
					state.requests = [];
					state.maxInFlight = 0;
					state.rateLimit = undefined;
					state.window = undefined;
					state.throttled = 0;
					state.failRate = 0;
					state.faults = {};
					state.download = undefined;
					state.downloads = [];
					return send(200, { ok: true });
				}
				if (url.pathname === '/_bench/requests') {
					return send(200, {
						requests: state.requests,
						maxInFlight: state.maxInFlight,
						throttled: state.throttled,
						faults: state.faults,
						downloads: state.downloads,
					});
				}
				send(404, { message: 'unknown control route' });
			});
			return;
		}

		const download = state.download;
		if (download && req.method === 'GET' && url.pathname === `/v1/attachments/${download.id}`) {
			req.resume();
			const { size } = fs.statSync(download.path);
			return send(200, {
				id: download.id,
				filename: download.fileName,
				file_url: `http://${req.headers.host}/files/download.bin`,
				file_type: download.mimeType,
				file_size: size,
			});
		}
		if (download && req.method === 'GET' && url.pathname === '/files/download.bin') {
			req.resume();
			const { size } = fs.statSync(download.path);
			const record = { path: url.pathname, size, sent: 0, complete: false };
			state.downloads.push(record);
			res.writeHead(200, { 'content-type': download.mimeType, 'content-length': String(size) });
			const file = fs.createReadStream(download.path, { highWaterMark: 1024 * 1024 });
			file.on('data', (chunk) => (record.sent += chunk.length));
			res.once('finish', () => (record.complete = record.sent === size));
			file.pipe(res);
			return;
		}

		const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
		if (!route) {
			req.resume();
			return send(404, { message: `no route ${req.method} ${url.pathname}` });
		}

		const retryAfter = overLimit();
		if (retryAfter !== undefined) {
			state.throttled++;
			req.resume();
			req.once('end', () => {
				res.setHeader('retry-after', String(retryAfter));
				send(429, { message: 'Too many requests' });
			});
			return;
		}
		if (state.failRate > 0 && Math.random() < state.failRate) {
			const kind = ['500', '429', 'drop'][Math.floor(Math.random() * 3)];
			state.faults[kind] = (state.faults[kind] ?? 0) + 1;
			if (kind === 'drop') return req.socket.destroy();
			req.resume();
			req.once('end', () => send(Number(kind), { message: kind === '429' ? 'Too many requests' : 'Internal server error' }));
			return;
		}

		state.inFlight++;
		state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
		res.once('close', () => state.inFlight--);
		const n = ++state.count;
		const started = process.hrtime.bigint();
		const contentType = req.headers['content-type'] ?? '';
		let parser;
		if (route.body === 'json') {
			parser = contentType.startsWith('application/json') ? new JsonBase64Hasher() : undefined;
		} else {
			const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
			parser = contentType.startsWith('multipart/form-data') && boundary ? new MultipartHasher(boundary[1] ?? boundary[2]) : undefined;
		}
		let received = 0;
		req.on('data', (chunk) => {
			received += chunk.length;
			parser?.write(chunk);
		});
		req.on('error', () => {});
		req.on('end', async () => {
			const parsed = parser ? parser.end() : { error: `unexpected content type "${contentType}"`, files: [], fields: {} };
			parsed.fields ??= {};
			const record = {
				n,
				at: Date.now(),
				api: route.api,
				path: url.pathname,
				contentType: contentType.split(';')[0],
				contentLength: req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']),
				chunked: req.headers['transfer-encoding'] === 'chunked',
				received,
				bearer: /^Bearer \S+/.test(req.headers.authorization ?? ''),
				clientId: req.headers['client-id'] !== undefined,
				version: req.headers.version,
				receiveMs: Number(process.hrtime.bigint() - started) / 1e6,
				error: parsed.error,
				fields: parsed.fields,
				json: parsed.json,
				files: parsed.files,
			};
			if (!record.error && record.contentLength !== undefined && record.contentLength !== received) {
				record.error = `Content-Length ${record.contentLength} but ${received} bytes received`;
			}
			state.requests.push(record);
			if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
			if (record.error) return send(400, { message: record.error });
			send(route.api === 'leadway' ? 201 : 200, answerFor(route.api, n, parsed));
		});
	});
	// A 256 MB upload on a busy machine can take a while; never cut it off.
	server.requestTimeout = 0;
	server.keepAliveTimeout = 5_000;

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				port: server.address().port,
				close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
			});
		});
	});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, 'latency-ms': { type: 'string', default: '0' } } });
	const sink = await startSink({ port: Number(values.port), latencyMs: Number(values['latency-ms']) });
	process.stdout.write(`${JSON.stringify({ port: sink.port })}\n`);
	const stop = () => sink.close().then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	// The benchmark closes our stdin when it is done (or dies): stop then too.
	process.stdin.resume();
	process.stdin.once('end', stop);
	process.stdin.once('close', stop);
}
