// Bodies of requests and answers: streams, text, and the one reader of JSON text.

/** A body read as JSON, or `{ ok: false }` for text that is not JSON. */
export type JsonReading = { ok: true; value: unknown } | { ok: false };

/**
 * The one reader of JSON text: a string is parsed (spaces around it ignored); anything else
 * the HTTP client already parsed comes back as it is.
 */
export function readJson(body: unknown): JsonReading {
	if (typeof body !== 'string') return { ok: true, value: body };
	try {
		return { ok: true, value: JSON.parse(body.trim()) as unknown };
	} catch {
		return { ok: false };
	}
}

/** A body of text, whatever form the HTTP helper handed it over in. */
export function asText(body: unknown): unknown {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return body;
}

export function isEmptyBody(body: unknown): boolean {
	return body === undefined || body === null || (typeof body === 'string' && body.trim() === '');
}

/** An error page from a proxy or gateway rather than the API's own JSON. */
export function isHtml(body: unknown): body is string {
	return typeof body === 'string' && /^\s*<(!doctype|html|head|body|\?xml|h\d|title)/i.test(body);
}

/** A streamed body is consumed by its first send; it cannot be sent again. */
export function isStream(body: unknown): body is AsyncIterable<unknown> & { pipe: unknown; destroy?: () => void } {
	return body !== null && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
}

/** An error page is short; anything beyond this is not read, so a refused download is never held whole. */
const MAX_ERROR_TEXT_BYTES = 64 * 1024;

/** The start of a streamed error answer as text; the rest of the stream is dropped. */
export async function readErrorText(stream: AsyncIterable<unknown> & { destroy?: () => void }): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			chunks.push(bytes);
			size += bytes.length;
			if (size >= MAX_ERROR_TEXT_BYTES) break;
		}
	} catch {
		// A broken error answer still gets its status reported.
	} finally {
		stream.destroy?.();
	}
	return Buffer.concat(chunks).subarray(0, MAX_ERROR_TEXT_BYTES).toString('utf8');
}

/** Closes the files a streamed body still holds open after a failed attempt. */
export function releaseBody(body: unknown): void {
	if (isStream(body) && typeof body.destroy === 'function') {
		try {
			body.destroy();
		} catch {
			// Already closed.
		}
	}
}
