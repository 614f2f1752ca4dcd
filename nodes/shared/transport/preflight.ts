/**
 * The check before sending: with On Error set to Stop Workflow, an operation that changes
 * data runs every item once without sending anything, so that an item the node refuses by
 * itself (an empty ID, a missing binary field, a file the API's rules forbid) stops the node
 * before any other item has changed anything.
 */

/** A check under way, by the execute context of its node run. */
const checks = new WeakMap<object, { sending: boolean }>();

/** Thrown where an item would send: its check is over, nothing was refused. Never reaches the user. */
class ReadyToSend extends Error {
	constructor() {
		super('The item is ready to be sent');
	}
}

/**
 * Called where a request would leave (the one request path, a file URL's download): during
 * the check, stops the item there instead of sending.
 */
export function stopIfChecking(context: object): void {
	const check = checks.get(context);
	if (!check) return;
	check.sending = true;
	throw new ReadyToSend();
}

/** Whether items run through `context` are only being checked: nothing is sent, no file is read. */
export function isChecking(context: object): boolean {
	return checks.has(context);
}

/**
 * Runs `run` for every item, one at a time, up to the point where it would send. Returns the
 * first item that failed before that point, with its error; undefined when none did. An error
 * once an item reached its first request (the stop itself, or what an operation made of it)
 * does not count: that item is ready.
 */
export async function findRefusedItem(
	context: object,
	itemCount: number,
	run: (itemIndex: number) => Promise<unknown>,
): Promise<{ itemIndex: number; error: unknown } | undefined> {
	const check = { sending: false };
	checks.set(context, check);
	try {
		for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
			check.sending = false;
			try {
				await run(itemIndex);
			} catch (error) {
				if (!check.sending) return { itemIndex, error };
			}
		}
		return undefined;
	} finally {
		checks.delete(context);
	}
}
