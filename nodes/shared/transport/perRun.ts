// What one node run reads once and shares between its items.

/**
 * A store of reads made once per node run (keyed by the run's execute context) and key. The
 * items of a run start together, so they share one read under way. A failed read is not kept:
 * an item that waited for it reads for itself, so it fails with its own item number, and a
 * later item tries again. Nothing outlives the run: the context is held weakly.
 */
export function readOncePerRun<T>(): (context: object, key: string, read: () => Promise<T>) => Promise<T> {
	const byRun = new WeakMap<object, Map<string, Promise<T>>>();
	return async (context, key, read) => {
		let byKey = byRun.get(context);
		if (!byKey) byRun.set(context, (byKey = new Map()));
		const shared = byKey.get(key);
		if (shared) {
			try {
				return await shared;
			} catch {
				return await read();
			}
		}
		const reading = read();
		byKey.set(key, reading);
		reading.catch(() => {
			if (byKey.get(key) === reading) byKey.delete(key);
		});
		return await reading;
	};
}
