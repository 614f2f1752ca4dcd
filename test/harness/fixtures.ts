import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

export function fixture(name: string): Buffer {
	return readFileSync(path.join(FIXTURES, name));
}

/** Deterministic pseudo-random bytes, so large files are cheap to make and to compare. */
export function bytesOfSize(size: number, seed = 1): Buffer {
	const buffer = Buffer.alloc(size);
	let state = seed;
	for (let index = 0; index < size; index++) {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		buffer[index] = state >> 16;
	}
	return buffer;
}
