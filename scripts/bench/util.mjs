// Small helpers the benchmark's files share: logging, medians, generated input files.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MB = 1024 * 1024;

export const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

export function median(values) {
	const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of each of `fields` over `samples` (objects with those fields). */
export function medians(samples, fields) {
	return Object.fromEntries(fields.map((field) => [field, median(samples.map((s) => s[field]))]));
}

/** Writes `size` random bytes (after `head`) to `file`; returns { file, size, sha256, fileName }. */
export function writeRandomFile(file, size, head = Buffer.alloc(0)) {
	const hash = createHash('sha256');
	const fd = fs.openSync(file, 'w');
	try {
		let left = size;
		let first = head.length > 0 ? head : undefined;
		while (left > 0) {
			const chunk = first ?? randomBytes(Math.min(left, MB));
			first = undefined;
			const bytes = chunk.subarray(0, Math.min(chunk.length, left));
			fs.writeSync(fd, bytes);
			hash.update(bytes);
			left -= bytes.length;
		}
	} finally {
		fs.closeSync(fd);
	}
	return { file, size, sha256: hash.digest('hex'), fileName: path.basename(file) };
}

/** The JSON body Invent gets for `source` (`{ file: { data, name, type } }`), written streaming, for curl. */
export function writeInventJson(source, file) {
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeSync(fd, '{"file":{"data":"');
		const input = fs.openSync(source.file, 'r');
		const buffer = Buffer.alloc(3 * MB);
		for (;;) {
			const n = fs.readSync(input, buffer, 0, buffer.length, null);
			if (n === 0) break;
			fs.writeSync(fd, buffer.subarray(0, n).toString('base64'));
		}
		fs.closeSync(input);
		fs.writeSync(fd, `","name":${JSON.stringify(source.fileName)},"type":"application/octet-stream"}}`);
	} finally {
		fs.closeSync(fd);
	}
	return file;
}
