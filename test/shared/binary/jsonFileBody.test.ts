/**
 * The streamed JSON body with a base64 file inside (nodes/shared/binary/jsonFileBody.ts): exactly
 * the bytes JSON.stringify would give, for every size around the 3-byte groups and slices.
 */
import { Readable } from 'node:stream';

import type { BinaryFile } from '../../../nodes/shared/binary';
import {
	BASE64_SLICE_BYTES,
	WHOLE_FILE_MAX_BYTES,
	base64Chunks,
	base64Length,
	jsonFileBody,
} from '../../../nodes/shared/binary';
import { bytesOfSize } from '../../harness/fixtures';

/** A body's bytes, whether it was built as one buffer or is a stream. */
async function bodyBytes(body: Buffer | AsyncIterable<Buffer | string>): Promise<Buffer> {
	return Buffer.isBuffer(body) ? body : await collect(body);
}

async function collect(chunks: AsyncIterable<Buffer | string>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const chunk of chunks) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(parts);
}

/** The bytes in chunks of the given sizes, cycling, as a file stream would hand them over. */
async function* inChunks(bytes: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
	let offset = 0;
	for (let index = 0; offset < bytes.length; index++) {
		const size = sizes[index % sizes.length];
		yield bytes.subarray(offset, offset + size);
		offset += size;
	}
}

function fakeFile(bytes: Buffer, { fromDisk, fileName = 'report.pdf' }: { fromDisk: boolean; fileName?: string }): BinaryFile {
	return {
		itemIndex: 0,
		propertyName: 'data',
		fileName,
		mimeType: 'application/pdf',
		size: bytes.length,
		// From disk: a real Node stream in 64 KiB chunks, as binary storage gives it.
		open: async () => (fromDisk ? Readable.from(inChunks(bytes, [64 * 1024]), { objectMode: false }) : bytes),
		readAll: async () => bytes,
	} as BinaryFile;
}

const SIZES = [0, 1, 2, 3, 4, 5, 6, 7, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, BASE64_SLICE_BYTES - 1, BASE64_SLICE_BYTES, BASE64_SLICE_BYTES + 1, 3 * BASE64_SLICE_BYTES + 2];

describe('base64Chunks', () => {
	it.each(SIZES)('encodes %i bytes from one buffer exactly as toString("base64")', async (size) => {
		const bytes = bytesOfSize(size, size + 1);
		const encoded = await collect(base64Chunks(bytes));
		expect(encoded.toString('latin1')).toBe(bytes.toString('base64'));
		expect(encoded.length).toBe(base64Length(size));
	});

	it.each(SIZES)('encodes %i bytes from odd-sized stream chunks exactly as toString("base64")', async (size) => {
		const bytes = bytesOfSize(size, size + 2);
		const tiny = size < 1000 ? [[1], [2]] : [];
		for (const sizes of [...tiny, [4], [5, 7, 1, 2], [64 * 1024], [64 * 1024 + 1, 3, 2]]) {
			const encoded = await collect(base64Chunks(inChunks(bytes, sizes)));
			expect(encoded.toString('latin1')).toBe(bytes.toString('base64'));
		}
	});

	it('never yields more than one slice of text at a time from a buffer', async () => {
		const bytes = bytesOfSize(5 * BASE64_SLICE_BYTES + 1);
		const lengths: number[] = [];
		for await (const chunk of base64Chunks(bytes)) lengths.push(chunk.length);
		expect(Math.max(...lengths)).toBe(base64Length(BASE64_SLICE_BYTES));
		expect(lengths).toHaveLength(6);
	});
});

describe('jsonFileBody', () => {
	const shape = (name: string) => (data: string) => ({
		file: { data, name, type: 'application/pdf' },
		allowed_types: ['application/pdf', 'image/*'],
	});

	const name = 'Ünïcode "quoted" \u0000file-data-0\u0000.pdf';
	const sizes = [0, 1, 2, 3, 4, 64 * 1024 + 1, 2 * BASE64_SLICE_BYTES + 1, WHOLE_FILE_MAX_BYTES, WHOLE_FILE_MAX_BYTES + 1];

	it.each([
		['in memory', false],
		['from disk', true],
	])('sends the same bytes as JSON.stringify, with the length known up front (%s)', async (_label, fromDisk) => {
		for (const size of sizes) {
			const bytes = bytesOfSize(size, 9);
			const body = jsonFileBody(fakeFile(bytes, { fromDisk }), shape(name));
			const expected = Buffer.from(JSON.stringify(shape(name)(bytes.toString('base64'))));

			const sent = await body.open();
			// A small file already in memory becomes one buffer; anything else is streamed as it is read.
			expect(Buffer.isBuffer(sent)).toBe(!fromDisk && size <= WHOLE_FILE_MAX_BYTES);
			expect((await bodyBytes(sent)).equals(expected)).toBe(true);
			expect(body.contentLength).toBe(expected.length);
			// Opened again for a retry: the same bytes.
			expect((await bodyBytes(await body.open())).equals(expected)).toBe(true);
		}
	});

	it.each([
		['streamed', true],
		['in one buffer', false],
	])('fails rather than send a body of another length when the file changed size (%s)', async (_label, fromDisk) => {
		const bytes = bytesOfSize(10);
		const file = { ...fakeFile(bytes, { fromDisk }), size: 12 };
		const body = jsonFileBody(file, shape('a.pdf'));
		await expect(body.open().then(bodyBytes)).rejects.toThrow('changed size');
	});
});
