// The sink's reader of Invent's upload body (JSON with the file as base64), for ./sink.mjs.

import { createHash } from 'node:crypto';

const SMALL_VALUE_LIMIT = 64 * 1024; // the JSON outside the file data

/**
 * Streaming parser for a JSON body carrying one file as `"data":"<base64>"` (Invent's
 * `{ file: { data, name, type } }`): the base64 is decoded and hashed as it arrives; the rest
 * of the JSON is kept and parsed at the end with the data string emptied.
 */
export class JsonBase64Hasher {
	constructor() {
		this.state = 'head';
		this.head = '';
		this.tail = '';
		this.carry = '';
		this.base64Chars = 0;
		this.lastChars = '';
		this.size = 0;
		this.hash = createHash('sha256');
		this.error = undefined;
	}

	write(chunk) {
		if (this.error) return;
		let text = chunk.toString('latin1');
		if (this.state === 'head') {
			this.head += text;
			const match = /"data"\s*:\s*"/.exec(this.head);
			if (!match) {
				if (this.head.length > SMALL_VALUE_LIMIT) this.error = 'no "data" string in the first 64 KB';
				return;
			}
			text = this.head.slice(match.index + match[0].length);
			this.head = this.head.slice(0, match.index + match[0].length);
			this.state = 'data';
		}
		if (this.state === 'data') {
			const quote = text.indexOf('"');
			this.decode(quote === -1 ? text : text.slice(0, quote));
			if (quote === -1) return;
			text = text.slice(quote);
			this.state = 'tail';
		}
		if (this.tail.length < SMALL_VALUE_LIMIT) this.tail += text;
	}

	decode(text) {
		this.base64Chars += text.length;
		// Padding sits at the very end of the data: remember the last two characters seen.
		this.lastChars = (this.lastChars + text).slice(-2);
		const all = this.carry + text;
		const whole = all.length - (all.length % 4);
		if (whole > 0) {
			const bytes = Buffer.from(all.slice(0, whole), 'base64');
			this.hash.update(bytes);
			this.size += bytes.length;
		}
		this.carry = all.slice(whole);
	}

	end() {
		if (!this.error && this.state !== 'tail') this.error = 'body ended inside the JSON or before the data string';
		if (!this.error && this.carry.length > 0) this.error = 'base64 length is not a multiple of 4';
		let json;
		if (!this.error) {
			try {
				// Kept as latin1 (one character per byte); the JSON itself is UTF-8.
				json = JSON.parse(Buffer.from(this.head + this.tail, 'latin1').toString('utf8'));
			} catch (err) {
				this.error = `not valid JSON around the data string: ${err.message}`;
			}
		}
		// Node's decoder skips characters outside the alphabet: the decoded size gives them away.
		const padding = (this.lastChars.match(/=/g) ?? []).length;
		const expectedSize = (this.base64Chars / 4) * 3 - padding;
		if (!this.error && expectedSize !== this.size) this.error = `base64 holds characters outside the alphabet (${this.size} bytes decoded, ${expectedSize} expected)`;
		const file = json?.file ?? {};
		return {
			error: this.error,
			json: json === undefined ? undefined : { ...json, file: { ...file, data: '<streamed>' } },
			files: this.error ? [] : [{ name: 'file.data', filename: file.name, contentType: file.type, size: this.size, sha256: this.hash.digest('hex') }],
		};
	}
}
