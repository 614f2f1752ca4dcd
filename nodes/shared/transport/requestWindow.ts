import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { parseRetryAfter } from './answerHeaders';
import type { AttemptResult } from './retry';
import { MAX_WAIT_MS, isThrottled } from './retry';

/** A granted place in the window: released with what the API answered. */
export interface WindowTicket {
	/** How many back-offs had happened when the request left. */
	readonly era: number;
}

/** What an answer says about the API's capacity. */
export type WindowSignal =
	/** The API answered (any status but 429/503), or the request failed for another reason. */
	| { kind: 'answered' }
	/**
	 * 429 or 503: the API asks for fewer requests; Retry-After in milliseconds when it sent one.
	 * `retries`: how many the request has used, of how many it may (Max Retries).
	 */
	| { kind: 'throttled'; retryAfterMs?: number; retries?: { used: number; max: number } };

/**
 * How many requests of one node run may be in flight at once. It starts at the user's
 * Concurrency (its upper bound, never exceeded), halves when the API answers 429 or 503,
 * holds every new request back until a Retry-After has passed (at most MAX_WAIT_MS: a longer
 * one pauses nothing, the request fails instead), and grows by one with each answer that is
 * not a refusal, back up to the bound. Requests wait in the order they asked.
 *
 * Answers to requests sent before the last back-off do not halve it again: a burst of 429s
 * to requests that were already on their way is one signal, not many.
 *
 * The API is taken to be down (an outage) once a request has used all its retries on 429s or
 * 503s, or the window has backed off more than Max Retries times in a row with nothing but 429s
 * and 503s between: until the API answers anything else, a 429 or 503 is neither paused for
 * nor retried. So a run against an API that is down ends after about Max Retries + 1 pauses
 * (each at most MAX_WAIT_MS), however many items it has and however many are in flight.
 */
export class RequestWindow {
	private limit: number;

	private inFlight = 0;

	private pausedUntil = 0;

	private era = 0;

	/** Back-offs since the last answer that was not a 429 or 503. */
	private backOffsInARow = 0;

	/** Requests waiting for a place, in order: called with whether they got one. */
	private readonly waiting: Array<(granted: boolean) => void> = [];

	/** Stops the timer that lets waiting requests go when a pause ends. */
	private wake?: AbortController;

	private outage = false;

	private closed = false;

	constructor(
		readonly max: number,
		private readonly now: () => number = Date.now,
	) {
		this.limit = max;
	}

	/** Requests allowed in flight right now. */
	get currentLimit(): number {
		return this.limit;
	}

	/** Whether the API is taken to be down (see the class): a 429 or 503 now ends its request. */
	get inOutage(): boolean {
		return this.outage;
	}

	/**
	 * Waits for a place (or for `signal` to fire, or the window to close: then undefined, and
	 * no place is taken).
	 */
	async acquire(signal?: AbortSignal): Promise<WindowTicket | undefined> {
		if (signal?.aborted || this.closed) return undefined;
		if (this.waiting.length === 0 && this.canStart()) return this.grant();
		return await new Promise<WindowTicket | undefined>((resolve) => {
			const onAbort = () => {
				const at = this.waiting.indexOf(settle);
				if (at !== -1) this.waiting.splice(at, 1);
				if (this.waiting.length === 0) this.stopWake();
				resolve(undefined);
			};
			const settle = (granted: boolean) => {
				signal?.removeEventListener('abort', onAbort);
				resolve(granted ? this.grant() : undefined);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(settle);
			this.pump();
		});
	}

	/** Gives the place back and adjusts the window to what the answer said. */
	release(ticket: WindowTicket, signal: WindowSignal): void {
		this.inFlight--;
		if (signal.kind === 'throttled') {
			if (ticket.era === this.era) {
				this.era++;
				this.backOffsInARow++;
				this.limit = Math.max(1, Math.floor(this.limit / 2));
			}
			const { retryAfterMs, retries } = signal;
			const withinCap = retryAfterMs === undefined || retryAfterMs <= MAX_WAIT_MS;
			if (retryAfterMs !== undefined && withinCap && !this.outage) {
				this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
			}
			// A wait past the cap fails its request at once, whatever the API's state: no sign of an outage.
			if (retries && withinCap && (retries.used >= retries.max || this.backOffsInARow > retries.max)) {
				this.outage = true;
			}
		} else {
			this.outage = false;
			this.backOffsInARow = 0;
			if (this.limit < this.max) this.limit++;
		}
		this.pump();
	}

	/**
	 * Sends one attempt from a place in the window and tells the window what came back. A 429 or
	 * 503 during an outage comes back marked `keptRefusing`: it is not retried. Undefined when
	 * `signal` fired (or the window closed) before a place was free.
	 */
	async send<T>(
		attempt: () => Promise<AttemptResult<T>>,
		{ signal, retries }: { signal?: AbortSignal; retries: { used: number; max: number } },
	): Promise<AttemptResult<T> | undefined> {
		const ticket = await this.acquire(signal);
		if (!ticket) return undefined;
		let result: AttemptResult<T> | undefined;
		try {
			result = await attempt();
		} finally {
			// The attempt threw (its body's source failed): the place is given back all the same.
			if (result === undefined) this.release(ticket, { kind: 'answered' });
		}
		if (result.ok || !isThrottled(result.outcome)) {
			this.release(ticket, { kind: 'answered' });
			return result;
		}
		const keptRefusing = this.outage;
		this.release(ticket, { kind: 'throttled', retryAfterMs: parseRetryAfter(result.outcome.retryAfter), retries });
		return keptRefusing ? { ...result, keptRefusing } : result;
	}

	/** Ends the window with its node run: the wake timer is stopped, and requests still waiting get no place. */
	close(): void {
		this.closed = true;
		this.stopWake();
		for (const settle of this.waiting.splice(0)) settle(false);
	}

	private canStart(): boolean {
		return this.inFlight < this.limit && this.now() >= this.pausedUntil;
	}

	private grant(): WindowTicket {
		this.inFlight++;
		return { era: this.era };
	}

	/** Lets waiting requests go while there is room; after a pause, once it is over. */
	private pump(): void {
		if (this.closed) return;
		while (this.waiting.length > 0 && this.canStart()) this.waiting.shift()!(true);
		const pauseLeft = this.pausedUntil - this.now();
		if (this.waiting.length === 0 || pauseLeft <= 0) {
			this.stopWake();
		} else if (!this.wake) {
			const wake = new AbortController();
			this.wake = wake;
			sleep(pauseLeft, wake.signal).then(
				() => {
					if (this.wake === wake) this.wake = undefined;
					this.pump();
				},
				// Stopped: nobody waits any more, or the window closed.
				() => undefined,
			);
		}
	}

	private stopWake(): void {
		this.wake?.abort();
		this.wake = undefined;
	}
}

/** The window of each node run the router is running, by its execute context. */
const windows = new WeakMap<object, RequestWindow>();

/** Runs `work` with a window of at most `max` requests in flight for every request made through `context`. */
export async function withRequestWindow<T>(context: IExecuteFunctions, max: number, work: () => Promise<T>): Promise<T> {
	const window = new RequestWindow(max);
	windows.set(context, window);
	try {
		return await work();
	} finally {
		windows.delete(context);
		window.close();
	}
}

/** The window requests made through `context` share, if the router opened one (never for a list search). */
export function requestWindowOf(context: object): RequestWindow | undefined {
	return windows.get(context);
}
