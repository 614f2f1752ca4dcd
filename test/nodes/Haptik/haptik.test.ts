import FormData from 'form-data';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN, HAPTIK_USER, HaptikDouble, MAX_FILE_BYTES, UPLOAD_ROUTE } from '../../doubles/haptik';
import { sha256 } from '../../doubles/httpDouble';
import { runAgainst, useApiDoubles, useBinaryData } from '../../harness/apiDoubles';
import { watchStorageReads } from '../../harness/bufferWatch';
import { testCredential } from '../../harness/credentialTest';
import type { FixtureItem, RunResult } from '../../harness/engine';
import { bytesOfSize, fixture } from '../../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');

const haptik = new HaptikDouble();
const { pkg } = useApiDoubles([haptik]);

interface CredentialData {
	token?: string;
	clientId?: string;
	baseUrl?: string;
}

function run(
	parameters: Record<string, unknown>,
	input: FixtureItem[],
	{ continueOnFail = false, credentials = {} as CredentialData } = {},
): Promise<RunResult> {
	return runAgainst(haptik, { pkg, node: { type: 'haptik', parameters: send(parameters), continueOnFail }, input }, { ...credentials });
}

const send = (parameters: Record<string, unknown>) => ({
	resource: 'file',
	operation: 'send',
	authId: HAPTIK_USER,
	businessId: '1234',
	...parameters,
});

const withFile = (fileName: string, content: Buffer, mimeType?: string): FixtureItem[] => [
	{ files: [{ fileName, content, mimeType }] },
];

describe('File → Send', () => {
	it('sends an image byte for byte with both headers and the documented fields', async () => {
		const result = await run({}, withFile('logo.png', png));

		expect(result.error).toBeUndefined();
		// Filesystem mode: the input file lives in n8n's binary storage, not in the item.
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toMatch(/^filesystem/);

		expect(haptik.requests).toHaveLength(1);
		const [request] = haptik.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe(UPLOAD_ROUTE);
		expect(request.headers.authorization).toBe(`Bearer ${HAPTIK_TOKEN}`);
		expect(request.headers['client-id']).toBe(HAPTIK_CLIENT_ID);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(request.headers['content-length'])).toBe(request.body.length);

		const [upload] = haptik.uploads;
		expect(upload.fields).toEqual({ auth_id: HAPTIK_USER, business_id: '1234', message_type: '1' });
		expect(upload.order).toEqual(['auth_id', 'business_id', 'message_type', 'file']);
		expect(upload.file).toMatchObject({ fieldName: 'file', fileName: 'logo.png', mimeType: 'image/png' });
		expect(upload.file.sha256).toBe(sha256(png));

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ message_id: upload.messageId, message_type: 1 });
		expect(result.items[0].json.file_url).toMatch(/\.png$/);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('sends a document with Message Type Document and a message body', async () => {
		const result = await run(
			{ messageType: 'document', options: { messageBody: 'Here is my invoice' } },
			withFile('invoice.pdf', pdf),
		);

		expect(result.error).toBeUndefined();
		const [upload] = haptik.uploads;
		expect(upload.fields).toEqual({
			auth_id: HAPTIK_USER,
			business_id: '1234',
			message_type: '52',
			message_body: 'Here is my invoice',
		});
		expect(upload.file).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf', sha256: sha256(pdf) });
		expect(result.items[0].json).toMatchObject({ message_type: 52, message_body: 'Here is my invoice' });
	});

	it.each([
		['photo.png', 'image/png', '1'],
		['photo.jpg', 'image/jpeg', '1'],
		['invoice.pdf', 'application/pdf', '52'],
		['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '52'],
	])('Auto sends %s (%s) as message type %s', async (fileName, mimeType, messageType) => {
		const content = bytesOfSize(2048, fileName.length);
		const result = await run({ messageType: 'auto' }, withFile(fileName, content));

		expect(result.error).toBeUndefined();
		expect(haptik.uploads[0].fields.message_type).toBe(messageType);
		expect(haptik.uploads[0].file).toMatchObject({ fileName, mimeType, sha256: sha256(content) });
	});

	it('Image accepts an upper-case extension from the File Name option', async () => {
		const result = await run({ messageType: 'image', options: { fileName: 'Receipt.JPG' } }, withFile('scan.bin', png));

		expect(result.error).toBeUndefined();
		expect(haptik.uploads[0].fields.message_type).toBe('1');
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'Receipt.JPG', mimeType: 'image/jpeg' });
	});

	it('a name without an extension falls back to the MIME type and is sent with its extension', async () => {
		const result = await run({}, withFile('scan', pdf, 'application/pdf'));

		expect(result.error).toBeUndefined();
		expect(haptik.uploads[0].fields.message_type).toBe('52');
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'scan.pdf', mimeType: 'application/pdf' });
	});

	it('accepts a file of exactly 10 MB', async () => {
		const content = bytesOfSize(MAX_FILE_BYTES, 7);
		const result = await run({}, withFile('big.pdf', content));

		expect(result.error).toBeUndefined();
		expect(haptik.uploads[0].file.bytes.length).toBe(MAX_FILE_BYTES);
		expect(haptik.uploads[0].file.sha256).toBe(sha256(content));
	});

	it('streams a large file from filesystem binary storage, never reading it into one buffer', async () => {
		const content = bytesOfSize(8 * 1024 * 1024 + 13, 3);
		const { result, wholeReads, streamReads } = await watchStorageReads(async () => await run({}, withFile('manual.docx', content)));

		expect(result.error).toBeUndefined();
		expect(streamReads).toHaveLength(1);
		expect(wholeReads).toHaveLength(0);
		const [upload] = haptik.uploads;
		expect(upload.file.bytes.length).toBe(content.length);
		expect(upload.file.sha256).toBe(sha256(content));
		expect(upload.file).toMatchObject({
			fileName: 'manual.docx',
			mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		});
		expect(Number(haptik.requests[0].headers['content-length'])).toBe(haptik.requests[0].body.length);
	});

	it('accepts the full upload URL from the dashboard as Base URL', async () => {
		const result = await run({}, withFile('logo.png', png), {
			credentials: { baseUrl: `${haptik.url}${UPLOAD_ROUTE}` },
		});
		expect(result.error).toBeUndefined();
		expect(haptik.requests.map((request) => request.path)).toEqual([UPLOAD_ROUTE]);
	});
});

describe('File → Send: refused before sending', () => {
	it('refuses 10 MB + 1 byte, naming the item, file, limit and fix', async () => {
		const result = await run({}, withFile('big.pdf', bytesOfSize(MAX_FILE_BYTES + 1)));

		expect(result.error?.message).toBe(
			"File \"big.pdf\" is 10 MB (10485761 bytes), over Haptik's limit of 10 MB on item 0",
		);
		expect(result.error?.description).toBe(
			'Haptik accepts files of at most 10 MB (10485760 bytes). Compress or split the file before this node.',
		);
		expect(haptik.requests).toHaveLength(0);
	});

	it('refuses an .exe file', async () => {
		const result = await run({}, withFile('setup.exe', bytesOfSize(100)));

		expect(result.error?.message).toBe('File "setup.exe" has extension ".exe", which Haptik does not accept on item 0');
		expect(result.error?.description).toMatch(/docx, doc, pdf, xls, xlsx, csv, jpg, jpeg, png, gif/);
		expect(haptik.requests).toHaveLength(0);
	});

	it('refuses a name without extension whose MIME type Haptik does not take', async () => {
		const result = await run({}, withFile('blob', bytesOfSize(100), 'application/octet-stream'));

		expect(result.error?.message).toBe(
			'File "blob" has no extension and MIME type "application/octet-stream", which Haptik does not accept on item 0',
		);
		expect(haptik.requests).toHaveLength(0);
	});

	it('refuses a document with Message Type Image', async () => {
		const result = await run({ messageType: 'image' }, withFile('invoice.pdf', pdf));

		expect(result.error?.message).toBe(
			'File "invoice.pdf" is a document (.pdf), but Message Type is Image on item 0',
		);
		expect(result.error?.description).toBe(
			'With Message Type Image, Haptik accepts only jpg, jpeg, png, gif. Set Message Type to Auto or Document, or send a file of the right type.',
		);
		expect(haptik.requests).toHaveLength(0);
	});

	it('refuses an image with Message Type Document', async () => {
		const result = await run({ messageType: 'document' }, withFile('logo.png', png));

		expect(result.error?.message).toBe('File "logo.png" is an image (.png), but Message Type is Document on item 0');
		expect(haptik.requests).toHaveLength(0);
	});

	it.each(['12a', '1 234', '-5', '1.5', '١٢٣', ''])('refuses Business ID %p', async (businessId) => {
		// An expression, so that an empty value gets past n8n's own required-parameter check.
		const result = await run({ businessId: '={{ $json.business }}' }, [
			{ json: { business: businessId }, files: [{ fileName: 'logo.png', content: png }] },
		]);

		expect(result.error?.message).toMatch(/^Business ID is (empty|".*", which is not a number) on item 0$/);
		expect(result.error?.description).toMatch(/numeric ID/);
		expect(haptik.requests).toHaveLength(0);
	});

	it('refuses an empty User Auth ID', async () => {
		const result = await run({ authId: '  ' }, withFile('logo.png', png));
		expect(result.error?.message).toBe('User Auth ID is empty on item 0');
		expect(haptik.requests).toHaveLength(0);
	});

	it('names a missing binary property', async () => {
		const result = await run({ binaryPropertyName: 'attachment' }, withFile('logo.png', png));
		expect(result.error?.message).toBe('No binary field "attachment" on item 0');
		expect(result.error?.description).toContain('"data"');
		expect(haptik.requests).toHaveLength(0);
	});

	it.each([
		['Client ID', { clientId: `${HAPTIK_CLIENT_ID}\r\nX-Injected: 1` }],
		['Token', { token: `${HAPTIK_TOKEN}\n` }],
	])('refuses a line break in the %s before it reaches a header', async (label, credentials) => {
		const result = await run({}, withFile('logo.png', png), { credentials });

		expect(result.error?.message).toBe(
			`${label} in the Haptik credential contains a line break or another control character on item 0`,
		);
		expect(haptik.requests).toHaveLength(0);
		expect(JSON.stringify(result.run.data.resultData)).not.toContain(HAPTIK_TOKEN);
	});
});

describe('File → Send: Haptik refusals', () => {
	it("401: surfaces Haptik's message and says to check token and client ID", async () => {
		const result = await run({}, withFile('logo.png', png), { credentials: { token: 'wrong-token-123' } });

		expect(haptik.requests).toHaveLength(1);
		expect(result.error?.message).toBe('invalid authorization details');
		expect(result.error?.description).toMatch(/Token and Client ID in the Haptik credential/);
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.run.data.resultData)).not.toContain('wrong-token-123');
	});

	it('401 also for a wrong client ID', async () => {
		const result = await run({}, withFile('logo.png', png), { credentials: { clientId: 'someone-else' } });
		expect(result.error?.message).toBe('invalid authorization details');
		expect(result.error?.httpCode).toBe('401');
	});

	it("403: surfaces Haptik's message and says to register the user first", async () => {
		const result = await run({ authId: 'not-registered' }, withFile('logo.png', png));

		expect(result.error?.message).toBe('user is not registered');
		expect(result.error?.description).toMatch(/Register the user first with Haptik's user API/);
		expect(result.error?.httpCode).toBe('403');
		expect(haptik.uploads).toHaveLength(0);
	});

	it('Continue On Fail: a local refusal and an API refusal keep all items, paired', async () => {
		const result = await run(
			// One at a time, so the double's arrival order below is the input order.
			{ authId: '={{ $json.user }}', requestOptions: { concurrency: 1 } },
			[
				{ json: { user: HAPTIK_USER }, files: [{ fileName: 'logo.png', content: png }] },
				{ json: { user: HAPTIK_USER }, files: [{ fileName: 'setup.exe', content: bytesOfSize(10) }] },
				{ json: { user: 'stranger' }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
				{ json: { user: HAPTIK_USER }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
			],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json.message_type).toBe(1);
		expect(result.items[1].json.error).toBe('File "setup.exe" has extension ".exe", which Haptik does not accept on item 1');
		expect(result.items[2].json.error).toBe('user is not registered');
		expect(result.items[3].json.message_type).toBe(52);
		// The .exe never left n8n: three requests for four items.
		expect(haptik.requests).toHaveLength(3);
		expect(haptik.uploads.map((upload) => upload.file.sha256)).toEqual([sha256(png), sha256(pdf)]);
	});

	it('without Continue On Fail the run stops on the failing item', async () => {
		const result = await run({ businessId: '={{ $json.business }}' }, [
			{ json: { business: '1' }, files: [{ fileName: 'logo.png', content: png }] },
			{ json: { business: 'queue-a' }, files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('Business ID is "queue-a", which is not a number on item 1');
		expect(result.error?.context?.itemIndex).toBe(1);
		// Every item is checked before any is sent: item 1's refusal comes before item 0 is uploaded.
		expect(haptik.uploads).toHaveLength(0);
	});
});

describe('Haptik double is as strict as Haptik', () => {
	async function post(form: FormData, headers: Record<string, string> = {}) {
		const body = form.getBuffer();
		const response = await fetch(`${haptik.url}${UPLOAD_ROUTE}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${HAPTIK_TOKEN}`,
				'client-id': HAPTIK_CLIENT_ID,
				...form.getHeaders(),
				...headers,
			},
			body,
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	function fields(form: FormData) {
		form.append('auth_id', HAPTIK_USER);
		form.append('business_id', '1234');
		form.append('message_type', '52');
		return form;
	}

	it('answers 413 for a file over 10 MB', async () => {
		const form = fields(new FormData());
		form.append('file', bytesOfSize(MAX_FILE_BYTES + 1), { filename: 'big.pdf', contentType: 'application/pdf' });
		expect(await post(form)).toEqual({ status: 413, body: { error_message: 'file size should be less than 10 MB' } });
	});

	it('answers 401 without the client-id header', async () => {
		const form = fields(new FormData());
		form.append('file', pdf, { filename: 'invoice.pdf', contentType: 'application/pdf' });
		expect((await post(form, { 'client-id': '' })).status).toBe(401);
	});

	it('answers 400 without the file part', async () => {
		expect((await post(fields(new FormData()))).status).toBe(400);
	});
});

describe('Haptik credential test', () => {
	const test = (data: CredentialData) =>
		testCredential(pkg, 'haptikApi', { token: HAPTIK_TOKEN, clientId: HAPTIK_CLIENT_ID, baseUrl: haptik.url, ...data });

	it('passes when Haptik accepts the token and client ID (and refuses the probe user)', async () => {
		const result = await test({});

		expect(result).toEqual({ status: 'OK', message: 'Haptik accepted the Token and Client ID' });
		const [request] = haptik.requests;
		expect(request.path).toBe(UPLOAD_ROUTE);
		expect(request.headers.authorization).toBe(`Bearer ${HAPTIK_TOKEN}`);
		expect(request.headers['client-id']).toBe(HAPTIK_CLIENT_ID);
		// The probe carries no file, so it can never log a message.
		expect(request.body.toString('latin1')).not.toContain('name="file"');
		expect(haptik.uploads).toHaveLength(0);
	});

	it('fails on a bad token without echoing it', async () => {
		const result = await test({ token: 'bad-token-999' });

		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			'Haptik refused the Token or Client ID (HTTP 401: invalid authorization details). Check both values.',
		);
		expect(result.message).not.toContain('bad-token-999');
	});

	it('fails on a bad client ID', async () => {
		const result = await test({ clientId: 'nobody' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 401/);
	});

	it('fails clearly when the base URL refuses connections', async () => {
		const result = await test({ baseUrl: 'http://127.0.0.1:1' });
		expect(result).toEqual({
			status: 'Error',
			message: 'Could not reach Haptik at http://127.0.0.1:1 (ECONNREFUSED). Check the Base URL and that n8n can reach it.',
		});
	});

	it('fails clearly when the base URL host does not resolve', async () => {
		const result = await test({ baseUrl: 'http://haptik-base-url.invalid' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Could not reach Haptik at http:\/\/haptik-base-url\.invalid \((ENOTFOUND|EAI_AGAIN)\)\. Check the Base URL/,
		);
	});

	it('fails clearly when the base URL is not a Haptik server (404)', async () => {
		const result = await test({ baseUrl: `${haptik.url}/somewhere-else` });
		expect(result).toEqual({
			status: 'Error',
			message: `No Haptik upload endpoint at ${haptik.url}${UPLOAD_ROUTE} (HTTP 404). Check the Base URL Haptik gave you.`,
		});
	});

	it('fails when a server answers 403 without Haptik JSON', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(403, { 'content-type': 'text/html' });
			res.end('<h1>Forbidden</h1>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const result = await test({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/answered HTTP 403 without a Haptik answer/);
		} finally {
			server.close();
		}
	});

	it('refuses a line break in the client ID without sending anything', async () => {
		const result = await test({ clientId: 'client-42\r\nX-Evil: 1' });
		expect(result).toEqual({
			status: 'Error',
			message: 'Client ID in the Haptik credential contains a line break or another control character. Enter it on one line.',
		});
		expect(haptik.requests).toHaveLength(0);
	});
});

describe('File → Send in default (in-memory) binary mode', () => {
	useBinaryData('default');

	it('sends the file byte for byte', async () => {
		const result = await run({}, withFile('invoice.pdf', pdf));
		expect(result.error).toBeUndefined();
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toBeUndefined();
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'invoice.pdf', sha256: sha256(pdf) });
	});
});
