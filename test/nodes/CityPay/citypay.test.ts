
import { CITYPAY_TOKEN, CityPayDouble, CityPayFileHost } from '../../doubles/citypay';
import { sha256 } from '../../doubles/httpDouble';
import { runAgainst, useApiDoubles, useBinaryData } from '../../harness/apiDoubles';
import { testCredential } from '../../harness/credentialTest';
import type { FixtureItem, RunResult } from '../../harness/engine';
import { readOutputBinary } from '../../harness/engine';
import { isStreamLike, watchBuffers, watchStorageReads } from '../../harness/bufferWatch';
import { bytesOfSize, fixture } from '../../harness/fixtures';
import { STORAGE_READ_BYTES, WHOLE_FILE_MAX_BYTES } from '../../../nodes/shared/binary';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');

const citypay = new CityPayDouble();
const fileHost = new CityPayFileHost(() => citypay.attachments);
const { pkg } = useApiDoubles([citypay, fileHost]);

function run(
	parameters: Record<string, unknown>,
	input: FixtureItem[] = [{}],
	{ continueOnFail = false, token = CITYPAY_TOKEN } = {},
): Promise<RunResult> {
	const node = { type: 'cityPay', parameters: { resource: 'attachment', ...parameters }, continueOnFail };
	return runAgainst(citypay, { pkg, node, input }, { token });
}

const pdfItem: FixtureItem = { files: [{ fileName: 'invoice.pdf', content: pdf }] };

/** The query string of each list request, as [name, value] pairs. */
function listQueries(): Array<Array<[string, string]>> {
	return citypay.requestsTo('GET', /^\/attachments$/).map((request) => [...request.query.entries()]);
}

describe('round trip', () => {
	it('upload → get → rename → get many → download → delete keeps the bytes intact', async () => {
		citypay.fileHost = fileHost;

		const uploaded = await run({ operation: 'upload' }, [pdfItem]);
		expect(uploaded.error).toBeUndefined();
		expect(citypay.attachments).toHaveLength(1);
		const [stored] = citypay.attachments;
		expect(stored).toMatchObject({ filename: 'invoice.pdf', file_type: 'application/pdf', sha256: sha256(pdf) });
		const id = uploaded.items[0].json.id as string;
		expect(id).toBe(stored.id);
		expect(uploaded.items[0].json).toMatchObject({ filename: 'invoice.pdf', file_size: pdf.length });

		const got = await run({ operation: 'get', attachmentId: id });
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toEqual(uploaded.items[0].json);

		const renamed = await run({ operation: 'rename', attachmentId: id, fileName: 'Invoice March.pdf' });
		expect(renamed.error).toBeUndefined();
		const [put] = citypay.requestsTo('PUT', /^\/attachments\//);
		expect(put.path).toBe(`/attachments/${encodeURIComponent(id)}`);
		expect(put.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(put.body.toString()).toBe('filename=Invoice+March.pdf');
		expect(renamed.items[0].json).toMatchObject({ id, filename: 'Invoice March.pdf', file_size: pdf.length });
		expect(citypay.attachments[0].sha256).toBe(sha256(pdf));

		const listed = await run({ operation: 'getMany', returnAll: true });
		expect(listed.items.map((item) => item.json)).toEqual([renamed.items[0].json]);

		const downloaded = await run({ operation: 'download', attachmentId: id });
		expect(downloaded.error).toBeUndefined();
		const binary = downloaded.items[0].binary!.data;
		expect(binary).toMatchObject({ fileName: 'Invoice March.pdf', mimeType: 'application/pdf' });
		expect(binary.id).toMatch(/^filesystem/);
		expect(sha256(await readOutputBinary(downloaded.items[0]))).toBe(sha256(pdf));
		expect(downloaded.items[0].json).toEqual(renamed.items[0].json);
		expect(fileHost.requests).toHaveLength(1);
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();

		const deleted = await run({ operation: 'delete', attachmentId: id });
		expect(deleted.error).toBeUndefined();
		expect(deleted.items[0].json).toEqual({ id, deleted: true });
		expect(citypay.attachments).toHaveLength(0);

		const gone = await run({ operation: 'get', attachmentId: id });
		expect(gone.error?.message).toBe(`No attachment with ID "${id}"`);
		for (const request of citypay.requests) expect(request.headers.authorization).toBe(`Bearer ${CITYPAY_TOKEN}`);
	});
});

describe('Attachment → Upload', () => {
	it('sends one multipart part named file, with name, type and an exact length', async () => {
		const result = await run({ operation: 'upload' }, [{ files: [{ fileName: 'logo.png', content: png }] }]);

		expect(result.error).toBeUndefined();
		const [request] = citypay.requestsTo('POST', /^\/attachments$/);
		expect(request.headers.authorization).toBe(`Bearer ${CITYPAY_TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.headers['content-length']).toBe(String(request.body.length));
		expect(citypay.attachments[0]).toMatchObject({ filename: 'logo.png', file_type: 'image/png', sha256: sha256(png) });
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('gives every upload its own boundary, the one its Content-Type names', async () => {
		const result = await run({ operation: 'upload' }, [
			{ files: [{ fileName: 'a.png', content: png }] },
			{ files: [{ fileName: 'b.png', content: png }] },
		]);

		expect(result.error).toBeUndefined();
		const requests = citypay.requestsTo('POST', /^\/attachments$/);
		expect(requests).toHaveLength(2);
		const boundaries = requests.map((request) => {
			const boundary = /boundary=(\S+)$/.exec(String(request.headers['content-type']))?.[1] ?? '';
			const body = request.body.toString('latin1');
			expect(body.startsWith(`--${boundary}\r\n`)).toBe(true);
			expect(body.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
			expect(request.headers['content-length']).toBe(String(request.body.length));
			return boundary;
		});
		expect(boundaries[0]).not.toBe(boundaries[1]);
		expect(boundaries[0].length).toBeGreaterThanOrEqual(24);
	});

	it('reads a stored file of one read whole and a bigger one as a stream, the same bytes either way', async () => {
		const small = bytesOfSize(WHOLE_FILE_MAX_BYTES, 33);
		const big = bytesOfSize(WHOLE_FILE_MAX_BYTES + 1, 34);
		const { result, wholeReads, streamReads } = await watchStorageReads(
			async () =>
				await run({ operation: 'upload' }, [
					{ files: [{ fileName: 'small.bin', content: small }] },
					{ files: [{ fileName: 'big.bin', content: big }] },
				]),
		);
		expect(wholeReads).toHaveLength(1);
		expect(streamReads).toHaveLength(1);
		expect(streamReads[0]).toEqual([expect.stringMatching(/^filesystem/), STORAGE_READ_BYTES]);

		expect(result.error).toBeUndefined();
		const requests = citypay.requestsTo('POST', /^\/attachments$/);
		expect(requests.map((request) => request.headers['content-length'])).toEqual(requests.map((request) => String(request.body.length)));
		expect(requests.every((request) => request.headers['transfer-encoding'] === undefined)).toBe(true);
		// The two items run at once: compare by name.
		expect(citypay.attachments.map((attachment) => [attachment.filename, attachment.sha256]).sort()).toEqual([
			['big.bin', sha256(big)],
			['small.bin', sha256(small)],
		]);
	});

	it('streams a multi-MB file from filesystem storage byte for byte', async () => {
		const big = bytesOfSize(6 * 1024 * 1024 + 7, 42);
		const result = await run({ operation: 'upload' }, [{ files: [{ fileName: 'backup.bin', content: big }] }]);

		expect(result.error).toBeUndefined();
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toMatch(/^filesystem/);
		const [request] = citypay.requests;
		expect(request.headers['transfer-encoding']).toBeUndefined();
		expect(Number(request.headers['content-length'])).toBeGreaterThan(big.length);
		expect(citypay.attachments[0]).toMatchObject({ filename: 'backup.bin', sha256: sha256(big) });
		expect(result.items[0].json.file_size).toBe(big.length);
	});

	it('applies the file name override and reads the named binary property', async () => {
		await run({ operation: 'upload', binaryPropertyName: 'attachment', options: { fileName: 'room-service.pdf' } }, [
			{ files: [{ property: 'attachment', fileName: 'invoice.pdf', content: pdf }] },
		]);
		expect(citypay.attachments[0]).toMatchObject({ filename: 'room-service.pdf', sha256: sha256(pdf) });
	});

	it('refuses a missing binary property and an empty file before sending', async () => {
		const missing = await run({ operation: 'upload', binaryPropertyName: 'file' }, [pdfItem]);
		expect(missing.error?.message).toBe('No binary field "file" on item 0');
		expect(missing.error?.description).toContain('"data"');

		const empty = await run({ operation: 'upload' }, [{ files: [{ fileName: 'empty.pdf', content: Buffer.alloc(0) }] }]);
		expect(empty.error?.message).toBe('File "empty.pdf" is empty (0 bytes) on item 0');
		expect(citypay.requests).toHaveLength(0);
	});
});

describe('Attachment → Get Many', () => {
	const ids = () => citypay.attachments.map((attachment) => attachment.id);

	describe('over 25 attachments with a page size of 10', () => {
		beforeEach(() => {
			citypay.addAttachments(25);
			citypay.maxPageSize = 10;
		});

		it('Return All gives all 25 in order and stops when has_more is false', async () => {
			const result = await run({ operation: 'getMany', returnAll: true });

			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.id)).toEqual(ids());
			expect(listQueries()).toEqual([
				[['limit', '100']],
				[
					['limit', '100'],
					['starting_after', ids()[9]],
				],
				[
					['limit', '100'],
					['starting_after', ids()[19]],
				],
			]);
			expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('Limit 12 gives exactly 12 with 2 requests', async () => {
			const result = await run({ operation: 'getMany', returnAll: false, limit: 12 });

			expect(result.items.map((item) => item.json.id)).toEqual(ids().slice(0, 12));
			expect(listQueries()).toEqual([
				[['limit', '12']],
				[
					['limit', '2'],
					['starting_after', ids()[9]],
				],
			]);
		});

		it('a Limit above the total returns what exists', async () => {
			const result = await run({ operation: 'getMany', limit: 40 });
			expect(result.items).toHaveLength(25);
			expect(listQueries()).toHaveLength(3);
		});
	});

	it('asks for the Limit in one page when the server gives full pages', async () => {
		citypay.addAttachments(25);
		const result = await run({ operation: 'getMany', limit: 12 });
		expect(result.items).toHaveLength(12);
		expect(listQueries()).toEqual([[['limit', '12']]]);
	});

	it('Return All asks for pages of at most 100', async () => {
		citypay.addAttachments(250);
		const result = await run({ operation: 'getMany', returnAll: true });
		expect(result.items.map((item) => item.json.id)).toEqual(ids());
		expect(listQueries().map((query) => query[0])).toEqual([
			['limit', '100'],
			['limit', '100'],
			['limit', '100'],
		]);
	});

	it('filters by conversation', async () => {
		citypay.addAttachments(5, 'conv_A');
		const inB = citypay.addAttachments(7, 'conv_B');
		citypay.addAttachments(3);

		const result = await run({ operation: 'getMany', returnAll: true, conversationId: ' conv_B ' });
		expect(result.items.map((item) => item.json.id)).toEqual(inB.map((attachment) => attachment.id));
		expect(listQueries()).toEqual([
			[
				['limit', '100'],
				['conversation_id', 'conv_B'],
			],
		]);
	});

	it('fails cleanly when the server repeats a cursor page', async () => {
		citypay.addAttachments(25);
		citypay.maxPageSize = 10;
		citypay.repeatCursorPages = true;

		const result = await run({ operation: 'getMany', returnAll: true });
		expect(result.error?.message).toBe(`CityPay repeated a page of attachments (after "${ids()[9]}") on item 0`);
		expect(result.error?.description).toMatch(/Stopped after 20 attachments/);
		expect(listQueries()).toHaveLength(2);
	});

	it('one output item per attachment, paired with the input item that asked', async () => {
		const inA = citypay.addAttachments(2, 'conv_A');
		const inB = citypay.addAttachments(3, 'conv_B');
		const result = await run({ operation: 'getMany', returnAll: true, conversationId: '={{ $json.conversation }}' }, [
			{ json: { conversation: 'conv_A' } },
			{ json: { conversation: 'conv_B' } },
		]);
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			...inA.map((attachment) => [attachment.id, { item: 0 }]),
			...inB.map((attachment) => [attachment.id, { item: 1 }]),
		]);
	});
});

describe('Attachment → Download', () => {
	let id: string;
	beforeEach(() => {
		[{ id }] = citypay.addAttachments(1);
		Object.assign(citypay.attachments[0], { filename: 'logo.png', file_type: 'image/png', bytes: png });
	});

	it('fetches a file on another origin without the CityPay token', async () => {
		citypay.fileHost = fileHost;
		const result = await run({ operation: 'download', attachmentId: id, binaryPropertyName: 'picture' });

		expect(result.error).toBeUndefined();
		expect(fileHost.requests).toHaveLength(1);
		expect(fileHost.requests[0].path).toBe(`/files/${encodeURIComponent(id)}/logo.png`);
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();
		expect(JSON.stringify(fileHost.requests[0].headers)).not.toContain(CITYPAY_TOKEN);
		expect(citypay.requests.map((request) => request.path)).toEqual([`/attachments/${encodeURIComponent(id)}`]);
		expect(result.items[0].binary!.picture).toMatchObject({ fileName: 'logo.png', mimeType: 'image/png' });
		expect(await readOutputBinary(result.items[0], 'picture')).toEqual(png);
	});

	it('sends the token for a file on the API origin, which requires it', async () => {
		const result = await run({ operation: 'download', attachmentId: id });

		expect(result.error).toBeUndefined();
		const [, fileRequest] = citypay.requests;
		expect(fileRequest.path).toBe(`/files/${encodeURIComponent(id)}/logo.png`);
		expect(fileRequest.headers.authorization).toBe(`Bearer ${CITYPAY_TOKEN}`);
		expect(sha256(await readOutputBinary(result.items[0]))).toBe(sha256(png));
	});

	it('does not carry the token across a redirect to another origin', async () => {
		citypay.fileHost = fileHost;
		citypay.redirectFilesToHost = true;
		const result = await run({ operation: 'download', attachmentId: id });

		expect(result.error).toBeUndefined();
		expect(citypay.requests.map((request) => request.path)).toEqual([
			`/attachments/${encodeURIComponent(id)}`,
			`/files/${encodeURIComponent(id)}/logo.png`,
		]);
		expect(fileHost.requests).toHaveLength(1);
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();
		expect(await readOutputBinary(result.items[0])).toEqual(png);
	});

	it('surfaces a file that is gone from the file host', async () => {
		citypay.fileHost = fileHost;
		const [missing] = citypay.addAttachments(1);
		const realAttachments = () => citypay.attachments.filter((attachment) => attachment.id !== missing.id);
		const host = await new CityPayFileHost(realAttachments).start();
		citypay.fileHost = host;
		try {
			const result = await run({ operation: 'download', attachmentId: missing.id });
			expect(result.error?.message).toBe('File not found');
			expect(result.error?.httpCode).toBe('404');
			expect(result.error?.description).toMatch(/file URL may have expired/);
			expect(host.requests[0].headers.authorization).toBeUndefined();
		} finally {
			await host.stop();
		}
	});

	it('streams a 20 MB file from the file host into binary data byte for byte, never as one buffer', async () => {
		const big = bytesOfSize(20 * 1024 * 1024, 11);
		Object.assign(citypay.attachments[0], { filename: 'recording.mp4', file_type: 'video/mp4', bytes: big });
		citypay.fileHost = fileHost;
		const { result, stored, largestBuffer } = await watchBuffers(async () => await run({ operation: 'download', attachmentId: id }));

		expect(result.error).toBeUndefined();
		expect(stored).toHaveLength(1);
		expect(isStreamLike(stored[0])).toBe(true);
		expect(largestBuffer).toBeLessThan(1024 * 1024);
		expect(result.items[0].binary!.data).toMatchObject({ fileName: 'recording.mp4', mimeType: 'video/mp4' });
		expect(sha256(await readOutputBinary(result.items[0]))).toBe(sha256(big));
	});

	it('refuses an empty output field before sending', async () => {
		const result = await run({ operation: 'download', attachmentId: id, binaryPropertyName: ' ' });
		expect(result.error?.message).toBe('Put Output File in Field is empty on item 0');
		expect(citypay.requests).toHaveLength(0);
	});
});

describe('refusals and errors', () => {
	it.each(['get', 'delete', 'rename', 'download'])('%s refuses an empty Attachment ID before sending', async (operation) => {
		const result = await run({ operation, attachmentId: '   ', fileName: 'ok.pdf' });
		expect(result.error?.message).toBe('Attachment ID is empty on item 0');
		expect(citypay.requests).toHaveLength(0);
	});

	it.each([
		['', 'New File Name is empty on item 0'],
		['   ', 'New File Name is empty on item 0'],
		['reports/march.pdf', 'New File Name "reports/march.pdf" contains a path separator on item 0'],
		['reports\\march.pdf', 'New File Name "reports\\march.pdf" contains a path separator on item 0'],
		['..', 'New File Name ".." is not a file name on item 0'],
	])('rename refuses the name %j before sending', async (fileName, message) => {
		const [{ id }] = citypay.addAttachments(1);
		// Through an expression, as n8n itself blocks a literally empty required field.
		const result = await run({ operation: 'rename', attachmentId: id, fileName: '={{ $json.fileName }}' }, [
			{ json: { fileName } },
		]);
		expect(result.error?.message).toBe(message);
		expect(citypay.requests).toHaveLength(0);
		expect(citypay.attachments[0].filename).toBe('file-1.txt');
	});

	it("surfaces CityPay's 404 message and encodes the ID as one path segment", async () => {
		const result = await run({ operation: 'get', attachmentId: 'a/b?c#d' });
		expect(citypay.requests.map((request) => request.path)).toEqual(['/attachments/a%2Fb%3Fc%23d']);
		expect(result.error?.message).toBe('No attachment with ID "a/b?c#d"');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/Check the Attachment ID/);
	});

	it('surfaces a wrong token without echoing it', async () => {
		const result = await run({ operation: 'getMany', returnAll: true }, [{}], { token: 'wrong-token-123' });
		expect(result.error?.message).toBe('Invalid or missing API token');
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toMatch(/Token in the CityPay credential/);
		expect(JSON.stringify(result.run.data.resultData)).not.toContain('wrong-token-123');
	});

	it('Continue On Fail: a failing item becomes a paired error item, the others go on', async () => {
		const [first, third] = citypay.addAttachments(2);
		const result = await run(
			{ operation: 'delete', attachmentId: '={{ $json.id }}' },
			[{ json: { id: first.id } }, { json: { id: 'missing' } }, { json: { id: '' } }, { json: { id: third.id } }],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json).toEqual({ id: first.id, deleted: true });
		expect(result.items[1].json.error).toBe('No attachment with ID "missing"');
		expect(result.items[2].json.error).toBe('Attachment ID is empty on item 2');
		expect(result.items[3].json).toEqual({ id: third.id, deleted: true });
		expect(citypay.attachments).toHaveLength(0);
		expect(citypay.requests).toHaveLength(3);
	});

	it('without Continue On Fail the run stops on the failing item', async () => {
		const [first] = citypay.addAttachments(1);
		const result = await run({ operation: 'get', attachmentId: '={{ $json.id }}' }, [
			{ json: { id: first.id } },
			{ json: { id: 'missing' } },
		]);
		expect(result.error?.message).toBe('No attachment with ID "missing"');
		expect(result.error?.context?.itemIndex).toBe(1);
	});
});

describe('CityPay credential test', () => {
	it('passes with a valid token', async () => {
		const result = await testCredential(pkg, 'cityPayApi', { token: CITYPAY_TOKEN, baseUrl: `${citypay.url}/` });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(citypay.requests[0].path).toBe('/attachments');
		expect([...citypay.requests[0].query.entries()]).toEqual([['limit', '1']]);
		expect(citypay.requests[0].headers.authorization).toBe(`Bearer ${CITYPAY_TOKEN}`);
	});

	it('fails with a wrong token, without echoing it', async () => {
		const result = await testCredential(pkg, 'cityPayApi', { token: 'nope-nope', baseUrl: citypay.url });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('nope-nope');
	});
});

describe("n8n's default (in-memory) binary data mode", () => {
	useBinaryData('default');

	it('uploads and downloads the same bytes', async () => {
		citypay.fileHost = fileHost;
		const uploaded = await run({ operation: 'upload' }, [pdfItem]);
		expect(uploaded.error).toBeUndefined();
		const sourceItem = uploaded.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toBeUndefined();
		expect(citypay.attachments[0].sha256).toBe(sha256(pdf));

		const downloaded = await run({ operation: 'download', attachmentId: uploaded.items[0].json.id });
		expect(downloaded.items[0].binary!.data).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf' });
		expect(sha256(await readOutputBinary(downloaded.items[0]))).toBe(sha256(pdf));
	});
});
