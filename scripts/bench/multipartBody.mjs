// The sink's reader of multipart/form-data upload bodies, for ./sink.mjs: busboy parses the
// parts; every file part is hashed (sha256) as it streams, never held; text fields are kept.

import { createHash } from 'node:crypto';

import busboy from 'busboy';

const FIELD_LIMIT = 64 * 1024;

/**
 * Counts the delimiters (`--boundary`) in a body as it streams. busboy passes over a part
 * without a form-data Content-Disposition, and reads a delimiter followed by anything but CRLF
 * or `--` as part data; each such part leaves the delimiter count above busboy's part count.
 */
class DelimiterCounter {
	constructor(boundary) {
		this.delimiter = Buffer.from(`--${boundary}`);
		this.tail = Buffer.alloc(0);
		this.count = 0;
	}

	write(chunk) {
		const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
		let end = 0;
		for (let at = data.indexOf(this.delimiter); at !== -1; at = data.indexOf(this.delimiter, end)) {
			this.count++;
			end = at + this.delimiter.length;
		}
		// Keep what could start a delimiter split across chunks (a copy: the chunk is not held).
		this.tail = Buffer.from(data.subarray(Math.max(end, data.length - (this.delimiter.length - 1))));
	}
}

/** The boundary of a multipart/form-data Content-Type; undefined for any other type. */
export function multipartBoundary(contentType) {
	if (!contentType.startsWith('multipart/form-data')) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Hashes one file part as it streams into `record` (size, sha256); its errors go to `fail`. */
function hashFilePart(stream, record, fail) {
	const hash = createHash('sha256');
	stream.on('data', (chunk) => {
		hash.update(chunk);
		record.size += chunk.length;
	});
	stream.once('end', () => (record.sha256 = hash.digest('hex')));
	stream.on('error', (err) => fail(`file part "${record.name}": ${err.message}`));
}

/**
 * A reader for one multipart body with this boundary: `write(chunk)` as the request streams,
 * then `await end()` → { error, fields: { name: value }, files: [{ name, filename, contentType, size, sha256 }] }.
 * An error is the first of: busboy's (malformed part header, body ended before the closing
 * boundary), a part without a name, a file part without a file name, a field over 64 KB, a
 * delimiter count that does not match the parts read.
 */
export function multipartReader(contentType) {
	const result = { error: undefined, fields: {}, files: [] };
	const fail = (message) => (result.error ??= message);
	const counter = new DelimiterCounter(multipartBoundary(contentType));
	let parts = 0;
	// preservePath: the file name exactly as sent; utf8: form-data writes names in UTF-8.
	const parser = busboy({ headers: { 'content-type': contentType }, preservePath: true, defParamCharset: 'utf8', limits: { fieldSize: FIELD_LIMIT } });
	const closed = new Promise((resolve) => parser.once('close', resolve));
	parser.on('field', (name, value, info) => {
		parts++;
		if (!name) return fail('part without form-data name');
		if (info.valueTruncated) fail(`field "${name}" is over ${FIELD_LIMIT / 1024} KB`);
		result.fields[name] = value;
	});
	parser.on('file', (name, stream, info) => {
		parts++;
		if (!name) fail('part without form-data name');
		if (info.filename === undefined) fail(`file part "${name}" has no file name`);
		const record = { name, filename: info.filename, contentType: info.mimeType, size: 0, sha256: undefined };
		result.files.push(record);
		hashFilePart(stream, record, fail);
	});
	// `on`: busboy may emit more than one error (a malformed header, then the body's end).
	parser.on('error', (err) => fail(err.message));
	return {
		write(chunk) {
			counter.write(chunk);
			if (!parser.destroyed) parser.write(chunk);
		},
		async end() {
			if (!parser.destroyed) parser.end();
			await closed;
			// Every delimiter but the closing one opens a part.
			if (counter.count - 1 !== parts) fail(`${counter.count - 1} parts in the body but ${parts} read: a part without a form-data Content-Disposition, or no CRLF after a delimiter`);
			return result;
		},
	};
}
