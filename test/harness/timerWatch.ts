/**
 * Which timers outlive a run: the timers set by the code `track` runs (and everything it
 * starts), and which of them are still set and keep the process alive (ref'd) when asked.
 * Deterministic, unlike counting the process's active timers, which include jest's own and
 * those of the doubles.
 */
import { AsyncLocalStorage, createHook } from 'node:async_hooks';

interface NodeTimer {
	_idleTimeout: number;
	_destroyed?: boolean;
	hasRef(): boolean;
}

export interface TimerWatch {
	/** Runs `work`, watching the timers it sets, directly or through anything it started. */
	track<T>(work: () => Promise<T>): Promise<T>;
	/** The delays (ms) of the watched timers still set and ref'd. */
	pending(): number[];
	stop(): void;
}

export function watchTimers(): TimerWatch {
	const context = new AsyncLocalStorage<true>();
	const created: NodeTimer[] = [];
	const hook = createHook({
		init(_asyncId, type, _triggerId, resource) {
			if (type === 'Timeout' && context.getStore()) created.push(resource as NodeTimer);
		},
	});
	hook.enable();
	return {
		track: async (work) => await context.run(true, work),
		pending: () => created.filter((timer) => timer._destroyed !== true && timer.hasRef()).map((timer) => timer._idleTimeout),
		stop: () => hook.disable(),
	};
}
