/**
 * Waits for something the test cannot be told about directly (a request the server records
 * only when it notices the client has gone, a timer a run has set), checking every few
 * milliseconds. The deadline is generous, so a busy machine never trips it; it only turns
 * "never" into a failure that says what was awaited.
 */
export async function until(condition: () => boolean, what = 'the condition', deadlineMs = 20_000): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} not reached within ${deadlineMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
