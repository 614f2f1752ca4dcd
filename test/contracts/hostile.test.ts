/**
 * APIs and file hosts on 127.0.0.1 that misbehave on purpose, driven through the engine:
 * answers and downloads that stall or trickle (Timeout bounds the whole request, answer
 * included), answers that break after the API stored the upload (never "could not reach"),
 * file hosts that stall under an upload by URL (the host is blamed, not the vendor),
 * downloads cut mid-body, and several File URLs where one fails (which one, without its query).
 */
import { createHook } from 'node:async_hooks';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request as sendRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { CityPayFileHost } from '../doubles/citypay';
import { CityPayDouble } from '../doubles/citypay';
import { FileServerDouble } from '../doubles/fileServer';
import { closeServer, listenLocally } from '../doubles/httpDouble';
import { LeadwayDouble } from '../doubles/leadway';
import { credentialsFor, expectNoUnhandledRejections, runAgainst, useApiDoubles } from '../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';
import { until } from '../harness/until';

const pdf = fixture('invoice.pdf');
const png = fixture('logo.png');

/** Short enough to keep the suite quick; every misbehaving host below outlasts it many times over. */
const TIMEOUT_MS = 1500;
/** A run that ends at all ends well before this; it only guards against "never". */
const ENDS_WITHIN_MS = 20_000;

interface SeenRequest {
	method: string;
	/** Path and query, as sent. */
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The client sent the whole body (it did not break the request off). */
	complete: boolean;
}

type Answer = (res: ServerResponse, request: SeenRequest) => void | Promise<void>;

/**
 * A server that reads each request (as far as the client sends it), records it, then lets
 * `answer` write whatever it likes. Timers it starts (trickles) end with their connection
 * or when it stops.
 */
class HostileServer {
	readonly requests: SeenRequest[] = [];

	answer: Answer = (res) => void res.writeHead(404).end();

	private server?: Server;

	private readonly timers = new Set<NodeJS.Timeout>();

	get url(): string {
		const { port } = this.server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	async start(): Promise<this> {
		this.server = await listenLocally(createServer((req, res) => void this.onRequest(req, res)), 0);
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearInterval(timer);
		await closeServer(this.server);
	}

	/** Writes `bytes` one byte every `intervalMs`, until all are sent or the client goes away. */
	trickle(res: ServerResponse, bytes: Buffer, intervalMs: number): void {
		let sent = 0;
		const timer = setInterval(() => {
			if (sent >= bytes.length) {
				stop();
				res.end();
				return;
			}
			res.write(bytes.subarray(sent, sent + 1));
			sent++;
		}, intervalMs);
		const stop = () => {
			clearInterval(timer);
			this.timers.delete(timer);
		};
		this.timers.add(timer);
		res.once('close', stop);
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		let complete = true;
		try {
			for await (const chunk of req) chunks.push(chunk as Buffer);
		} catch {
			complete = false;
		}
		complete &&= req.complete;
		const request: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks), complete };
		this.requests.push(request);
		if (!complete) return;
		await this.answer(res, request);
	}
}

interface Upstream {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

/** Sends a request the proxy read on to the double behind it, and reads its whole answer. */
async function forward(target: string, request: SeenRequest): Promise<Upstream> {
	const { host: _host, ...headers } = request.headers;
	return await new Promise<Upstream>((resolve, reject) => {
		const outgoing = sendRequest(`${target}${request.url}`, { method: request.method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		outgoing.on('error', reject);
		outgoing.end(request.body);
	});
}

/** Ways a gateway in front of the API spoils the API's answer (the API itself did its work). */
const spoil = {
	/** The head and the first `keep` bytes of the answer, then the connection closes. */
	cutAfter:
		(keep: number) =>
		(res: ServerResponse, upstream: Upstream): void => {
			res.writeHead(upstream.status, { 'content-type': 'application/json', 'content-length': String(upstream.body.length) });
			res.write(upstream.body.subarray(0, keep), () => res.socket?.destroy());
		},
	/** A head no HTTP client can read: a Content-Length that is not a number. */
	malformedHead: (res: ServerResponse, upstream: Upstream): void => {
		const socket = res.socket!;
		socket.write(`HTTP/1.1 ${upstream.status} Created\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n`);
		socket.end(upstream.body);
	},
};

const citypay = new CityPayDouble();
const leadway = new LeadwayDouble();
const files = new FileServerDouble();
const { pkg } = useApiDoubles([citypay, leadway, files]);
let hostile: HostileServer;

beforeEach(async () => {
	hostile = await new HostileServer().start();
	files.addFile('invoice.pdf', pdf, 'application/pdf');
	files.addFile('logo.png', png, 'image/png');
});

afterEach(async () => {
	await hostile.stop();
});
// After the hostile server has stopped: a rejection it leaves behind fails the test too.
expectNoUnhandledRejections();

/** Runs the node and the time it took (only ever checked against the generous ENDS_WITHIN_MS). */
async function timed(run: () => Promise<RunResult>): Promise<{ result: RunResult; ms: number }> {
	const started = Date.now();
	const result = await run();
	return { result, ms: Date.now() - started };
}

function cityPay(
	parameters: Record<string, unknown>,
	{ input = [{}], onError, baseUrl = citypay.url }: { input?: FixtureItem[]; onError?: OnErrorSetting; baseUrl?: string } = {},
): Promise<RunResult> {
	return runAgainst(citypay, { pkg, node: { type: 'cityPay', parameters: { resource: 'attachment', ...parameters }, onError }, input }, { baseUrl });
}

function leadwayNode(parameters: Record<string, unknown>, onError?: OnErrorSetting): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'leadway', parameters, onError },
		input: [{}],
		credentials: credentialsFor(leadway),
	});
}

const requestOptions = (extra: Record<string, unknown> = {}) => ({ maxRetries: 2, retryDelay: 1, timeout: TIMEOUT_MS, concurrency: 1, ...extra });

/** A CityPay attachment whose `file_url` is on the hostile host. */
function attachmentOnHostileHost(): string {
	citypay.fileHost = hostile as unknown as CityPayFileHost;
	return citypay.addAttachments(1)[0].id;
}

const downloadFromCityPay = (attachmentId: string, onError?: OnErrorSetting) =>
	cityPay({ operation: 'download', attachmentId, requestOptions: requestOptions() }, { onError });

/** A Leadway message whose one attachment is on the hostile host, read with Download Attachments. */
function downloadFromLeadway(onError?: OnErrorSetting): Promise<RunResult> {
	const conversation = leadway.addConversation('contact_chloe');
	leadway.addMessage(conversation.id, { body: 'file', attachments: [{ url: `${hostile.url}/media/report.pdf` }] });
	return leadwayNode(
		{
			resource: 'message',
			operation: 'getMany',
			conversationId: conversation.id,
			returnAll: true,
			options: { downloadAttachments: true },
			requestOptions: requestOptions(),
		},
		onError,
	);
}

/**
 * Runs `run` and returns the timers the package's own code (nodes/) started during it that
 * are still pending once it ended (after a generous wait for streams to close).
 */
async function packageTimersLeftBy(run: () => Promise<RunResult>): Promise<{ result: RunResult; left: string[] }> {
	const pending = new Map<number, string>();
	const ours = `${path.sep}nodes${path.sep}`;
	// Deep enough to see the package's frame under n8n's sleep helper.
	const stackTraceLimit = Error.stackTraceLimit;
	Error.stackTraceLimit = 40;
	const hook = createHook({
		init(id, type) {
			if (type !== 'Timeout') return;
			const stack = new Error().stack ?? '';
			const frame = stack.split('\n').find((line) => line.includes(ours) && !line.includes('node_modules'));
			if (frame) pending.set(id, frame.trim());
		},
		destroy(id) {
			pending.delete(id);
		},
	}).enable();
	try {
		const result = await run();
		// What is still pending at the deadline is returned, for the test to name.
		await until(() => pending.size === 0, 'no package timer pending').catch(() => undefined);
		return { result, left: [...pending.values()] };
	} finally {
		hook.disable();
		Error.stackTraceLimit = stackTraceLimit;
	}
}

// ---------------------------------------------------------------------------

describe('Timeout bounds the whole request, answer included', () => {
	const headersThenNothing: Answer = (res) => {
		res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '5000' });
		res.flushHeaders();
	};
	const trickled: Answer = (res) => {
		res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '100' });
		hostile.trickle(res, Buffer.alloc(100, 7), 400);
	};

	it.each([
		['headers, then nothing', headersThenNothing],
		['1 byte every 400 ms', trickled],
	])('CityPay Download from a file host that sends %s fails naming that host', async (_name, answer) => {
		hostile.answer = answer;
		const attachmentId = attachmentOnHostileHost();

		const { result, ms } = await timed(() => downloadFromCityPay(attachmentId));

		expect(ms).toBeLessThan(ENDS_WITHIN_MS);
		expect(result.error?.message).toMatch(
			new RegExp(`^The file server at ${hostile.url} did not finish sending the file within ${TIMEOUT_MS} ms \\(\\d+ bytes arrived\\) on item 0$`),
		);
		expect(result.error?.description).toMatch(/Nothing was stored in n8n/);
		expect(result.error?.description).toMatch(/raise Timeout \(Milliseconds\)/);
	});

	it('Leadway Message → Get Many with Download Attachments from a host that sends headers, then nothing', async () => {
		hostile.answer = headersThenNothing;

		const { result, ms } = await timed(() => downloadFromLeadway());

		expect(ms).toBeLessThan(ENDS_WITHIN_MS);
		expect(result.error?.message).toMatch(
			new RegExp(`^The file server at ${hostile.url} did not finish sending the file within ${TIMEOUT_MS} ms \\(0 bytes arrived\\) on item 0$`),
		);
	});

	it('Leadway Download Attachments from a host that trickles 1 byte every 400 ms', async () => {
		hostile.answer = trickled;

		const { result, ms } = await timed(() => downloadFromLeadway());

		expect(ms).toBeLessThan(ENDS_WITHIN_MS);
		expect(result.error?.message).toContain(`The file server at ${hostile.url} did not finish sending the file within ${TIMEOUT_MS} ms`);
	});

	it('a JSON Get trickled 1 byte every 500 ms fails as a timeout of CityPay, after Max Retries + 1 attempts', async () => {
		const [attachment] = citypay.addAttachments(1);
		hostile.answer = async (res, request) => {
			const upstream = await forward(citypay.url, request);
			res.writeHead(upstream.status, { 'content-type': 'application/json', 'content-length': String(upstream.body.length) });
			hostile.trickle(res, upstream.body, 500);
		};

		const { result, ms } = await timed(() =>
			cityPay({ operation: 'get', attachmentId: attachment.id, requestOptions: requestOptions({ maxRetries: 1 }) }, { baseUrl: hostile.url }),
		);

		expect(ms).toBeLessThan(ENDS_WITHIN_MS);
		expect(result.error?.message).toBe(`CityPay did not answer within ${TIMEOUT_MS} ms (ETIMEDOUT)`);
		expect(result.error?.description).toMatch(/raise Timeout \(Milliseconds\).*Tried 2 times\.$/);
		expect(hostile.requests).toHaveLength(2);
	});

	it('leaves no timer behind after requests and downloads that succeed, or time out', async () => {
		const [attachment] = citypay.addAttachments(1);

		const succeeded = await packageTimersLeftBy(() =>
			cityPay({ operation: 'download', attachmentId: attachment.id, requestOptions: requestOptions({ timeout: 120_000 }) }),
		);
		expect(succeeded.result.error).toBeUndefined();
		expect(succeeded.result.items[0].binary?.data).toBeDefined();
		expect(succeeded.left).toEqual([]);

		hostile.answer = headersThenNothing;
		const timedOut = await packageTimersLeftBy(() => downloadFromCityPay(attachmentOnHostileHost()));
		expect(timedOut.result.error?.message).toContain('did not finish sending the file');
		expect(timedOut.left).toEqual([]);
	});
});

// ---------------------------------------------------------------------------

describe('an answer that breaks after the request was sent is never "could not reach"', () => {
	const uploadThroughGateway = (spoilAnswer: (res: ServerResponse, upstream: Upstream) => void) => {
		hostile.answer = async (res, request) => spoilAnswer(res, await forward(citypay.url, request));
		return cityPay(
			{ operation: 'upload', requestOptions: requestOptions({ maxRetries: 3 }) },
			{ input: [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }], baseUrl: hostile.url },
		);
	};

	it.each([
		['201 Created, then the connection closes mid-answer', spoil.cutAfter(10)],
		['a malformed head (Content-Length: abc)', spoil.malformedHead],
	])('CityPay upload answered with %s: "may or may not have arrived", sent once', async (_name, spoilAnswer) => {
		const result = await uploadThroughGateway(spoilAnswer);

		expect(result.error?.message).not.toMatch(/Could not reach/);
		expect(result.error?.message).toMatch(/CityPay/);
		expect(result.error?.description).toMatch(/^The file may or may not have arrived in CityPay: .*not repeated/);
		expect(result.error?.description).not.toMatch(/Check the Base URL/);
		expect(hostile.requests).toHaveLength(1);
		expect(citypay.requestsTo('POST', /^\/attachments$/)).toHaveLength(1);
		// It did arrive: sending it again would have stored it twice.
		expect(citypay.attachments).toHaveLength(1);
	});

	const getThroughGateway = (spoilFirst: number, spoilAnswer: (res: ServerResponse, upstream: Upstream) => void) => {
		const [attachment] = citypay.addAttachments(1);
		hostile.answer = async (res, request) => {
			const upstream = await forward(citypay.url, request);
			if (hostile.requests.length <= spoilFirst) return spoilAnswer(res, upstream);
			res.writeHead(upstream.status, { 'content-type': 'application/json', 'content-length': String(upstream.body.length) });
			res.end(upstream.body);
		};
		return { attachment, run: () => cityPay({ operation: 'get', attachmentId: attachment.id, requestOptions: requestOptions() }, { baseUrl: hostile.url }) };
	};

	it.each([
		['cut mid-answer', spoil.cutAfter(10)],
		['with a malformed head', spoil.malformedHead],
	])('a Get whose answer comes %s is retried: Max Retries + 1 attempts, then an error that is not "could not reach"', async (_name, spoilAnswer) => {
		const { run } = getThroughGateway(Infinity, spoilAnswer);

		const result = await run();

		expect(result.error?.message).toMatch(/CityPay/);
		expect(result.error?.message).not.toMatch(/Could not reach/);
		expect(result.error?.description).toMatch(/Tried 3 times\.$/);
		expect(hostile.requests).toHaveLength(3);
	});

	it('a Get whose first two answers are cut succeeds on the third attempt', async () => {
		const { attachment, run } = getThroughGateway(2, spoil.cutAfter(10));

		const result = await run();

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(attachment.id);
		expect(hostile.requests).toHaveLength(3);
	});
});

// ---------------------------------------------------------------------------

describe('a file host that stalls under an upload by URL is blamed, not the vendor', () => {
	it.each([
		[
			'sends headers and 10 bytes, then nothing',
			(res: ServerResponse) => {
				res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '1000' });
				res.write(Buffer.alloc(10, 1));
			},
		],
		[
			'trickles 1 byte every 400 ms',
			(res: ServerResponse) => {
				res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '1000' });
				hostile.trickle(res, Buffer.alloc(1000, 1), 400);
			},
		],
	])('CityPay upload from a host that %s', async (_name, answer) => {
		hostile.answer = answer;

		const { result, ms } = await timed(() =>
			cityPay({ operation: 'upload', inputType: 'url', fileUrl: `${hostile.url}/files/report.pdf?sig=s3cr3t`, requestOptions: requestOptions() }),
		);

		expect(ms).toBeLessThan(ENDS_WITHIN_MS);
		expect(result.error?.message).toMatch(
			new RegExp(`^The file host ${hostile.url} did not send the file within ${TIMEOUT_MS} ms \\(\\d+ of 1000 bytes arrived\\) on item 0$`),
		);
		expect(result.error?.message).not.toMatch(/CityPay did not answer/);
		expect(result.error?.description).toMatch(/^The upload to CityPay was stopped before it was complete: CityPay received an incomplete request, which it does not store, so nothing was uploaded\./);
		expect(result.error?.description).not.toMatch(/may or may not/);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('s3cr3t');
		// An aborted request is recorded when its server notices.
		await until(() => citypay.requests.length >= 1, 'the upload recorded by CityPay');
		const uploads = citypay.requestsTo('POST', /^\/attachments$/);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].aborted).toBe(true);
		expect(citypay.attachments).toHaveLength(0);
		expect(hostile.requests).toHaveLength(1);
	});

	it('Leadway upload of several URLs, the 2nd from a host that stalls: that host and that URL are named', async () => {
		hostile.answer = (res) => {
			res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '1000' });
			res.write(Buffer.alloc(10, 1));
		};

		const result = await leadwayNode({
			resource: 'conversation',
			operation: 'upload',
			conversationId: 'conv_1',
			inputType: 'url',
			fileUrls: `${files.url}/files/logo.png\n${hostile.url}/files/report.pdf?sig=s3cr3t`,
			requestOptions: requestOptions(),
		});

		expect(result.error?.message).toBe(
			`The file host ${hostile.url} did not send the file within ${TIMEOUT_MS} ms (10 of 1000 bytes arrived) for File URL 2 of 2 (${hostile.url}/files/report.pdf) on item 0`,
		);
		expect(result.error?.description).toMatch(/^The upload to Leadway was stopped before it was complete/);
		// An aborted request is recorded when its server notices.
		await until(() => leadway.requests.length >= 1, 'the upload recorded by Leadway');
		expect(leadway.requests).toHaveLength(1);
		expect(leadway.requests[0].aborted).toBe(true);
		expect(leadway.uploads).toHaveLength(0);
	});

	it('a CityPay that stops reading the upload is blamed, and the error says nothing was stored', async () => {
		// Takes the request head, never reads the body: the upload backs up and waits.
		const deaf = await listenLocally(createServer(() => undefined), 0);
		const deafUrl = `http://127.0.0.1:${(deaf.address() as AddressInfo).port}`;
		try {
			const { result, ms } = await timed(() =>
				cityPay(
					{ operation: 'upload', inputType: 'url', fileUrl: `${files.url}/generated/${64 * 1024 * 1024}/big.pdf`, requestOptions: requestOptions() },
					{ baseUrl: deafUrl },
				),
			);

			expect(ms).toBeLessThan(ENDS_WITHIN_MS);
			expect(result.error?.message).toMatch(new RegExp(`^CityPay did not answer within ${TIMEOUT_MS} ms \\((ETIMEDOUT|ECONNABORTED)\\)$`));
			expect(result.error?.description).toBe(
				"The upload to CityPay was stopped before it was complete: CityPay received an incomplete request, which it does not store, so nothing was uploaded. CityPay may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.",
			);
		} finally {
			await closeServer(deaf);
		}
	});
});

// ---------------------------------------------------------------------------

describe('a download cut mid-body says which host, what happened, and that nothing was stored', () => {
	const cut: Answer = (res) => {
		res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '100000' });
		res.write(Buffer.alloc(30000, 3), () => res.socket?.destroy());
	};
	const brokeOff = () => new RegExp(`^The download from ${hostile.url} broke off after \\d+ bytes \\([A-Z_]+\\) on item 0$`);

	it('CityPay Download, Stop Workflow', async () => {
		hostile.answer = cut;
		const result = await downloadFromCityPay(attachmentOnHostileHost());

		expect(result.error?.message).toMatch(brokeOff());
		expect(result.error?.description).toMatch(/^Nothing was stored in n8n\./);
	});

	it('CityPay Download, Continue (regular output)', async () => {
		hostile.answer = cut;
		const result = await downloadFromCityPay(attachmentOnHostileHost(), 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toMatch(brokeOff());
		expect(result.items[0].json.details).toMatch(/^Nothing was stored in n8n\./);
	});

	it('Leadway Download Attachments, Stop Workflow and Continue (error output)', async () => {
		hostile.answer = cut;
		const stopped = await downloadFromLeadway();
		expect(stopped.error?.message).toMatch(brokeOff());
		expect(stopped.error?.description).toMatch(/^Nothing was stored in n8n\./);

		const continued = await downloadFromLeadway('continueErrorOutput');
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(0);
		expect(continued.errorItems).toHaveLength(1);
		expect(continued.errorItems[0].json.error).toMatch(brokeOff());
	});
});

// ---------------------------------------------------------------------------

describe('several File URLs: a failing one is named by its position and its URL without the query', () => {
	const upload = (fileUrls: string) =>
		leadwayNode({ resource: 'conversation', operation: 'upload', conversationId: 'conv_1', inputType: 'url', fileUrls, requestOptions: requestOptions() });

	it('the 2nd of 3 URLs answers 404', async () => {
		const result = await upload(
			[`${files.url}/files/invoice.pdf`, `${files.url}/files/gone.pdf?X-Amz-Signature=s3cr3t`, `${files.url}/files/logo.png`].join('\n'),
		);

		expect(result.error?.message).toBe(`The file host ${files.url} answered HTTP 404 for File URL 2 of 3 (${files.url}/files/gone.pdf) on item 0`);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('s3cr3t');
		expect(leadway.requests).toHaveLength(0);
	});

	it('the 3rd of 3 URLs cannot be reached', async () => {
		const closed = await new FileServerDouble().start();
		const gone = closed.url;
		await closed.stop();

		const result = await upload([`${files.url}/files/invoice.pdf`, `${files.url}/files/logo.png`, `${gone}/a/b.pdf?token=s3cr3t`].join(', '));

		expect(result.error?.message).toBe(`Could not download the file from ${gone} (ECONNREFUSED) for File URL 3 of 3 (${gone}/a/b.pdf) on item 0`);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('s3cr3t');
		expect(leadway.requests).toHaveLength(0);
	});

	it('a file of several that breaks off mid-upload is named too', async () => {
		const result = await upload([`${files.url}/files/logo.png`, `${files.url}/broken/400000/100000/cut.pdf?sig=s3cr3t`].join('\n'));

		expect(result.error?.message).toMatch(
			new RegExp(`^The download from ${files.url} broke off after 100000 of 400000 bytes \\(.+\\) for File URL 2 of 2 \\(${files.url}/broken/400000/100000/cut.pdf\\) on item 0$`),
		);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('s3cr3t');
	});
});
