import { sleep } from 'n8n-workflow';

import { isStream } from './bodies';

/** The longest delay a Node.js timer keeps; a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Why a timer is stopped early; one object, so stopping one costs no new error (and its stack). */
export const TIMER_STOPPED = new Error('The timer was stopped');

/** The error a streamed answer is destroyed with when its request's deadline passes. */
export function answerTimeoutError(timeoutMs: number): Error {
	return Object.assign(new Error(`The answer did not finish within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}

/** A streamed body that tells when it is done with (ended, failed or destroyed). */
function isClosable(body: unknown): body is {
	on(event: 'error', listener: () => void): unknown;
	once(event: 'close', listener: () => void): unknown;
	destroy(error?: Error): void;
} {
	return isStream(body) && typeof (body as { once?: unknown }).once === 'function' && typeof (body as { on?: unknown }).on === 'function';
}

/** One attempt's deadline, see `startDeadline`. */
export type Deadline = ReturnType<typeof startDeadline>;

/**
 * One attempt's deadline: Timeout (Milliseconds) from its start until its answer has been
 * read, body included. n8n's helper hands `timeout` to axios, which arms only a socket idle
 * timer (every byte restarts it, and it is off once a streamed answer's head has arrived):
 * an answer trickled byte by byte, or a download whose host goes quiet after the head, would
 * run on without end. The deadline aborts the request through its own signal, which the
 * execution's cancel signal also aborts, and says which of the two it was.
 */
export function startDeadline(timeoutMs: number, cancel?: AbortSignal) {
	const controller = new AbortController();
	const timer = new AbortController();
	let passed = false;
	let onPass: (() => void) | undefined;
	const forwardCancel = () => controller.abort();
	if (cancel?.aborted) controller.abort();
	else cancel?.addEventListener('abort', forwardCancel, { once: true });
	void sleep(Math.min(timeoutMs, MAX_TIMER_MS), timer.signal).then(
		() => {
			passed = true;
			onPass?.();
			controller.abort();
		},
		// Stopped: the answer came in time.
		() => undefined,
	);
	const stopTimer = () => timer.abort(TIMER_STOPPED);
	const end = () => {
		stopTimer();
		cancel?.removeEventListener('abort', forwardCancel);
	};
	return {
		signal: controller.signal,
		passed: () => passed,
		stopTimer,
		end,
		/** Runs on over a streamed answer until it is done with; when the deadline passes first, the body fails with `error`. */
		follow(body: unknown, error?: () => Error) {
			if (!isClosable(body)) return end();
			if (error) onPass = () => body.destroy(error());
			// A body that fails before it is read must not throw from its 'error' event: its reader gets the error.
			body.on('error', () => undefined);
			body.once('close', end);
		},
	};
}
