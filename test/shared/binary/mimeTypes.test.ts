/**
 * MIME types through the nodes' real runs: a type that is not `type/subtype[; params]` (a
 * CR/LF that would add multipart part headers) is refused before anything is sent, in every
 * node and wherever it came from; a generic download type (`binary/octet-stream`, S3's type
 * for an object stored without one) means "unknown, go by the name"; and every upload's MIME
 * Type option overrides the type, for binary files and files by URL alike.
 */
import { FileServerDouble } from '../../doubles/fileServer';
import { HAPTIK_USER } from '../../doubles/haptik';
import { sha256 } from '../../doubles/httpDouble';
import { credentialsFor, useApiDoubles, vendorDoubles } from '../../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../../harness/engine';
import { readOutputBinary, runNode } from '../../harness/engine';
import { fixture } from '../../harness/fixtures';

const pdf = fixture('invoice.pdf');
const png = fixture('logo.png');

const { citypay, haptik, invent, leadway } = vendorDoubles();
const files = new FileServerDouble();
const { pkg } = useApiDoubles([citypay, haptik, invent, leadway, files]);

const withFile = (fileName: string, content: Buffer, mimeType?: string): FixtureItem[] => [
	{ files: [{ fileName, content, mimeType }] },
];

function cityPayUpload(parameters: Record<string, unknown>, input: FixtureItem[] = [{}], onError?: OnErrorSetting): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload', ...parameters }, onError },
		input,
		credentials: credentialsFor(citypay),
	});
}

function inventUpload(parameters: Record<string, unknown>, input: FixtureItem[]): Promise<RunResult> {
	const [{ id: contactId }] = invent.addContacts(1);
	return runNode({
		pkg,
		node: { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', organizationId: 'c', contactId, ...parameters } },
		input,
		credentials: credentialsFor(invent),
	});
}

function haptikSend(parameters: Record<string, unknown>, input: FixtureItem[] = [{}]): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'haptik', parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234', ...parameters } },
		input,
		credentials: credentialsFor(haptik),
	});
}

function leadwayRun(parameters: Record<string, unknown>, input: FixtureItem[] = [{}]): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'leadway', parameters: { resource: 'conversation', operation: 'upload', conversationId: 'conv_1', ...parameters } },
		input,
		credentials: credentialsFor(leadway),
	});
}

const INJECTIONS = ['application/pdf\r\nX-Injected: yes', 'application/pdf\r\n\r\nPREFIX'];

describe('a MIME type that is not type/subtype[; params] is refused before sending', () => {
	it.each(INJECTIONS)('CityPay (multipart), from binary data: %j', async (mimeType) => {
		const result = await cityPayUpload({}, withFile('invoice.pdf', pdf, mimeType));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(`MIME type ${JSON.stringify(mimeType)} of file "invoice.pdf" is not valid on item 0`);
		expect(result.error?.description).toContain('binary field "data"');
		expect(result.error?.description).toContain('Set the MIME Type option');
		expect(citypay.requests).toHaveLength(0);
		expect(citypay.attachments).toHaveLength(0);
	});

	it.each(INJECTIONS)('CityPay, from the MIME Type option: %j', async (mimeType) => {
		const result = await cityPayUpload({ options: { mimeType } }, withFile('invoice.pdf', pdf));

		expect(result.error?.message).toMatch(/^MIME type ".*" of file "invoice\.pdf" is not valid on item 0$/);
		expect(result.error?.description).toMatch(/^The MIME Type option contains a line break/);
		expect(citypay.requests).toHaveLength(0);
	});

	it.each(INJECTIONS)('Invent (JSON), from binary data and from the MIME Type option: %j', async (mimeType) => {
		const fromBinary = await inventUpload({}, withFile('invoice.pdf', pdf, mimeType));
		expect(fromBinary.error?.message).toBe(`MIME type ${JSON.stringify(mimeType)} of file "invoice.pdf" is not valid on item 0`);

		const fromOption = await inventUpload({ options: { mimeType } }, withFile('invoice.pdf', pdf));
		expect(fromOption.error?.message).toMatch(/^MIME type ".*" of file "invoice\.pdf" is not valid on item 0$/);
		expect(invent.requestsTo('POST', /\/files$/)).toHaveLength(0);
		expect(invent.files).toHaveLength(0);
	});

	it("Haptik and Leadway refuse it too; Continue keeps the item with the error", async () => {
		const haptikResult = await haptikSend({}, withFile('invoice.pdf', pdf, INJECTIONS[0]));
		expect(haptikResult.error?.message).toMatch(/^MIME type ".*" of file "invoice\.pdf" is not valid on item 0$/);
		expect(haptik.requests).toHaveLength(0);

		const leadwayResult = await leadwayRun({}, withFile('invoice.pdf', pdf, INJECTIONS[1]));
		expect(leadwayResult.error?.message).toMatch(/^MIME type ".*" of file "invoice\.pdf" is not valid on item 0$/);
		expect(leadway.requests).toHaveLength(0);

		const continued = await cityPayUpload(
			{},
			[...withFile('invoice.pdf', pdf, INJECTIONS[0]), ...withFile('logo.png', png)],
			'continueRegularOutput',
		);
		expect(continued.items.map((item) => Object.keys(item.json))).toEqual([['error', 'details'], expect.arrayContaining(['id'])]);
		expect(continued.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(citypay.attachments.map((attachment) => attachment.filename)).toEqual(['logo.png']);
	});

	it("refuses a URL host's Content-Type that is not a MIME type, and the MIME Type option fixes it", async () => {
		files.addFile('report.pdf', pdf, 'application/pdf, text/html');
		const refused = await cityPayUpload({ inputType: 'url', fileUrl: `${files.url}/files/report.pdf` });

		expect(refused.error?.message).toBe('MIME type "application/pdf, text/html" of file "report.pdf" is not valid on item 0');
		expect(refused.error?.description).toContain(`the Content-Type header of ${files.url}`);
		expect(citypay.requests).toHaveLength(0);

		const fixed = await cityPayUpload({ inputType: 'url', fileUrl: `${files.url}/files/report.pdf`, options: { mimeType: 'application/pdf' } });
		expect(fixed.error).toBeUndefined();
		expect(citypay.attachments[0]).toMatchObject({ filename: 'report.pdf', file_type: 'application/pdf', sha256: sha256(pdf) });
	});

	it('accepts parameters and quoted values', async () => {
		const result = await cityPayUpload({}, withFile('notes.txt', Buffer.from('hello\n'), 'text/plain; charset=utf-8; format="flowed; x"'));

		expect(result.error).toBeUndefined();
		expect(citypay.attachments[0].file_type).toBe('text/plain');
	});
});

const GENERIC_TYPES = [
	'binary/octet-stream',
	'application/octet-stream',
	'application/x-download',
	'application/force-download',
	'application/download',
	'application/unknown',
	'application/x-octet-stream',
];

describe('a generic download type means "unknown": the file name decides', () => {
	it.each(GENERIC_TYPES)('Haptik accepts photo.png from binary data typed %s and sends it as image/png', async (mimeType) => {
		const result = await haptikSend({}, withFile('photo.png', png, mimeType));

		expect(result.error).toBeUndefined();
		expect(haptik.uploads).toHaveLength(1);
		expect(haptik.uploads[0].fields.message_type).toBe('1');
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png', sha256: sha256(png) });
	});

	it('Haptik accepts photo.png from a URL host that serves it as binary/octet-stream (S3 without a type)', async () => {
		files.addFile('photo.png', png, 'binary/octet-stream');
		const result = await haptikSend({ inputType: 'url', fileUrl: `${files.url}/files/photo.png` });

		expect(result.error).toBeUndefined();
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png', sha256: sha256(png) });
	});

	it('Leadway accepts photo.png typed binary/octet-stream from binary data and from a URL host', async () => {
		const fromBinary = await leadwayRun({}, withFile('photo.png', png, 'binary/octet-stream'));
		expect(fromBinary.error).toBeUndefined();

		files.addFile('photo.png', png, 'binary/octet-stream');
		const fromUrl = await leadwayRun({ inputType: 'url', fileUrls: `${files.url}/files/photo.png` });
		expect(fromUrl.error).toBeUndefined();

		expect(leadway.uploads.flatMap((upload) => upload.files)).toEqual([
			expect.objectContaining({ fileName: 'photo.png', contentType: 'image/png' }),
			expect.objectContaining({ fileName: 'photo.png', contentType: 'image/png' }),
		]);
	});

	it('Leadway Message Send with files accepts it too', async () => {
		const result = await runNode({
			pkg,
			node: {
				type: 'leadway',
				parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: 'contact_ana', filesFrom: 'named', binaryPropertyName: 'data' },
			},
			input: withFile('photo.png', png, 'binary/octet-stream'),
			credentials: credentialsFor(leadway),
		});

		expect(result.error).toBeUndefined();
		expect(leadway.uploads[0].files[0]).toMatchObject({ fileName: 'photo.png', contentType: 'image/png' });
	});

	it('CityPay Download: an attachment CityPay types binary/octet-stream is stored under the type its name implies', async () => {
		const [attachment] = citypay.addAttachments(1);
		Object.assign(attachment, { filename: 'photo.png', file_type: 'binary/octet-stream', bytes: png, sha256: sha256(png) });
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'download', attachmentId: attachment.id } },
			input: [{}],
			credentials: credentialsFor(citypay),
		});

		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });
		expect(await readOutputBinary(result.items[0])).toEqual(png);
	});

	it('a download the server types binary/octet-stream is stored under the type its name implies', async () => {
		const [message] = leadway.messages.get(leadway.conversations[0].id)!;
		leadway.ownFiles.set('site-photo.png', { bytes: png, contentType: 'binary/octet-stream' });
		const result = await runNode({
			pkg,
			node: {
				type: 'leadway',
				parameters: {
					resource: 'message',
					operation: 'getMany',
					conversationId: message.conversationId,
					returnAll: true,
					options: { downloadAttachments: true },
				},
			},
			input: [{}],
			credentials: credentialsFor(leadway),
		});

		expect(result.error).toBeUndefined();
		const withPhoto = result.items.find((item) => item.binary?.attachment_1);
		expect(withPhoto?.binary?.attachment_1).toMatchObject({ fileName: 'site-photo.png', mimeType: 'image/png' });
		expect(await readOutputBinary(withPhoto!, 'attachment_1')).toEqual(png);
	});
});

describe('the MIME Type option of every upload', () => {
	it('overrides the type of a binary file (CityPay, Haptik, Leadway)', async () => {
		const cityPay = await cityPayUpload({ options: { mimeType: 'application/pdf' } }, withFile('scan', pdf, 'application/octet-stream'));
		expect(cityPay.error).toBeUndefined();
		expect(citypay.attachments[0]).toMatchObject({ filename: 'scan', file_type: 'application/pdf' });

		// A PNG the binary data calls a PDF: the option puts it right, so Haptik's kind check passes.
		const haptikResult = await haptikSend({ options: { mimeType: 'image/png' } }, withFile('photo.png', png, 'application/pdf'));
		expect(haptikResult.error).toBeUndefined();
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });

		const leadwayResult = await leadwayRun({ options: { mimeType: 'image/png' } }, withFile('photo.png', png, 'application/pdf'));
		expect(leadwayResult.error).toBeUndefined();
		expect(leadway.uploads[0].files[0]).toMatchObject({ fileName: 'photo.png', contentType: 'image/png' });
	});

	it('overrides the type a URL host declares (CityPay, Haptik, Leadway)', async () => {
		files.addFile('photo.png', png, 'text/html');
		const fileUrl = `${files.url}/files/photo.png`;

		// Without the option, Haptik refuses a PNG its host calls text/html, and says how to fix it.
		const refused = await haptikSend({ inputType: 'url', fileUrl });
		expect(refused.error?.message).toBe('File "photo.png" has extension ".png" (image) but MIME type "text/html" (document) on item 0');
		expect(refused.error?.description).toContain('set the MIME Type option');

		const cityPay = await cityPayUpload({ inputType: 'url', fileUrl, options: { mimeType: 'image/png' } });
		expect(cityPay.error).toBeUndefined();
		expect(citypay.attachments[0]).toMatchObject({ filename: 'photo.png', file_type: 'image/png' });

		const haptikResult = await haptikSend({ inputType: 'url', fileUrl, options: { mimeType: 'image/png' } });
		expect(haptikResult.error).toBeUndefined();
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png' });

		const leadwayResult = await leadwayRun({ inputType: 'url', fileUrls: fileUrl, options: { mimeType: 'image/png' } });
		expect(leadwayResult.error).toBeUndefined();
		expect(leadway.uploads[0].files[0]).toMatchObject({ fileName: 'photo.png', contentType: 'image/png' });
	});
});
