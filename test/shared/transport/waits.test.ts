/**
 * Every wait bounded, every run ends, no timer outlives a run. Through the engine against
 * the CityPay and Leadway doubles: a wait the API asks for beyond the one cap (MAX_WAIT_MS)
 * fails the item at once and pauses nothing; an API that keeps answering 429 or 503 fails
 * the rest of the run without waiting per item; a cancelled run leaves no timer behind.
 * Counted at the doubles (requests) and in the process (timers), never timed.
 */
import { MAX_WAIT_MS, RequestWindow } from '../../../nodes/shared/transport';
import { CityPayDouble } from '../../doubles/citypay';
import type { Fault, HttpDouble } from '../../doubles/httpDouble';
import { faults } from '../../doubles/httpDouble';
import { LeadwayDouble } from '../../doubles/leadway';
import { credentialsFor, expectNoUnhandledRejections, useApiDoubles } from '../../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';
import type { TimerWatch } from '../../harness/timerWatch';
import { watchTimers } from '../../harness/timerWatch';
import { until } from '../../harness/until';

const citypay = new CityPayDouble();
const leadway = new LeadwayDouble();
const { pkg } = useApiDoubles([citypay, leadway]);

let timers: TimerWatch | undefined;

afterEach(() => {
	timers?.stop();
	timers = undefined;
});
expectNoUnhandledRejections();

/** Watches the timers the next run creates; `afterEach` stops the watch. */
function watchRunTimers(): TimerWatch {
	timers = watchTimers();
	return timers;
}

const ISO_TIME = /Try again after (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\./;

/** The absolute time an error's description tells the user to try again after. */
function tryAgainAfter(text: unknown): number {
	const match = ISO_TIME.exec(String(text));
	if (!match) throw new Error(`no "Try again after <time>." in: ${String(text)}`);
	return Date.parse(match[1]);
}

interface Target {
	double: () => HttpDouble;
	/** Switches the API to ask for the wait on every request. */
	refuse: () => void;
	run: (items: number, requestOptions: Record<string, unknown>, onError?: OnErrorSetting) => Promise<RunResult>;
	apiName: string;
	message: string;
	/** When the asked wait ends, given when the answer came. */
	until: (answeredAt: number) => number;
}

function cityPayGet(
	items: number,
	requestOptions: Record<string, unknown>,
	onError: OnErrorSetting = 'continueRegularOutput',
	onStart?: (cancel: () => void) => void,
) {
	const input: FixtureItem[] = citypay.addAttachments(items).map((attachment) => ({ json: { id: attachment.id } }));
	return runNode({
		pkg,
		node: {
			type: 'cityPay',
			parameters: { resource: 'attachment', operation: 'get', attachmentId: '={{ $json.id }}', requestOptions },
			onError,
		},
		input,
		credentials: credentialsFor(citypay),
		onStart,
	});
}

function leadwayGet(items: number, requestOptions: Record<string, unknown>, onError: OnErrorSetting = 'continueRegularOutput') {
	return runNode({
		pkg,
		node: {
			type: 'leadway',
			parameters: { resource: 'conversation', operation: 'get', conversationId: leadway.conversations[0].id, requestOptions },
			onError,
		},
		input: Array.from({ length: items }, () => ({})),
		credentials: credentialsFor(leadway),
	});
}

const cityPayAsking = (fault: () => Fault, message: string, until: (answeredAt: number) => number): Target => ({
	double: () => citypay,
	refuse: () => citypay.failAlways(fault()),
	run: cityPayGet,
	apiName: 'CityPay',
	message,
	until,
});

const IN_2099 = Date.UTC(2099, 0, 1);

const overTheCap: Array<[string, Target]> = [
	['Retry-After: 999999 (429)', cityPayAsking(() => faults.rateLimited('999999'), 'Too many requests', (at) => at + 999_999_000)],
	['Retry-After: 90 (503)', cityPayAsking(() => faults.unavailable('90'), 'Service unavailable', (at) => at + 90_000)],
	[
		'Retry-After: an HTTP date in 2099 (429)',
		cityPayAsking(() => faults.rateLimited(new Date(IN_2099).toUTCString()), 'Too many requests', () => IN_2099),
	],
	[
		'Leadway X-RateLimit-Remaining: 0 with X-RateLimit-Interval-Milliseconds: 86400000 (429)',
		{
			double: () => leadway,
			refuse: () => {
				leadway.enforceRateLimit = true;
				leadway.rateLimit = { max: 0, intervalMs: 86_400_000 };
			},
			run: leadwayGet,
			apiName: 'Leadway',
			message: 'Too many requests',
			until: (at) => at + 86_400_000,
		},
	],
];

describe(`a wait longer than the cap (${MAX_WAIT_MS / 1000} s) is not waited for`, () => {
	const ITEMS = 3;

	it.each(overTheCap.flatMap(([name, target]) => [0, 3].map((maxRetries) => [name, maxRetries, target] as const)))(
		'%s, Max Retries %i: every item fails at once, sent once, saying when to try again; no timer left',
		async (_name, maxRetries, target) => {
			target.refuse();
			const watch = watchRunTimers();
			const started = Date.now();

			const result = await watch.track(() => target.run(ITEMS, { maxRetries, retryDelay: 1, concurrency: 1 }));

			const ended = Date.now();
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));
			// One request per item: no retry, and no pause held the next item back.
			expect(target.double().requests).toHaveLength(ITEMS);
			for (const { json } of result.items) {
				expect(json.error).toBe(target.message);
				const details = String(json.details);
				const asked = new RegExp(`^${target.apiName} asked to wait (\\d+) s before the next request, longer than the node waits \\(60 s\\)\\. `);
				expect(details).toMatch(asked);
				// The wait the API asked for, in whole seconds, from when it answered.
				const seconds = Number(asked.exec(details)![1]);
				expect(seconds).toBeGreaterThanOrEqual(Math.floor((target.until(ended) - ended) / 1000));
				expect(seconds).toBeLessThanOrEqual(Math.ceil((target.until(started) - started) / 1000));
				expect(details).not.toMatch(/Tried/);
				const after = tryAgainAfter(details);
				// The time the API named, to the second (rounded up), from when it answered.
				expect(after).toBeGreaterThanOrEqual(target.until(started) - 1000);
				expect(after).toBeLessThanOrEqual(target.until(ended) + 1000);
			}
			// No timer the run set is left running.
			expect(watch.pending()).toEqual([]);
		},
	);

	it('without Continue On Fail: stops on item 0 with a NodeApiError saying when to try again, nothing else sent', async () => {
		citypay.failAlways(faults.rateLimited('999999'));

		const result = await cityPayGet(3, { maxRetries: 3, concurrency: 1 }, 'stopWorkflow');

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Too many requests');
		expect(result.error?.httpCode).toBe('429');
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(result.error?.description).toMatch(/^CityPay asked to wait 999999 s before the next request, longer than the node waits \(60 s\)\. Try again after \S+Z\.$/);
		expect(citypay.requests).toHaveLength(1);
	});

	it('a wait within the cap is still honoured: the retry goes out after it, and succeeds', async () => {
		citypay.failNext(faults.rateLimited('1'));

		const result = await cityPayGet(2, { maxRetries: 3, retryDelay: 1, concurrency: 1 });

		expect(result.items.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(citypay.requests).toHaveLength(3);
		expect(citypay.requests[1].receivedAt - citypay.requests[0].receivedAt).toBeGreaterThanOrEqual(950);
	});
});

describe('an API that keeps answering 503: the run ends in time bounded by Max Retries, not by the item count', () => {
	const ITEMS = 60;

	it('Continue: the first item uses its retries, every later item fails on its first answer, all paired, each saying CityPay kept answering 503', async () => {
		citypay.failAlways(faults.unavailable('1'));
		const watch = watchRunTimers();
		const started = Date.now();

		const result = await watch.track(() => cityPayGet(ITEMS, { maxRetries: 3, retryDelay: 1, concurrency: 1 }));

		expect(result.error).toBeUndefined();
		expect(citypay.requests).toHaveLength(4 + (ITEMS - 1));
		expect(result.items).toHaveLength(ITEMS);
		expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));
		const [first, ...rest] = result.items;
		expect(first.json.error).toBe('Service unavailable');
		expect(first.json.details).toMatch(/^CityPay kept answering HTTP 503\. Try again after \S+Z\. Tried 4 times\.$/);
		for (const { json } of rest) {
			expect(json.error).toBe('Service unavailable');
			expect(json.details).toMatch(
				/^CityPay kept answering HTTP 503 to this run's requests, so this item was not retried\. Try again after \S+Z\.$/,
			);
			// Retry-After: 1 from when CityPay answered.
			expect(tryAgainAfter(json.details)).toBeGreaterThanOrEqual(started);
		}
		// No timer the run set is left running.
		expect(watch.pending()).toEqual([]);
	});

	it('with many items in flight (Concurrency 10): the run gives up after Max Retries + 1 back-offs, before any item has used its own retries', async () => {
		citypay.failAlways(faults.unavailable('1'));
		const items = 30;

		const result = await cityPayGet(items, { maxRetries: 3, retryDelay: 1, concurrency: 10 });

		expect(result.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: items }, (_, item) => ({ item })));
		for (const { json } of result.items) {
			expect(json.error).toBe('Service unavailable');
			expect(json.details).toMatch(/^CityPay kept answering HTTP 503\b/);
		}
		// Waiting out every item's retries one pause at a time would send some item 4 times.
		const sends = new Map<string, number>();
		for (const request of citypay.requests) sends.set(request.path, (sends.get(request.path) ?? 0) + 1);
		expect(sends.size).toBe(items);
		expect(Math.max(...sends.values())).toBeLessThan(4);
	});

	it('Stop: fails on item 0 saying CityPay kept answering 503; the items in flight end on their next 503, none after them is sent', async () => {
		citypay.failAlways(faults.unavailable('1'));
		const concurrency = 3;

		const result = await cityPayGet(12, { maxRetries: 3, retryDelay: 1, concurrency }, 'stopWorkflow');

		expect(result.items).toHaveLength(0);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('503');
		expect(result.error?.context?.itemIndex).toBe(0);
		// Item 0 used up its retries, or met the outage another item's retries ended in.
		expect(result.error?.description).toMatch(/^CityPay kept answering HTTP 503\b.*Try again after \S+Z\./);
		// Only the first wave's items were ever sent, each at most Max Retries + 1 times.
		const firstWave = new Set(citypay.attachments.slice(0, concurrency).map((attachment) => `/attachments/${attachment.id}`));
		for (const request of citypay.requests) expect(firstWave.has(request.path)).toBe(true);
		expect(citypay.requests.length).toBeLessThanOrEqual(concurrency * 4);
	});

	it('an API that recovers (503 twice, then answers) is retried and every item succeeds', async () => {
		citypay.failNext(faults.unavailable('1'), faults.unavailable('1'));

		const result = await cityPayGet(5, { maxRetries: 3, retryDelay: 1, concurrency: 1 });

		expect(result.items.map((item) => item.json.error)).toEqual(new Array(5).fill(undefined));
		expect(citypay.requests).toHaveLength(7);
	});

	it('any answer that is not a 429 or 503 ends the outage: the next 503 is retried again', async () => {
		// Item 0: 503, 503 (retries used up). Item 1: 503 (not retried). Item 2: answered. Item 3: 503, then answered.
		citypay.failNext(
			faults.unavailable('0'),
			faults.unavailable('0'),
			faults.unavailable('0'),
			null,
			faults.unavailable('0'),
		);

		const result = await cityPayGet(4, { maxRetries: 1, retryDelay: 1, concurrency: 1 });

		expect(result.items.map((item) => item.json.error)).toEqual(['Service unavailable', 'Service unavailable', undefined, undefined]);
		expect(citypay.requests).toHaveLength(6);
	});
});

describe('no timer outlives a run', () => {
	it.each([
		// Item 0 is refused with a 30 s Retry-After and not retried: item 1 waits for the window's pause.
		['items wait out a Retry-After pause', 0],
		// Item 0 is refused with a 30 s Retry-After: it waits to retry.
		['an item waits to retry', 3],
	])('cancelled while %s: the run ends at once and leaves no timer', async (_case, maxRetries) => {
		citypay.failNext(faults.rateLimited('30'));
		const watch = watchRunTimers();
		let cancel = () => undefined as void;

		const running = watch.track(() =>
			cityPayGet(3, { maxRetries, concurrency: 1 }, 'continueRegularOutput', (cancelRun) => (cancel = cancelRun)),
		);
		// The run now waits on the 30 s timer (not the request's Timeout): stop it, as Stop in the editor does.
		await until(
			() => citypay.requests.length === 1 && watch.pending().some((delay) => delay > 20_000 && delay <= 30_000),
			'the run waiting on its 30 s timer',
		);
		cancel();
		const result = await running;

		expect(result.run.status).toBe('canceled');
		expect(citypay.requests).toHaveLength(1);
		// No timer the run set is left running.
		expect(watch.pending()).toEqual([]);
	});
});

describe('RequestWindow on its own', () => {
	const answered = { kind: 'answered' } as const;
	const throttled = (retryAfterMs?: number, used = 0, max = 3) => ({ kind: 'throttled', retryAfterMs, retries: { used, max } }) as const;

	it('pauses for a Retry-After up to the cap, and not at all for a longer one', async () => {
		let now = 1_000;
		const window = new RequestWindow(4, () => now);
		window.release((await window.acquire())!, throttled(MAX_WAIT_MS + 1));
		const next = await window.acquire();
		expect(next).toBeDefined();
		window.release(next!, throttled(MAX_WAIT_MS));
		let granted: boolean | undefined;
		const waiting = window.acquire().then((ticket) => (granted = ticket !== undefined));
		now += MAX_WAIT_MS - 1;
		await new Promise((resolve) => setImmediate(resolve));
		expect(granted).toBeUndefined();
		window.close();
		await waiting;
		expect(granted).toBe(false);
	});

	it('takes the API to be down after a request used its retries, or more back-offs in a row than Max Retries; any other answer ends it', async () => {
		const window = new RequestWindow(4);
		window.release((await window.acquire())!, throttled(undefined, 2, 3));
		expect(window.inOutage).toBe(false);
		window.release((await window.acquire())!, throttled(undefined, 3, 3));
		expect(window.inOutage).toBe(true);
		window.release((await window.acquire())!, answered);
		expect(window.inOutage).toBe(false);
		// Four back-offs in a row, each by a request on its first try: more than Max Retries (3).
		for (let backOff = 1; backOff <= 4; backOff++) {
			expect(window.inOutage).toBe(false);
			window.release((await window.acquire())!, throttled(undefined, 0, 3));
		}
		expect(window.inOutage).toBe(true);
	});

	it('closing it stops its wake timer and gives the requests still waiting no place', async () => {
		const watch = watchRunTimers();
		// A clock that stands still: the pause left is exactly the 30 s asked for, however busy the machine.
		const window = await watch.track(async () => {
			const paused = new RequestWindow(1, () => 1_000_000);
			paused.release((await paused.acquire())!, throttled(30_000));
			return paused;
		});
		const waiting = watch.track(async () => await window.acquire());
		expect(watch.pending()).toEqual([30_000]);
		window.close();
		expect(await waiting).toBeUndefined();
		expect(watch.pending()).toEqual([]);
		expect(await window.acquire()).toBeUndefined();
	});
});
