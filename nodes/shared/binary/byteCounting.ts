import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import type { FileRules } from './fileRules';
import { formatBytes } from './fileRules';
import { forUrl } from './fileUrl';
import type { HostReading } from './hostReading';
import { bytesArrived, hostTooSlowError, hostWaitMs, startHostReading } from './hostReading';
import {
	MAX_TIMER_MS,
	TIMER_STOPPED,
	asBodySourceFailure,
	findBodySourceFailure,
	itemError,
	networkErrorCode,
} from '../transport';
import type { OpenedStream, RequestPolicy } from '../transport';

/** The host's bytes, one read at a time; `stalled` once a wait for them ran out of Timeout. */
interface HostBytes {
	next(): Promise<IteratorResult<Buffer>>;
	stalled: boolean;
}

/** Reads `body` with each wait for the host bounded by what is left of its Timeout, the waits added up in `reading`. */
function hostBytes(body: OpenedStream['body'], reading: HostReading): HostBytes {
	const iterator = body[Symbol.asyncIterator]();
	const bytes: HostBytes = {
		stalled: false,
		async next() {
			reading.waitingSince = Date.now();
			// Bytes already buffered come at once: only a wait for the host needs a timer.
			const timer = (body as { readableLength?: number }).readableLength ? undefined : new AbortController();
			if (timer) {
				const left = Math.max(0, reading.timeoutMs - reading.waitedMs);
				void sleep(Math.min(left, MAX_TIMER_MS), timer.signal).then(
					() => {
						bytes.stalled = true;
						body.destroy(new Error('The file host did not send the file in time'));
					},
					// Stopped: the bytes came in time.
					() => undefined,
				);
			}
			try {
				return await iterator.next();
			} finally {
				timer?.abort(TIMER_STOPPED);
				reading.waitedMs = hostWaitMs(reading);
				reading.waitingSince = undefined;
			}
		},
	};
	return bytes;
}

/** The error for a file that turned out bigger than the API's limit while it was sent. */
function overLimitError(reading: HostReading, fileName: string, maxBytes: number): Error {
	const { host, size, apiName, stopped } = reading;
	return asBodySourceFailure(
		itemError(
			reading.node,
			reading.itemIndex,
			`File "${fileName}" from ${host} is over ${apiName}'s limit of ${formatBytes(maxBytes)}${forUrl(reading.which)}`,
			`${size === undefined ? 'The host did not state the size, so' : `The host declared ${size} bytes, but`} n8n counted more than ${maxBytes} bytes while sending. ${stopped} ${apiName} accepts files of at most ${formatBytes(maxBytes)}: use a smaller file.`,
		),
	);
}

/** The error for a read from the host that failed: the one already worded, else a broken-off download. */
function hostReadError(reading: HostReading, error: unknown): Error {
	const alreadySaid = findBodySourceFailure(error);
	if (alreadySaid) return alreadySaid;
	const code = networkErrorCode(error) ?? 'the connection closed';
	return asBodySourceFailure(
		itemError(
			reading.node,
			reading.itemIndex,
			`The download from ${reading.host} broke off after ${bytesArrived(reading)} (${code})${forUrl(reading.which)}`,
			`${reading.stopped} Check that the host of the File URL is reachable and try again.`,
		),
	);
}

/** Refuses a file that ended with no bytes, or with other than the bytes its host declared. */
function assertWholeFileArrived(reading: HostReading): void {
	const { received, size } = reading;
	if (received === 0 || (size !== undefined && received !== size)) {
		const what = received === 0 ? 'no bytes' : `${received} bytes, not the ${size} it declared`;
		throw asBodySourceFailure(
			itemError(
				reading.node,
				reading.itemIndex,
				`The file host ${reading.host} sent ${what}${forUrl(reading.which)}`,
				`${reading.stopped} Check the file behind the File URL.`,
			),
		);
	}
}

/**
 * An upload's read of a file from a URL, counted as the bytes pass: past the API's limit,
 * broken off by the host, or slower than Timeout (counting only the time spent waiting for
 * the host, not for the API to take the bytes), the stream fails with an error that says so,
 * which also aborts the upload carrying it (see `findBodySourceFailure`), so the API gets an
 * incomplete request and stores nothing, and the upload is not sent again.
 */
export async function* countedUrlFileBytes(
	node: INode,
	file: UploadFile & { url: string },
	body: OpenedStream['body'],
	rules: FileRules,
	policy: RequestPolicy,
	which: string,
): AsyncGenerator<Buffer> {
	const reading = startHostReading(node, file, rules.apiName, policy.timeoutMs, which);
	const fromHost = hostBytes(body, reading);
	try {
		for (let next = await fromHost.next(); !next.done; next = await fromHost.next()) {
			reading.received += next.value.length;
			if (rules.maxBytes !== undefined && reading.received > rules.maxBytes) {
				throw overLimitError(reading, file.fileName, rules.maxBytes);
			}
			yield next.value;
		}
	} catch (error) {
		throw fromHost.stalled ? hostTooSlowError(reading) : hostReadError(reading, error);
	} finally {
		body.destroy();
	}
	assertWholeFileArrived(reading);
	reading.done = true;
}

/** How far a download's body got: its bytes as they pass, and the failure that ended it early. */
export interface BodyProgress {
	received: number;
	failure?: unknown;
}

/** A download's body, counted as it passes into binary data; the error it fails with is kept to be explained. */
export async function* countedDownloadBytes(
	body: AsyncIterable<unknown> & { destroy?: () => void },
	progress: BodyProgress,
): AsyncGenerator<Buffer> {
	(body as { once?: (event: 'error', listener: (error: unknown) => void) => unknown }).once?.('error', (error) => {
		progress.failure = error;
	});
	try {
		for await (const chunk of body) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			progress.received += bytes.length;
			yield bytes;
		}
	} finally {
		body.destroy?.();
	}
}
