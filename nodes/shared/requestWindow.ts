import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** A granted place in the window: released with what the API answered. */
export interface WindowTicket {
	/** How many back-offs had happened when the request left. */
	readonly era: number;
}

/** What an answer says about the API's capacity. */
export type WindowSignal =
	/** The API answered (any status but 429/503), or the request failed for another reason. */
	| { kind: 'answered' }
	/** 429 or 503: the API asks for fewer requests; Retry-After in milliseconds when it sent one. */
	| { kind: 'throttled'; retryAfterMs?: number };

/**
 * How many requests of one node run may be in flight at once. It starts at the user's
 * Concurrency (its upper bound, never exceeded), halves when the API answers 429 or 503,
 * holds every new request back until a Retry-After has passed, and grows by one with each
 * answer that is not a refusal, back up to the bound. Requests wait in the order they asked.
 *
 * Answers to requests sent before the last back-off do not halve it again: a burst of 429s
 * to requests that were already on their way is one signal, not many.
 */
export class RequestWindow {
	private limit: number;

	private inFlight = 0;

	private pausedUntil = 0;

	private era = 0;

	private readonly waiting: Array<() => void> = [];

	private wakeScheduled = false;

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

	/** Waits for a place (or for `signal` to fire: then undefined, and no place is taken). */
	async acquire(signal?: AbortSignal): Promise<WindowTicket | undefined> {
		if (signal?.aborted) return undefined;
		if (this.waiting.length === 0 && this.canStart()) return this.grant();
		return await new Promise<WindowTicket | undefined>((resolve) => {
			const onAbort = () => {
				const at = this.waiting.indexOf(wake);
				if (at !== -1) this.waiting.splice(at, 1);
				resolve(undefined);
			};
			const wake = () => {
				signal?.removeEventListener('abort', onAbort);
				resolve(this.grant());
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(wake);
			this.pump();
		});
	}

	/** Gives the place back and adjusts the window to what the answer said. */
	release(ticket: WindowTicket, signal: WindowSignal): void {
		this.inFlight--;
		if (signal.kind === 'throttled') {
			if (ticket.era === this.era) {
				this.era++;
				this.limit = Math.max(1, Math.floor(this.limit / 2));
			}
			if (signal.retryAfterMs !== undefined) {
				this.pausedUntil = Math.max(this.pausedUntil, this.now() + signal.retryAfterMs);
			}
		} else if (this.limit < this.max) {
			this.limit++;
		}
		this.pump();
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
		while (this.waiting.length > 0 && this.canStart()) this.waiting.shift()!();
		const pauseLeft = this.pausedUntil - this.now();
		if (this.waiting.length > 0 && pauseLeft > 0 && !this.wakeScheduled) {
			this.wakeScheduled = true;
			void sleep(pauseLeft).then(() => {
				this.wakeScheduled = false;
				this.pump();
			});
		}
	}
}

/** The window of each node run the router is running, by its execute context. */
const windows = new WeakMap<object, RequestWindow>();

/** Runs `work` with a window of at most `max` requests in flight for every request made through `context`. */
export async function withRequestWindow<T>(context: IExecuteFunctions, max: number, work: () => Promise<T>): Promise<T> {
	windows.set(context, new RequestWindow(max));
	try {
		return await work();
	} finally {
		windows.delete(context);
	}
}

/** The window requests made through `context` share, if the router opened one (never for a list search). */
export function requestWindowOf(context: object): RequestWindow | undefined {
	return windows.get(context);
}
