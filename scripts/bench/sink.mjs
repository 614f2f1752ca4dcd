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
// Bodies: multipart/form-data through busboy (./multipartBody.mjs), Invent's JSON with the
// base64 decoded as it arrives (./jsonBody.mjs).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { JsonBase64Hasher } from './jsonBody.mjs';
import { multipartBoundary, multipartReader } from './multipartBody.mjs';

const ROUTES = [
	{ api: 'invent', method: 'POST', pattern: /^\/orgs\/[^/]+\/contacts\/[^/]+\/files$/, body: 'json' },
	{ api: 'citypay', method: 'POST', pattern: /^\/v1\/attachments$/, body: 'multipart' },
	{ api: 'haptik', method: 'POST', pattern: /^\/v1\.0\/log_file_from_user\/$/, body: 'multipart' },
	{ api: 'leadway', method: 'POST', pattern: /^\/conversations\/messages\/upload$/, body: 'multipart' },
];

function answerFor(api, n, parsed) {
	const file = parsed.files[0] ?? {};
	const now = new Date();
	const fileName = encodeURIComponent(file.filename ?? 'file');
	switch (api) {
		case 'invent':
			return {
				id: `file_${n}`,
				file_path: `contacts/bench/${file.filename}`,
				file_filename: file.filename,
				file_size: file.size,
				file_mimetype: file.contentType,
				file_url: `https://files.invent.example/${n}/${fileName}`,
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
				file_url: `https://files.haptik.example/${n}/${fileName}`,
			};
		case 'leadway':
			return {
				uploadedFiles: Object.fromEntries(parsed.files.map((f) => [f.filename, `https://files.leadway.example/${n}/${encodeURIComponent(f.filename)}`])),
			};
		default:
			return {};
	}
}

function freshState(latencyMs = 0) {
	return { latencyMs, requests: [], inFlight: 0, maxInFlight: 0, count: 0, rateLimit: undefined, window: undefined, throttled: 0, failRate: 0, faults: {}, download: undefined, downloads: [] };
}

function sendJson(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

/** /_bench/config, /_bench/reset and /_bench/requests. */
function controlRoute(state, req, res, pathname) {
	let text = '';
	req.setEncoding('utf8');
	req.on('data', (c) => (text += c));
	req.on('end', () => {
		if (pathname === '/_bench/config' && req.method === 'POST') {
			const body = JSON.parse(text || '{}');
			if (body.latencyMs !== undefined) state.latencyMs = Number(body.latencyMs);
			if (body.rateLimit !== undefined) state.rateLimit = body.rateLimit ?? undefined;
			if (body.failRate !== undefined) state.failRate = Number(body.failRate);
			if (body.download !== undefined) state.download = body.download;
			return sendJson(res, 200, { latencyMs: state.latencyMs, rateLimit: state.rateLimit, failRate: state.failRate });
		}
		if (pathname === '/_bench/reset' && req.method === 'POST') {
			// The counter of uploads runs on across resets, as do the answers' ids.
			Object.assign(state, { ...freshState(state.latencyMs), count: state.count, inFlight: state.inFlight });
			return sendJson(res, 200, { ok: true });
		}
		if (pathname === '/_bench/requests') {
			const { requests, maxInFlight, throttled, faults, downloads } = state;
			return sendJson(res, 200, { requests, maxInFlight, throttled, faults, downloads });
		}
		sendJson(res, 404, { message: 'unknown control route' });
	});
}

/** CityPay's attachment JSON and the file it points at; false when the request is not one of them. */
function downloadRoute(state, req, res, pathname) {
	const download = state.download;
	if (!download || req.method !== 'GET') return false;
	if (pathname === `/v1/attachments/${download.id}`) {
		req.resume();
		const { size } = fs.statSync(download.path);
		sendJson(res, 200, { id: download.id, filename: download.fileName, file_url: `http://${req.headers.host}/files/download.bin`, file_type: download.mimeType, file_size: size });
		return true;
	}
	if (pathname !== '/files/download.bin') return false;
	req.resume();
	const { size } = fs.statSync(download.path);
	const record = { path: pathname, size, sent: 0, complete: false };
	state.downloads.push(record);
	res.writeHead(200, { 'content-type': download.mimeType, 'content-length': String(size) });
	const file = fs.createReadStream(download.path, { highWaterMark: 1024 * 1024 });
	file.on('data', (chunk) => (record.sent += chunk.length));
	res.once('finish', () => (record.complete = record.sent === size));
	// A client that closes the connection once it has every byte can beat 'finish' to it.
	res.once('close', () => (record.complete ||= record.sent === size && res.writableLength === 0));
	file.pipe(res);
	return true;
}

/** Whether an upload arriving now is over the rate limit: then the seconds until the window ends. */
function overLimit(state) {
	if (!state.rateLimit) return undefined;
	const now = Date.now();
	if (!state.window || now >= state.window.endsAt) state.window = { endsAt: now + state.rateLimit.windowMs, used: 0 };
	if (state.window.used < state.rateLimit.requests) {
		state.window.used++;
		return undefined;
	}
	return Math.max(1, Math.ceil((state.window.endsAt - now) / 1000));
}

/** Answers an upload the rate limit or a random fault turns away; false when it goes through. */
function refuseUpload(state, req, res) {
	const retryAfter = overLimit(state);
	if (retryAfter !== undefined) {
		state.throttled++;
		req.resume();
		req.once('end', () => {
			res.setHeader('retry-after', String(retryAfter));
			sendJson(res, 429, { message: 'Too many requests' });
		});
		return true;
	}
	if (!(state.failRate > 0 && Math.random() < state.failRate)) return false;
	const kind = ['500', '429', 'drop'][Math.floor(Math.random() * 3)];
	state.faults[kind] = (state.faults[kind] ?? 0) + 1;
	if (kind === 'drop') {
		req.socket.destroy();
		return true;
	}
	req.resume();
	req.once('end', () => sendJson(res, Number(kind), { message: kind === '429' ? 'Too many requests' : 'Internal server error' }));
	return true;
}

/** The reader for a route's body: { write(chunk), end() → parsed }; a failing one for a wrong Content-Type. */
function bodyReader(route, contentType) {
	if (route.body === 'json' ? contentType.startsWith('application/json') : multipartBoundary(contentType) !== undefined) {
		return route.body === 'json' ? new JsonBase64Hasher() : multipartReader(contentType);
	}
	return { write() {}, end: async () => ({ error: `unexpected content type "${contentType}"`, files: [], fields: {} }) };
}

/** Reads an upload's body to its end: resolves { received, parsed } (never for a request that breaks off). */
function readUpload(req, route, contentType) {
	const reader = bodyReader(route, contentType);
	let received = 0;
	return new Promise((resolve) => {
		req.on('data', (chunk) => {
			received += chunk.length;
			reader.write(chunk);
		});
		req.on('error', () => {});
		req.once('end', async () => resolve({ received, parsed: await reader.end() }));
	});
}

/** What the sink keeps of one upload (GET /_bench/requests). */
function uploadRecord({ n, route, req, pathname, contentType, received, started }, parsed) {
	const contentLength = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
	const lengthError = contentLength !== undefined && contentLength !== received ? `Content-Length ${contentLength} but ${received} bytes received` : undefined;
	return {
		n,
		at: Date.now(),
		api: route.api,
		path: pathname,
		contentType: contentType.split(';')[0],
		contentLength,
		chunked: req.headers['transfer-encoding'] === 'chunked',
		received,
		bearer: /^Bearer \S+/.test(req.headers.authorization ?? ''),
		clientId: req.headers['client-id'] !== undefined,
		version: req.headers.version,
		receiveMs: Number(process.hrtime.bigint() - started) / 1e6,
		error: parsed.error ?? lengthError,
		fields: parsed.fields ?? {},
		json: parsed.json,
		files: parsed.files,
	};
}

async function upload(state, req, res, route, pathname) {
	state.inFlight++;
	state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
	res.once('close', () => state.inFlight--);
	const n = ++state.count;
	const started = process.hrtime.bigint();
	const contentType = req.headers['content-type'] ?? '';
	const { received, parsed } = await readUpload(req, route, contentType);
	const record = uploadRecord({ n, route, req, pathname, contentType, received, started }, parsed);
	state.requests.push(record);
	if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs));
	if (record.error) return sendJson(res, 400, { message: record.error });
	sendJson(res, route.api === 'leadway' ? 201 : 200, answerFor(route.api, n, { ...parsed, fields: parsed.fields ?? {} }));
}

/** Starts the sink; resolves { port, close() }. */
export function startSink({ port = 0, latencyMs = 0 } = {}) {
	const state = freshState(latencyMs);
	const server = http.createServer((req, res) => {
		const { pathname } = new URL(req.url, 'http://sink');
		if (pathname.startsWith('/_bench/')) return controlRoute(state, req, res, pathname);
		if (downloadRoute(state, req, res, pathname)) return;
		const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(pathname));
		if (!route) {
			req.resume();
			return sendJson(res, 404, { message: `no route ${req.method} ${pathname}` });
		}
		if (!refuseUpload(state, req, res)) upload(state, req, res, route, pathname);
	});
	// A 256 MB upload on a busy machine can take a while; never cut it off.
	server.requestTimeout = 0;
	server.keepAliveTimeout = 5_000;

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				port: server.address().port,
				close: () =>
					new Promise((r) => {
						server.closeAllConnections?.();
						server.close(() => r());
					}),
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
