import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { InventDouble, INVENT_API_KEY } from '../../doubles/invent';
import { sha256 } from '../../doubles/httpDouble';
import { runAgainst, useApiDoubles } from '../../harness/apiDoubles';
import { testCredential } from '../../harness/credentialTest';
import type { FixtureItem, RunResult } from '../../harness/engine';
import { fixture } from '../../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');

const invent = new InventDouble();
const { pkg } = useApiDoubles([invent]);

function run(
	parameters: Record<string, unknown>,
	input: FixtureItem[] = [{}],
	{ continueOnFail = false, apiKey = INVENT_API_KEY } = {},
): Promise<RunResult> {
	return runAgainst(invent, { pkg, node: { type: 'invent', parameters, continueOnFail }, input }, { apiKey });
}

const upload = (parameters: Record<string, unknown>) => ({
	resource: 'contactFile',
	operation: 'upload',
	...parameters,
});

describe('Contact → Create', () => {
	it('sends the channel fields and segment IDs and returns the created contact', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'create',
			channel: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '' },
			segmentIds: 'seg_1, seg_2',
		});

		expect(result.error).toBeUndefined();
		const [request] = invent.requestsTo('POST', /^\/orgs\/c\/contacts$/);
		expect(request.headers.authorization).toBe(`Bearer ${INVENT_API_KEY}`);
		expect(JSON.parse(request.body.toString())).toEqual({
			channel: { name: 'Ada Lovelace', email: 'ada@example.com' },
			segment_ids: ['seg_1', 'seg_2'],
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.id).toBe(invent.contacts[0].id);
		expect(result.items[0].json.name).toBe('Ada Lovelace');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('uses a sub-organization ID in the path when one is set', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'create',
			organizationId: 'org_sub_1',
			channel: { user_id: 'u-1' },
		});
		expect(result.error).toBeUndefined();
		expect(invent.requests.map((request) => request.path)).toEqual(['/orgs/org_sub_1/contacts']);
	});

	it('refuses empty channel fields before sending anything', async () => {
		const result = await run({ resource: 'contact', operation: 'create', channel: { name: '  ' } });
		expect(result.error?.message).toBe('Channel Fields are empty on item 0');
		expect(result.error?.description).toMatch(/at least one channel field/);
		expect(invent.requests).toHaveLength(0);
	});
});

describe('Contact → Get Many', () => {
	beforeEach(() => invent.addContacts(250));

	it('Return All follows page/take over 3 pages', async () => {
		const result = await run({ resource: 'contact', operation: 'getMany', returnAll: true });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(invent.contacts.map((contact) => contact.id));
		const pages = invent.requests.map((request) => [request.query.get('page'), request.query.get('take')]);
		expect(pages).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
		]);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('Limit stops as soon as it has enough', async () => {
		const result = await run({ resource: 'contact', operation: 'getMany', returnAll: false, limit: 150 });

		expect(result.items).toHaveLength(150);
		expect(result.items.map((item) => item.json.id)).toEqual(invent.contacts.slice(0, 150).map((c) => c.id));
		expect(invent.requests.map((request) => request.query.get('page'))).toEqual(['1', '2']);
	});

	it('a small Limit asks for one page of that size', async () => {
		const result = await run({ resource: 'contact', operation: 'getMany', limit: 7 });
		expect(result.items).toHaveLength(7);
		expect(invent.requests).toHaveLength(1);
		expect(invent.requests[0].query.get('take')).toBe('7');
	});

	it('passes filters as query parameters', async () => {
		const result = await run({
			resource: 'contact',
			operation: 'getMany',
			returnAll: true,
			filters: { name: 'Contact 12', email: '' },
		});
		expect(invent.requests[0].query.get('name')).toBe('Contact 12');
		expect(invent.requests[0].query.has('email')).toBe(false);
		// "Contact 12" and "Contact 120".."Contact 129"
		expect(result.items).toHaveLength(11);
	});
});

describe('Contact File → Upload', () => {
	let contactId: string;
	beforeEach(() => {
		[{ id: contactId }] = invent.addContacts(1);
	});

	it.each([
		['PNG', 'logo.png', png, 'image/png'],
		['PDF', 'invoice.pdf', pdf, 'application/pdf'],
	])('uploads a %s from binary data byte for byte', async (_label, fileName, content, mimeType) => {
		const result = await run(upload({ contactId }), [{ files: [{ fileName, content }] }]);

		expect(result.error).toBeUndefined();
		// Filesystem mode: the input file lives in n8n's binary storage, not in the item.
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toMatch(/^filesystem/);
		const [request] = invent.requestsTo('POST', /\/files$/);
		expect(request.path).toBe(`/orgs/c/contacts/${contactId}/files`);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(invent.files).toHaveLength(1);
		expect(invent.files[0]).toMatchObject({ contactId, name: fileName, type: mimeType });
		expect(invent.files[0].sha256).toBe(sha256(content));
		expect(result.items[0].json).toMatchObject({ file_filename: fileName, file_size: content.length });
	});

	it('applies the file name and MIME type overrides', async () => {
		await run(upload({ contactId, options: { fileName: 'renamed.pdf', mimeType: 'application/x-pdf' } }), [
			{ files: [{ fileName: 'invoice.pdf', content: pdf }] },
		]);
		expect(invent.files[0]).toMatchObject({ name: 'renamed.pdf', type: 'application/x-pdf' });
	});

	it('reads the binary property the user names', async () => {
		await run(upload({ contactId, binaryPropertyName: 'attachment' }), [
			{ files: [{ property: 'attachment', fileName: 'logo.png', content: png }] },
		]);
		expect(invent.files[0].sha256).toBe(sha256(png));
	});

	it('uploads by URL: Invent fetches the file itself', async () => {
		const fileServer = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/pdf' });
			res.end(pdf);
		});
		await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
		const fileUrl = `http://127.0.0.1:${(fileServer.address() as AddressInfo).port}/docs/invoice.pdf`;
		try {
			const result = await run(upload({ contactId, inputType: 'url', fileUrl }));
			expect(result.error).toBeUndefined();
			const [request] = invent.requestsTo('POST', /\/files$/);
			expect(JSON.parse(request.body.toString())).toEqual({ file_url: fileUrl });
			expect(invent.files[0]).toMatchObject({ name: 'invoice.pdf', type: 'application/pdf', sha256: sha256(pdf) });
		} finally {
			fileServer.close();
		}
	});

	it('refuses a URL that is not http(s) before sending', async () => {
		const result = await run(upload({ contactId, inputType: 'url', fileUrl: 'ftp://example.com/a.pdf' }));
		expect(result.error?.message).toBe('File URL is not a valid http(s) URL on item 0');
		expect(invent.requests).toHaveLength(0);
	});

	it('sends allowed types and checks them locally first', async () => {
		const refused = await run(upload({ contactId, options: { allowedTypes: 'image/*' } }), [
			{ files: [{ fileName: 'invoice.pdf', content: pdf }] },
		]);
		expect(refused.error?.message).toBe(
			'File "invoice.pdf" has MIME type "application/pdf", which is not in the allowed types (image/*) on item 0',
		);
		expect(invent.requests).toHaveLength(0);

		const accepted = await run(upload({ contactId, options: { allowedTypes: 'image/*, application/pdf' } }), [
			{ files: [{ fileName: 'invoice.pdf', content: pdf }] },
		]);
		expect(accepted.error).toBeUndefined();
		const body = JSON.parse(invent.requests[0].body.toString());
		expect(body.allowed_types).toEqual(['image/*', 'application/pdf']);
		expect(body.file).toEqual({ data: pdf.toString('base64'), name: 'invoice.pdf', type: 'application/pdf' });
	});

	it('refuses an allowed type that is not a MIME pattern', async () => {
		const result = await run(upload({ contactId, options: { allowedTypes: 'pdf' } }), [
			{ files: [{ fileName: 'invoice.pdf', content: pdf }] },
		]);
		expect(result.error?.message).toBe('Allowed MIME Types is not valid on item 0');
		expect(invent.requests).toHaveLength(0);
	});

	it("names a missing binary property and lists the item's properties", async () => {
		const result = await run(upload({ contactId, binaryPropertyName: 'file' }), [
			{ files: [{ property: 'data', fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('No binary field "file" on item 0');
		expect(result.error?.description).toContain('"data"');
		expect(invent.requests).toHaveLength(0);
	});

	it('refuses an empty contact ID and encodes IDs as one path segment', async () => {
		const empty = await run(upload({ contactId: '  ' }), [{ files: [{ fileName: 'logo.png', content: png }] }]);
		expect(empty.error?.message).toBe('Contact ID is empty on item 0');
		expect(invent.requests).toHaveLength(0);

		const odd = await run(upload({ contactId: 'a/b?c#d' }), [{ files: [{ fileName: 'logo.png', content: png }] }]);
		expect(invent.requests[0].path).toBe('/orgs/c/contacts/a%2Fb%3Fc%23d/files');
		expect(odd.error?.message).toBe('Contact not found');
		expect(odd.error?.httpCode).toBe('404');
	});

	it("surfaces Invent's own message for a wrong API key", async () => {
		const result = await run(upload({ contactId }), [{ files: [{ fileName: 'logo.png', content: png }] }], {
			apiKey: 'wrong-key',
		});
		expect(result.error?.message).toBe('Invalid or missing API key');
		expect(result.error?.description).toMatch(/API key in the Invent credential/);
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.run.data.resultData)).not.toContain('wrong-key');
	});

	it('surfaces rate limiting as an API error', async () => {
		invent.rateLimitNext = 1;
		// With retries off the first 429 is final (test/contracts/faults.test.ts covers the retries).
		const result = await run(upload({ contactId, requestOptions: { maxRetries: 0 } }), [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('Too many requests');
		expect(result.error?.httpCode).toBe('429');
	});

	it('Continue On Fail: one bad item among three keeps all three, paired', async () => {
		const result = await run(
			// One at a time, so the double's arrival order below is the input order.
			upload({ contactId: '={{ $json.contactId }}', requestOptions: { concurrency: 1 } }),
			[
				{ json: { contactId }, files: [{ fileName: 'logo.png', content: png }] },
				{ json: { contactId: 'ct_missing' }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
				{ json: { contactId }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
			],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.file_filename).toBe('logo.png');
		expect(result.items[1].json.error).toBe('Contact not found');
		expect(result.items[2].json.file_filename).toBe('invoice.pdf');
		expect(invent.files.map((file) => file.sha256)).toEqual([sha256(png), sha256(pdf)]);
	});

	it('without Continue On Fail the run stops on the failing item', async () => {
		const result = await run(upload({ contactId: '={{ $json.contactId }}' }), [
			{ json: { contactId }, files: [{ fileName: 'logo.png', content: png }] },
			{ json: { contactId: '' }, files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('Contact ID is empty on item 1');
		expect(result.error?.context?.itemIndex).toBe(1);
	});
});

describe('Invent credential test', () => {
	it('passes with a valid key', async () => {
		const result = await testCredential(pkg, 'inventApi', { apiKey: INVENT_API_KEY, baseUrl: invent.url });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(invent.requests[0].path).toBe('/orgs/c/contacts');
		expect(invent.requests[0].headers.authorization).toBe(`Bearer ${INVENT_API_KEY}`);
	});

	it('fails with a wrong key', async () => {
		const result = await testCredential(pkg, 'inventApi', { apiKey: 'nope', baseUrl: invent.url });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('nope');
	});

	it('fails when the base URL is unreachable', async () => {
		const result = await testCredential(pkg, 'inventApi', { apiKey: INVENT_API_KEY, baseUrl: 'http://127.0.0.1:1' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/ECONNREFUSED|refused/i);
	});
});
