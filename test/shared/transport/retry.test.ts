/**
 * The retry policy on its own (pure functions and the retry loop with an injected wait).
 * test/contracts/faults.test.ts drives the same code through every node against the doubles.
 */
import type { AttemptResult } from '../../../nodes/shared/transport';
import {
	MAX_WAIT_MS,
	backoffDelay,
	parseRetryAfter,
	rateLimitRetryAfter,
	runWithRetries,
	shouldRetry,
	wasDropped,
} from '../../../nodes/shared/transport';

describe('shouldRetry', () => {
	it.each([
		['POST', 429, true],
		['POST', 503, true],
		['POST', 500, false],
		['POST', 502, false],
		['POST', 504, false],
		['GET', 500, true],
		['GET', 502, true],
		['GET', 504, true],
		['PUT', 500, true],
		['DELETE', 504, true],
		['GET', 400, false],
		['GET', 401, false],
		['GET', 404, false],
		['DELETE', 409, false],
	] as const)('%s answered %i → retry %s', (method, statusCode, expected) => {
		expect(shouldRetry(method, { kind: 'status', statusCode })).toBe(expected);
	});

	it.each([
		['POST', 'ECONNREFUSED', true],
		['POST', 'ENOTFOUND', true],
		['POST', 'EAI_AGAIN', true],
		['POST', 'ECONNRESET', false],
		['POST', 'EPIPE', false],
		['POST', 'ECONNABORTED', false],
		['POST', 'ETIMEDOUT', false],
		['GET', 'ECONNRESET', true],
		['GET', 'ECONNABORTED', true],
		['PUT', 'EPIPE', true],
		['DELETE', 'ETIMEDOUT', true],
		['GET', 'ERR_CANCELED', false],
		['GET', 'CERT_HAS_EXPIRED', false],
		['GET', 'ERR_TLS_CERT_ALTNAME_INVALID', false],
		['GET', 'n8n error', false],
		// An answer cut off or unreadable, or a code nobody listed: the request may have arrived.
		['GET', 'ERR_BAD_RESPONSE', true],
		['GET', 'HPE_INVALID_CONTENT_LENGTH', true],
		['GET', 'ESOMETHINGNEW', true],
		['POST', 'ERR_BAD_RESPONSE', false],
		['POST', 'HPE_INVALID_CONTENT_LENGTH', false],
		['POST', 'ESOMETHINGNEW', false],
		['POST', 'EHOSTUNREACH', true],
	] as const)('%s failed with %s → retry %s', (method, code, expected) => {
		expect(shouldRetry(method, { kind: 'network', code })).toBe(expected);
	});

	it('knows which connection failures happened after the request may have left', () => {
		expect(wasDropped('ECONNREFUSED')).toBe(false);
		expect(wasDropped('ECONNRESET')).toBe(true);
		expect(wasDropped('ETIMEDOUT')).toBe(true);
		expect(wasDropped('HPE_INVALID_CONTENT_LENGTH')).toBe(true);
		expect(wasDropped('ESOMETHINGNEW')).toBe(true);
		expect(wasDropped('CERT_HAS_EXPIRED')).toBe(false);
		expect(wasDropped('ENOTFOUND')).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2025-01-01T00:00:00Z');

	it('reads seconds', () => {
		expect(parseRetryAfter('1', now)).toBe(1000);
		expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
		expect(parseRetryAfter('0', now)).toBe(0);
	});

	it('reads an HTTP date, and a date in the past as no wait', () => {
		expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
	});

	it('reads a number too large to hold as a wait past any cap, not as no wait', () => {
		expect(parseRetryAfter('9'.repeat(400), now)).toBe(Number.MAX_SAFE_INTEGER);
	});

	it('ignores what it cannot read', () => {
		for (const value of [undefined, '', '  ', '-5', 'soon', '1e3', '12:00', {}]) {
			expect(parseRetryAfter(value, now)).toBeUndefined();
		}
	});
});

describe('backoffDelay', () => {
	it('honours Retry-After up to the cap', () => {
		expect(backoffDelay({ retry: 0, retryAfterMs: 1000 })).toBe(1000);
		expect(backoffDelay({ retry: 0, retryAfterMs: 3_600_000 })).toBe(MAX_WAIT_MS);
	});

	it('doubles with each retry, jittered between half and all of the step', () => {
		expect(backoffDelay({ retry: 0, baseMs: 1000, random: () => 0 })).toBe(500);
		expect(backoffDelay({ retry: 0, baseMs: 1000, random: () => 0.999 })).toBe(1000);
		expect(backoffDelay({ retry: 2, baseMs: 1000, random: () => 0 })).toBe(2000);
		const late = backoffDelay({ retry: 20, baseMs: 1000, random: () => 0.999 });
		expect(late).toBeLessThanOrEqual(MAX_WAIT_MS);
		expect(late).toBeGreaterThan(MAX_WAIT_MS / 2);
	});
});

describe('runWithRetries', () => {
	const failure = (statusCode: number, retryAfter?: string): AttemptResult<string> => ({
		ok: false,
		outcome: { kind: 'status', statusCode, retryAfter },
		error: new Error(`HTTP ${statusCode}`),
	});

	function recorder() {
		const waits: number[] = [];
		return { waits, wait: async (ms: number) => void waits.push(ms) };
	}

	it('retries until success, waiting what Retry-After says', async () => {
		const { waits, wait } = recorder();
		const answers = [failure(429, '2'), failure(503), { ok: true as const, value: 'done' }];
		const result = await runWithRetries(async () => answers.shift()!, {
			method: 'POST',
			maxRetries: 3,
			replayable: true,
			baseDelayMs: 100,
			random: () => 0,
			wait,
		});
		expect(result).toEqual({ ok: true, value: 'done', attempts: 3 });
		expect(waits).toEqual([2000, 100]);
	});

	it('stops after maxRetries', async () => {
		const { waits, wait } = recorder();
		let attempts = 0;
		const result = await runWithRetries(
			async () => {
				attempts++;
				return failure(429);
			},
			{ method: 'GET', maxRetries: 2, replayable: true, baseDelayMs: 1, wait },
		);
		expect(attempts).toBe(3);
		expect(result).toMatchObject({ ok: false, attempts: 3, cancelled: false });
		expect(waits).toHaveLength(2);
	});

	it('does not wait for a Retry-After longer than the cap: no retry at all', async () => {
		const { waits, wait } = recorder();
		let attempts = 0;
		const result = await runWithRetries(
			async () => {
				attempts++;
				return failure(429, String(MAX_WAIT_MS / 1000 + 1));
			},
			{ method: 'GET', maxRetries: 3, replayable: true, wait },
		);
		expect(attempts).toBe(1);
		expect(result).toMatchObject({ ok: false, attempts: 1, cancelled: false });
		expect(waits).toHaveLength(0);
	});

	it('does not retry a refusal the API kept answering (an outage of the node run)', async () => {
		const { waits, wait } = recorder();
		const result = await runWithRetries(async () => ({ ...failure(503, '1'), keptRefusing: true }), {
			method: 'GET',
			maxRetries: 3,
			replayable: true,
			wait,
		});
		expect(result).toMatchObject({ ok: false, attempts: 1, cancelled: false, keptRefusing: true });
		expect(waits).toHaveLength(0);
	});

	it('never repeats a body that cannot be sent again', async () => {
		const { waits, wait } = recorder();
		const result = await runWithRetries(async () => failure(503), {
			method: 'POST',
			maxRetries: 3,
			replayable: false,
			wait,
		});
		expect(result).toMatchObject({ ok: false, attempts: 1 });
		expect(waits).toHaveLength(0);
	});

	it('does not retry once the execution is cancelled, before the wait', async () => {
		const controller = new AbortController();
		const { waits, wait } = recorder();
		const result = await runWithRetries(
			async () => {
				controller.abort();
				return failure(503);
			},
			{ method: 'GET', maxRetries: 3, replayable: true, signal: controller.signal, wait },
		);
		expect(result).toMatchObject({ ok: false, attempts: 1, cancelled: true });
		expect(waits).toHaveLength(0);
	});

	it('stops when the execution is cancelled during the wait (real sleep)', async () => {
		const controller = new AbortController();
		let attempts = 0;
		const started = Date.now();
		const pending = runWithRetries(
			async () => {
				attempts++;
				return failure(429, '30');
			},
			{ method: 'GET', maxRetries: 3, replayable: true, signal: controller.signal },
		);
		controller.abort();
		const result = await pending;
		expect(result).toMatchObject({ ok: false, attempts: 1, cancelled: true });
		expect(attempts).toBe(1);
		// Well before the 30 s Retry-After, with room for a busy machine.
		expect(Date.now() - started).toBeLessThan(20_000);
	});

	it('stops when the signal fires while a wait that ignores it runs', async () => {
		const controller = new AbortController();
		let attempts = 0;
		const result = await runWithRetries(
			async () => {
				attempts++;
				return failure(503);
			},
			{
				method: 'GET',
				maxRetries: 3,
				replayable: true,
				signal: controller.signal,
				wait: async () => controller.abort(),
			},
		);
		expect(result).toMatchObject({ ok: false, attempts: 1, cancelled: true });
		expect(attempts).toBe(1);
	});
});

describe('rateLimitRetryAfter (X-RateLimit-* headers without Retry-After)', () => {
	const headers = (values: Record<string, string>) => (name: string) => values[name];

	it.each([
		[{ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '10000' }, '10'],
		[{ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '250' }, '0.25'],
		[{ 'x-ratelimit-remaining': '3', 'x-ratelimit-interval-milliseconds': '10000' }, undefined],
		[{ 'x-ratelimit-remaining': '0' }, undefined],
		[{ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '' }, undefined],
		[{ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': 'soon' }, undefined],
		[{}, undefined],
	])('%j gives Retry-After %s', (values, expected) => {
		expect(rateLimitRetryAfter(headers(values))).toBe(expected);
	});

	it('is capped like Retry-After', () => {
		const wait = parseRetryAfter(rateLimitRetryAfter(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-milliseconds': '600000' })));
		expect(backoffDelay({ retry: 0, retryAfterMs: wait })).toBe(MAX_WAIT_MS);
	});
});
