/**
 * Adaptive concurrency: the requests of one node run share a window that starts at the
 * Concurrency setting (an upper bound it never exceeds), halves when the API answers 429 or
 * 503, sends nothing before a Retry-After has passed, and widens again as answers succeed.
 * The window on its own (with a fake clock), then through Invent's real execute path against
 * its double. Behaviour only: how many requests were in flight, in which order, never how long;
 * where requests must be in flight together, the double holds them until they all are.
 */
import { sleep } from 'n8n-workflow';

import { RequestWindow } from '../../../nodes/shared/transport';
import type { RecordedRequest } from '../../doubles/httpDouble';
import { faults, sha256 } from '../../doubles/httpDouble';
import { InventDouble } from '../../doubles/invent';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import type { FixtureItem, RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';
import { bytesOfSize } from '../../harness/fixtures';

describe('RequestWindow', () => {
	const answered = { kind: 'answered' } as const;
	const throttled = (retryAfterMs?: number) => ({ kind: 'throttled', retryAfterMs }) as const;

	it('grants up to its bound at once, then makes the next request wait for a place', async () => {
		const window = new RequestWindow(3);
		const tickets = await Promise.all([window.acquire(), window.acquire(), window.acquire()]);
		let fourth = false;
		const waiting = window.acquire().then((ticket) => {
			fourth = true;
			return ticket;
		});
		await sleep(5);
		expect(fourth).toBe(false);
		window.release(tickets[0]!, answered);
		expect(await waiting).toBeDefined();
	});

	it('halves once per wave of 429s, grows by one per answer, never above its bound', async () => {
		const window = new RequestWindow(8);
		const wave = await Promise.all(Array.from({ length: 8 }, async () => await window.acquire()));
		for (const ticket of wave) window.release(ticket!, throttled());
		// Eight 429s to requests sent before the first one came back: one halving, not eight.
		expect(window.currentLimit).toBe(4);
		const next = await window.acquire();
		window.release(next!, throttled());
		// Sent after the back-off: a new signal.
		expect(window.currentLimit).toBe(2);
		for (let i = 0; i < 20; i++) window.release((await window.acquire())!, answered);
		expect(window.currentLimit).toBe(8);
	});

	it('holds every new request back until Retry-After has passed', async () => {
		let now = 1_000;
		const window = new RequestWindow(4, () => now);
		window.release((await window.acquire())!, throttled(500));
		let granted = false;
		const waiting = window.acquire().then(() => (granted = true));
		now = 1_499;
		await sleep(5);
		expect(granted).toBe(false);
		now = 1_500;
		await waiting;
		expect(granted).toBe(true);
	});

	it('gives up waiting when the execution is cancelled, taking no place', async () => {
		const window = new RequestWindow(1);
		const held = await window.acquire();
		const controller = new AbortController();
		const waiting = window.acquire(controller.signal);
		controller.abort();
		expect(await waiting).toBeUndefined();
		window.release(held!, answered);
		expect(await window.acquire()).toBeDefined();
	});
});

describe('Adaptive concurrency through a node', () => {
	const invent = new InventDouble();
	const { pkg } = useApiDoubles([invent]);
	/** Requests in flight at the double when each upload arrived (itself included), in arrival order. */
	let arrivals: Array<{ inFlight: number; receivedAt: number; fault?: string }>;

	const ITEMS = 40;
	const CONCURRENCY = 8;

	beforeEach(() => {
		arrivals = [];
		invent.latency = (request: RecordedRequest) => {
			arrivals.push({ inFlight: invent.inFlight, receivedAt: request.receivedAt, fault: request.fault });
			return 0;
		};
	});

	afterEach(() => {
		jest.restoreAllMocks();
	});

	function fileItems(count: number): FixtureItem[] {
		return Array.from({ length: count }, (_, index) => ({
			json: {},
			files: [{ fileName: `file-${index}.pdf`, content: bytesOfSize(500 + index, index + 1), mimeType: 'application/pdf' }],
		}));
	}

	async function upload(input: FixtureItem[], requestOptions: Record<string, unknown>, continueOnFail = false): Promise<RunResult> {
		const [{ id: contactId }] = invent.addContacts(1);
		return await runNode({
			pkg,
			node: { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', contactId, requestOptions }, continueOnFail },
			input,
			credentials: credentialsFor(invent),
		});
	}

	function expectInOrderAndPaired(result: RunResult, input: FixtureItem[]): void {
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(result.items.map((item) => item.json.file_filename)).toEqual(input.map((_, index) => `file-${index}.pdf`));
	}

	it.each([
		['429', faults.rateLimited('0')],
		['503', faults.unavailable()],
	])('starts at the setting, backs off on %s (fewer in flight), recovers, keeps order and pairing', async (_status, fault) => {
		invent.failNext(...Array.from({ length: CONCURRENCY }, () => fault));
		// The wave is refused only once all of it is in flight.
		invent.holdUntil(CONCURRENCY);
		// One halving leaves half the window; four answers widen it back to the bound. From the fifth
		// answer on, requests are held until the whole window is in flight again.
		const record = invent.latency!;
		let answers = 0;
		invent.latency = (request) => {
			if (!request.fault && ++answers === CONCURRENCY / 2 + 1) invent.holdUntil(CONCURRENCY);
			return record(request);
		};
		const input = fileItems(ITEMS);

		const result = await upload(input, { concurrency: CONCURRENCY, retryDelay: 0 });

		expectInOrderAndPaired(result, input);
		const wave = arrivals.slice(0, CONCURRENCY);
		expect(wave.every((arrival) => arrival.fault === 'answer')).toBe(true);
		// Started high: the first requests all went out together.
		expect(Math.max(...wave.map((arrival) => arrival.inFlight))).toBe(CONCURRENCY);
		// Backed off: the requests sent right after the wave had half the window.
		const afterWave = arrivals.slice(CONCURRENCY, CONCURRENCY + CONCURRENCY / 2);
		expect(Math.max(...afterWave.map((arrival) => arrival.inFlight))).toBeLessThanOrEqual(CONCURRENCY / 2);
		// Recovered: later on the whole window was used again, and never more.
		const later = arrivals.slice(CONCURRENCY + CONCURRENCY / 2);
		expect(Math.max(...later.map((arrival) => arrival.inFlight))).toBe(CONCURRENCY);
		expect(invent.maxInFlight).toBe(CONCURRENCY);
		// Every file arrived exactly once, intact.
		expect(invent.files).toHaveLength(ITEMS);
		const stored = new Map(invent.files.map((file) => [file.name, file.sha256]));
		for (const item of input) expect(stored.get(item.files![0].fileName)).toBe(sha256(item.files![0].content));
	});

	it("sends nothing, for any item, before the API's Retry-After has passed", async () => {
		invent.failNext(faults.rateLimited('1'));
		const input = fileItems(12);

		const result = await upload(input, { concurrency: 1 });

		expectInOrderAndPaired(result, input);
		const [first, ...rest] = arrivals;
		expect(first.fault).toBe('answer');
		for (const arrival of rest) expect(arrival.receivedAt).toBeGreaterThanOrEqual(first.receivedAt + 1000);
	});

	it('keeps the pause for the whole run: items that had not started wait too', async () => {
		// One 429 among eight requests in flight, answered at once: the seven others succeed
		// once the window has taken the pause, and the items after them wait for it all the same.
		invent.failNext(faults.rateLimited('1'));
		let pauseTaken!: () => void;
		const paused = new Promise<void>((resolve) => (pauseTaken = resolve));
		const release = RequestWindow.prototype.release;
		jest.spyOn(RequestWindow.prototype, 'release').mockImplementation(function (this: RequestWindow, ticket, signal) {
			release.call(this, ticket, signal);
			if (signal.kind === 'throttled') pauseTaken();
		});
		const record = invent.latency!;
		invent.latency = (request) => (request.fault ? record(request) : (record(request), paused));
		const input = fileItems(20);

		const result = await upload(input, { concurrency: CONCURRENCY });

		expectInOrderAndPaired(result, input);
		const refusedAt = arrivals[0].receivedAt;
		// The wave in flight when the 429 came back was already sent; anything sent later waited.
		const sentAfterWave = arrivals.slice(CONCURRENCY);
		expect(sentAfterWave.length).toBeGreaterThan(0);
		for (const arrival of sentAfterWave) expect(arrival.receivedAt).toBeGreaterThanOrEqual(refusedAt + 1000);
	});

	it('Continue On Fail, no retries: throttled items become error items in place, the others go on', async () => {
		invent.failNext(...Array.from({ length: 3 }, () => faults.rateLimited('0')));
		const input = fileItems(16);

		const result = await upload(input, { concurrency: 4, maxRetries: 0 }, true);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(16);
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		const failed = result.items.flatMap((item, index) => (item.json.error === undefined ? [] : [index]));
		expect(failed).toHaveLength(3);
		for (const [index, item] of result.items.entries()) {
			if (!failed.includes(index)) expect(item.json.file_filename).toBe(`file-${index}.pdf`);
		}
		expect(invent.files).toHaveLength(13);
		expect(invent.maxInFlight).toBeLessThanOrEqual(4);
	});
});
