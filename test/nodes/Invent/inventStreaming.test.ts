/**
 * Invent's JSON body carries the file as base64; it is streamed (prefix, base64 chunks,
 * suffix) with its Content-Length known up front. Through the engine, in both binary
 * data modes: the double receives exactly the bytes the whole-string body would have had.
 */
import { sha256 } from '../../doubles/httpDouble';
import { InventDouble } from '../../doubles/invent';
import { runAgainst, useApiDoubles, useBinaryData } from '../../harness/apiDoubles';
import { watchStorageReads } from '../../harness/bufferWatch';
import type { BinaryMode, FixtureItem, RunResult } from '../../harness/engine';
import { JSON_FILE_READ_BYTES, WHOLE_FILE_MAX_BYTES } from '../../../nodes/shared/binary';
import { bytesOfSize } from '../../harness/fixtures';

const LARGE = 40 * 1024 * 1024 + 1; // 40 MB and one byte, so the base64 ends padded
const content = bytesOfSize(LARGE, 11);
const contentHash = sha256(content);

const invent = new InventDouble();
const { pkg } = useApiDoubles([invent], { binaryData: false });

function run(parameters: Record<string, unknown>, input: FixtureItem[]): Promise<RunResult> {
	const node = { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', ...parameters } };
	return runAgainst(invent, { pkg, node, input });
}

/** What the earlier body (one JSON.stringify of the whole object) was, byte for byte. */
function wholeStringBody(bytes: Buffer, name: string, type: string, allowedTypes?: string[]): Buffer {
	return Buffer.from(
		JSON.stringify({ file: { data: bytes.toString('base64'), name, type }, ...(allowedTypes ? { allowed_types: allowedTypes } : {}) }),
	);
}

describe.each<BinaryMode>(['filesystem', 'default'])('Invent upload streams its JSON body (%s binary mode)', (mode) => {
	useBinaryData(mode);

	it('sends a 40 MB file byte for byte with an exact Content-Length, not chunked', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		const { result, wholeReads, streamReads } = await watchStorageReads(
			async () =>
				await run({ contactId, options: { allowedTypes: 'application/*' } }, [
					{ files: [{ fileName: 'archive.zip', content, mimeType: 'application/zip' }] },
				]),
		);
		if (mode === 'filesystem') {
			// Read from binary storage as a stream, once; never as one buffer.
			expect(streamReads).toHaveLength(1);
			expect(wholeReads).toHaveLength(0);
		}

		expect(result.error).toBeUndefined();
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		if (mode === 'filesystem') expect(sourceItem.binary!.data.id).toMatch(/^filesystem/);
		else expect(sourceItem.binary!.data.id).toBeUndefined();

		const [request] = invent.requestsTo('POST', /\/files$/);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers['transfer-encoding']).toBeUndefined();
		expect(request.headers['content-length']).toBe(String(request.body.length));
		// The same bytes as the whole-string body: same keys, same order, same escaping.
		const expected = wholeStringBody(content, 'archive.zip', 'application/zip', ['application/*']);
		expect(request.body.length).toBe(expected.length);
		expect(sha256(request.body)).toBe(sha256(expected));
		// And the double decoded the file back to the input bytes.
		expect(invent.files).toHaveLength(1);
		expect(invent.files[0]).toMatchObject({ contactId, name: 'archive.zip', type: 'application/zip', source: 'direct' });
		expect(invent.files[0].sha256).toBe(contentHash);
		expect(result.items[0].json).toMatchObject({ file_filename: 'archive.zip', file_size: LARGE });
	});

	it('reads a stored file of one read whole and a bigger one as a stream, the same bytes either way', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		const small = bytesOfSize(WHOLE_FILE_MAX_BYTES, 31);
		const big = bytesOfSize(WHOLE_FILE_MAX_BYTES + 1, 32);
		const { result, wholeReads, streamReads } = await watchStorageReads(
			async () =>
				await run({ contactId }, [
					{ files: [{ fileName: 'small.bin', content: small, mimeType: 'application/octet-stream' }] },
					{ files: [{ fileName: 'big.bin', content: big, mimeType: 'application/octet-stream' }] },
				]),
		);
		if (mode === 'filesystem') {
			expect(wholeReads).toHaveLength(1);
			expect(streamReads).toHaveLength(1);
			expect(streamReads[0]).toEqual([expect.stringMatching(/^filesystem/), JSON_FILE_READ_BYTES]);
		}

		expect(result.error).toBeUndefined();
		const requests = invent.requestsTo('POST', /\/files$/);
		expect(requests).toHaveLength(2);
		// The two items run at once: each request is found by its file's name.
		for (const [bytes, name] of [
			[small, 'small.bin'],
			[big, 'big.bin'],
		] as const) {
			const request = requests.find((candidate) => candidate.body.includes(`"name":"${name}"`))!;
			expect(request.headers['transfer-encoding']).toBeUndefined();
			expect(request.headers['content-length']).toBe(String(request.body.length));
			expect(request.body.equals(wholeStringBody(bytes, name, 'application/octet-stream'))).toBe(true);
		}
	});

	it.each([0, 1, 2, 3, 4])('sends a %i-byte remainder past whole 3-byte groups exactly', async (extra) => {
		const [{ id: contactId }] = invent.addContacts(1);
		const bytes = bytesOfSize(3 * 70_000 + extra + (extra === 0 ? 3 : 0), 5 + extra);
		const name = 'Ünïcode "name" – résumé.pdf';
		const result = await run({ contactId }, [{ files: [{ fileName: name, content: bytes, mimeType: 'application/pdf' }] }]);

		expect(result.error).toBeUndefined();
		const [request] = invent.requestsTo('POST', /\/files$/);
		expect(request.body.equals(wholeStringBody(bytes, name, 'application/pdf'))).toBe(true);
		expect(request.headers['content-length']).toBe(String(request.body.length));
		expect(invent.files[0].sha256).toBe(sha256(bytes));
	});

	// A redirecting client would hold a streamed body whole in memory, and a file must not follow a redirect to another host.
	it.each([
		['a small file (one buffer)', 5000],
		['a bigger one (streamed)', WHOLE_FILE_MAX_BYTES + 1],
	])('does not follow a redirect of an upload: %s', async (_label, size) => {
		const [{ id: contactId }] = invent.addContacts(1);
		invent.failNext({
			kind: 'answer',
			name: 'redirect',
			response: { status: 307, body: Buffer.alloc(0), headers: { location: `${invent.url}/orgs/c/contacts/${contactId}/files` } },
		});
		const result = await run({ contactId }, [
			{ files: [{ fileName: 'a.pdf', content: bytesOfSize(size), mimeType: 'application/pdf' }] },
		]);

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.httpCode).toBe('307');
		expect(result.error?.description).toMatch(/redirect, which is not followed.*Base URL/);
		expect(invent.requests).toHaveLength(1);
		expect(invent.files).toHaveLength(0);
	});

	it('builds the body afresh for a retry after a rate limit', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		invent.rateLimitNext = 1;
		const bytes = bytesOfSize(300_001, 21);
		const result = await run({ contactId, requestOptions: { retryDelay: 1 } }, [
			{ files: [{ fileName: 'a.bin', content: bytes, mimeType: 'application/octet-stream' }] },
		]);

		expect(result.error).toBeUndefined();
		// Invent's rate limiter answered the first attempt (headers only); the second carried the whole body.
		expect(invent.requestsTo('POST', /\/files$/)).toHaveLength(2);
		expect(invent.files).toHaveLength(1);
		expect(invent.files[0].sha256).toBe(sha256(bytes));
	});
});
