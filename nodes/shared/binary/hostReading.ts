import type { INode } from 'n8n-workflow';

import type { UploadFile } from './binaryInput';
import { forUrl } from './fileUrl';
import { asBodySourceFailure, isTimeout, itemError, safeOrigin, transportFailureCode, wasDropped } from '../transport';

/** How far an upload got in reading a file from its host: kept to tell who was slow when the upload fails. */
export interface HostReading {
	node: INode;
	itemIndex: number;
	/** The file's host (origin only), as messages name it. */
	host: string;
	/** The size the host declared, when it did. */
	size: number | undefined;
	/** Which of several File URLs this is (see whichUrl); empty for a single one. */
	which: string;
	apiName: string;
	timeoutMs: number;
	received: number;
	/** The host sent all it declared: the upload carrying it got the whole file. */
	done: boolean;
	/** Time spent waiting for the host's next bytes, in waits that ended. */
	waitedMs: number;
	/** When the wait for the host under way began. */
	waitingSince?: number;
	/** What the API got: an incomplete request, which it does not store. */
	stopped: string;
}

/** The reading of each file from a URL, once an upload has started reading it. */
const readings = new WeakMap<UploadFile, HostReading>();

/** Starts the record of an upload's reading of `file` from its host, replacing an earlier attempt's. */
export function startHostReading(
	node: INode,
	file: UploadFile & { url: string },
	apiName: string,
	timeoutMs: number,
	which: string,
): HostReading {
	const reading: HostReading = {
		node,
		itemIndex: file.itemIndex,
		host: safeOrigin(file.url),
		size: file.size,
		which,
		apiName,
		timeoutMs,
		received: 0,
		done: false,
		waitedMs: 0,
		stopped: `The upload to ${apiName} was stopped before it was complete: ${apiName} received an incomplete request, which it does not store, so nothing was uploaded.`,
	};
	readings.set(file, reading);
	return reading;
}

/** Forgets the reading of `file`: until a new attempt reads it, no earlier attempt speaks for it. */
export function forgetHostReading(file: UploadFile): void {
	readings.delete(file);
}

export function hostWaitMs(reading: HostReading, now = Date.now()): number {
	return reading.waitedMs + (reading.waitingSince === undefined ? 0 : now - reading.waitingSince);
}

/** "120 of 500 bytes": what arrived, against what the host declared when it did. */
export function bytesArrived(reading: HostReading): string {
	return `${reading.received}${reading.size === undefined ? '' : ` of ${reading.size}`} bytes`;
}

/** The error naming the host as too slow, for a failed upload whose own error would blame the API. */
export function hostTooSlowError(reading: HostReading, apiFailure?: string): Error {
	const { host, apiName, timeoutMs } = reading;
	const arrived = bytesArrived(reading);
	const message =
		apiFailure === undefined
			? `The file host ${host} did not send the file within ${timeoutMs} ms (${arrived} arrived)${forUrl(reading.which)}`
			: `The file host ${host} sent the file too slowly: the upload to ${apiName} broke off (${apiFailure}) after ${arrived} arrived in ${hostWaitMs(reading)} ms${forUrl(reading.which)}`;
	return asBodySourceFailure(
		itemError(
			reading.node,
			reading.itemIndex,
			message,
			`${reading.stopped} The host of the File URL may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.`,
		),
	);
}

/**
 * The error for an upload that failed (a timeout, a broken connection) while a file from a
 * URL was still being read into it: the API got an incomplete request, so nothing was stored.
 * When most of the Timeout went waiting for the file's host, the host is named; otherwise the
 * API's own error stays, saying that nothing was stored instead of "may or may not".
 */
export function explainUnfinishedUpload(error: unknown, files: readonly UploadFile[]): unknown {
	const code = transportFailureCode(error);
	// Not a failure of the connection, or one that proves nothing left (refused): its own error is right.
	if (code === undefined || !wasDropped(code)) return error;
	const reading = files.map((file) => readings.get(file)).find((candidate) => candidate && !candidate.done);
	if (!reading) return error;
	if (hostWaitMs(reading) * 2 >= reading.timeoutMs) return hostTooSlowError(reading, isTimeout(code) ? undefined : code);
	const apiError = error as Error & { description?: string };
	const { apiName } = reading;
	apiError.description = `${reading.stopped} ${
		isTimeout(code)
			? `${apiName} may be slow or down. Try again later, or raise Timeout (Milliseconds) in the node's Request Options.`
			: `${apiName} or the network between closed the connection. Try again later.`
	}`;
	return apiError;
}
