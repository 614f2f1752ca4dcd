import type { IDataObject } from 'n8n-workflow';

import type { StreamedBody } from '../transport';
import type { BinaryFile, BinaryStream } from './binaryInput';
import { WHOLE_FILE_MAX_BYTES } from './binaryInput';
import { streamFrom } from './streams';

/** Bytes of file encoded per step: a multiple of 3, so each step is whole base64 (64 KiB of text). */
export const BASE64_SLICE_BYTES = 3 * 16 * 1024;

/**
 * Largest read from binary storage for a JSON body: three base64 slices. A chunk read is let go
 * once its slices are encoded, and one that outlives many slices' encoding is kept until a full
 * garbage collection: larger reads raise peak memory, a single slice per read costs time.
 */
export const JSON_FILE_READ_BYTES = 3 * BASE64_SLICE_BYTES;

/** Length of the base64 text of `size` bytes, padding included. */
export function base64Length(size: number): number {
	return 4 * Math.ceil(size / 3);
}

/**
 * Base64 of a byte source, chunk by chunk, exactly as `buffer.toString('base64')` would
 * give it whole: each step encodes a multiple of 3 bytes and carries the 0–2 bytes left
 * over into the next, so padding appears only at the very end.
 */
export async function* base64Chunks(
	source: Buffer | AsyncIterable<Buffer | Uint8Array | string>,
	sliceBytes = BASE64_SLICE_BYTES,
): AsyncGenerator<Buffer> {
	const step = Math.max(3, sliceBytes - (sliceBytes % 3));
	if (Buffer.isBuffer(source)) {
		for (let offset = 0; offset < source.length; offset += step) {
			yield Buffer.from(source.subarray(offset, offset + step).toString('base64'), 'latin1');
		}
		return;
	}
	const encode = (bytes: Buffer) => Buffer.from(bytes.toString('base64'), 'latin1');
	let carry: Buffer = Buffer.alloc(0);
	for await (const chunk of source) {
		let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		if (carry.length > 0) {
			// Complete the leftover group with the chunk's first bytes rather than copying the chunk.
			const need = 3 - carry.length;
			if (bytes.length < need) {
				carry = Buffer.concat([carry, bytes]);
				continue;
			}
			yield encode(Buffer.concat([carry, bytes.subarray(0, need)]));
			bytes = bytes.subarray(need);
		}
		const whole = bytes.length - (bytes.length % 3);
		// Encoded in slices, so each base64 string stays small and short-lived.
		for (let offset = 0; offset < whole; offset += step) {
			yield encode(bytes.subarray(offset, Math.min(whole, offset + step)));
		}
		// Copied: the source may reuse its chunk's memory.
		carry = Buffer.from(bytes.subarray(whole));
	}
	if (carry.length > 0) yield encode(carry);
}

/** A JSON body whose one file travels base64 inside it, streamed rather than built as one string. */
export interface JsonFileBody {
	/** Exact byte length of the body, known before any byte of the file is read. */
	contentLength: number;
	/**
	 * A fresh body: prefix, the file's base64, suffix. Call once per attempt. A stream, or for a
	 * file already whole in memory and at most WHOLE_FILE_MAX_BYTES, one buffer.
	 */
	open(): Promise<BinaryStream | Buffer>;
}

/** `JSON.stringify(shape(data))` split around the string value `data`, whatever else the object holds. */
function splitAroundData(shape: (data: string) => IDataObject): [prefix: string, suffix: string] {
	for (let attempt = 0; ; attempt++) {
		const placeholder = `\u0000file-data-${attempt}\u0000`;
		const text = JSON.stringify(shape(placeholder));
		const quoted = JSON.stringify(placeholder);
		const at = text.indexOf(quoted);
		// Unique, so a file name or other value that happens to contain it cannot be mistaken for it.
		if (at !== -1 && at === text.lastIndexOf(quoted)) {
			return [`${text.slice(0, at)}"`, `"${text.slice(at + quoted.length)}`];
		}
		if (at === -1) throw new Error('The JSON body shape does not contain the file data');
	}
}

/**
 * A JSON body built by `shape`, in which the string `data` it is given becomes the file's
 * base64. The bytes are identical to `JSON.stringify(shape(file.toString('base64')))`, but
 * the file is read from binary storage as it is sent (or, already in memory, encoded in
 * slices) so neither the file nor its base64 is ever held whole.
 */
export function jsonFileBody(file: BinaryFile, shape: (data: string) => IDataObject): JsonFileBody {
	const [prefix, suffix] = splitAroundData(shape).map((part) => Buffer.from(part, 'utf8'));
	const dataLength = base64Length(file.size);
	const contentLength = prefix.length + dataLength + suffix.length;

	/** The Content-Length was promised up front: a file that changed size must not be sent short or long. */
	function assertPromisedSize(size: number): void {
		if (size !== file.size) {
			throw new Error(`The file "${file.fileName}" changed size while it was being sent (expected ${file.size} bytes)`);
		}
	}

	async function* bodyChunks(source: Buffer | BinaryStream): AsyncGenerator<Buffer> {
		let read = 0;
		async function* counted(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
			for await (const chunk of stream) {
				read += chunk.length;
				yield chunk;
			}
		}
		yield prefix;
		if (Buffer.isBuffer(source)) {
			read = source.length;
			yield* base64Chunks(source);
		} else {
			yield* base64Chunks(counted(source as AsyncIterable<Buffer>));
		}
		assertPromisedSize(read);
		yield suffix;
	}

	/**
	 * A small file's body as one buffer, its base64 written in slices straight into it: one
	 * allocation and no stream, instead of a buffer and a stream step per slice, which makes
	 * small uploads cheaper.
	 */
	function bodyInOneBuffer(bytes: Buffer): Buffer {
		assertPromisedSize(bytes.length);
		const body = Buffer.allocUnsafe(contentLength);
		let written = prefix.copy(body, 0);
		for (let offset = 0; offset < bytes.length; offset += BASE64_SLICE_BYTES) {
			written += body.write(bytes.subarray(offset, offset + BASE64_SLICE_BYTES).toString('base64'), written, 'latin1');
		}
		suffix.copy(body, written);
		return body;
	}

	return {
		contentLength,
		async open() {
			const source = await file.open(JSON_FILE_READ_BYTES);
			// A bigger file in memory (n8n's default binary mode) is still streamed: its body whole would add 4/3 of its size.
			if (Buffer.isBuffer(source) && source.length <= WHOLE_FILE_MAX_BYTES) return bodyInOneBuffer(source);
			return streamFrom(bodyChunks(source));
		},
	};
}

/** The JSON file body as a request body, its length stated so it is not sent chunked. */
export function jsonFileRequestBody(body: JsonFileBody): StreamedBody {
	return {
		headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.contentLength) },
		buildBody: async () => await body.open(),
	};
}
