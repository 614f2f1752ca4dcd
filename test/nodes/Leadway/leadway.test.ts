import { LEADWAY_LOCATION, LEADWAY_TOKEN, LEADWAY_VERSION, LeadwayDouble } from '../../doubles/leadway';
import { sha256 } from '../../doubles/httpDouble';
import { credentialsFor, runAgainst, useApiDoubles, useBinaryData } from '../../harness/apiDoubles';
import { testCredential } from '../../harness/credentialTest';
import type { FixtureFile, FixtureItem, RunResult } from '../../harness/engine';
import { bytesOfSize, fixture } from '../../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');
const text = Buffer.from('Meeting notes\nBring the signed contract.\n');
const MB = 1024 * 1024;

const leadway = new LeadwayDouble();
const { pkg } = useApiDoubles([leadway]);

type CredentialData = Record<string, string>;

const credentials = (overrides: CredentialData = {}) => credentialsFor(leadway, overrides).leadwayApi;

function run(
	parameters: Record<string, unknown>,
	input: FixtureItem[],
	{ continueOnFail = false, credential = {} as CredentialData } = {},
): Promise<RunResult> {
	const node = { type: 'leadway', parameters: { resource: 'conversation', operation: 'upload', ...parameters }, continueOnFail };
	return runAgainst(leadway, { pkg, node, input }, credential);
}

/** `count` distinct small files, one per binary property file0..fileN. */
function manyFiles(count: number): FixtureFile[] {
	return Array.from({ length: count }, (_, index) => ({
		property: `file${index}`,
		fileName: `page-${index + 1}.txt`,
		content: Buffer.from(`page ${index + 1}\n`),
	}));
}

const urlOf = (fileName: string) => expect.stringMatching(new RegExp(`/${fileName.replace('.', '\\.')}$`));

describe('Conversation → Upload', () => {
	it('uploads one file with the Bearer token, the Version header and the text fields', async () => {
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'logo.png', content: png }] }]);

		expect(result.error).toBeUndefined();
		expect(leadway.requests).toHaveLength(1);
		const [request] = leadway.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/conversations/messages/upload');
		expect(request.headers.authorization).toBe(`Bearer ${LEADWAY_TOKEN}`);
		expect(request.headers.version).toBe(LEADWAY_VERSION);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(leadway.uploads).toEqual([
			{
				fields: [
					['conversationId', 'conv_1'],
					['locationId', LEADWAY_LOCATION],
				],
				files: [{ fileName: 'logo.png', contentType: 'image/png', size: png.length, sha256: sha256(png) }],
			},
		]);

		expect(result.items).toHaveLength(1);
		const url = `https://storage.example.invalid/${LEADWAY_LOCATION}/${sha256(png).slice(0, 12)}/logo.png`;
		expect(result.items[0].json).toEqual({
			uploadedFiles: { 'logo.png': url },
			files: [{ name: 'logo.png', url }],
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('sends three files from three binary properties in one request, in order', async () => {
		const result = await run(
			{ contactId: 'contact_9', binaryPropertyName: 'data, invoice ,notes' },
			[
				{
					files: [
						{ property: 'notes', fileName: 'notes.txt', content: text },
						{ property: 'data', fileName: 'logo.png', content: png },
						{ property: 'invoice', fileName: 'invoice.pdf', content: pdf },
					],
				},
			],
		);

		expect(result.error).toBeUndefined();
		expect(leadway.requests).toHaveLength(1);
		expect(leadway.uploads[0].fields).toEqual([
			['contactId', 'contact_9'],
			['locationId', LEADWAY_LOCATION],
		]);
		expect(leadway.uploads[0].files).toEqual([
			{ fileName: 'logo.png', contentType: 'image/png', size: png.length, sha256: sha256(png) },
			{ fileName: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			{ fileName: 'notes.txt', contentType: 'text/plain', size: text.length, sha256: sha256(text) },
		]);
		expect(result.items[0].json.files).toEqual([
			{ name: 'logo.png', url: urlOf('logo.png') },
			{ name: 'invoice.pdf', url: urlOf('invoice.pdf') },
			{ name: 'notes.txt', url: urlOf('notes.txt') },
		]);
	});

	it('splits seven files into requests of 5 and 2 and merges them into one output item', async () => {
		const files = manyFiles(7);
		const result = await run(
			{
				conversationId: 'conv_1',
				filesFrom: 'all',
				options: { attachmentUrls: ['https://cdn.example.com/a.pdf', 'https://cdn.example.com/b.png'] },
			},
			[{ files }],
		);

		expect(result.error).toBeUndefined();
		expect(leadway.requests).toHaveLength(2);
		expect(leadway.uploads.map((upload) => upload.files.map((file) => file.fileName))).toEqual([
			['page-1.txt', 'page-2.txt', 'page-3.txt', 'page-4.txt', 'page-5.txt'],
			['page-6.txt', 'page-7.txt'],
		]);
		expect(leadway.uploads.flatMap((upload) => upload.files.map((file) => file.sha256))).toEqual(
			files.map((file) => sha256(file.content)),
		);
		// Attachment URLs go once, as repeated parts of the first request.
		expect(leadway.uploads[0].fields).toEqual([
			['conversationId', 'conv_1'],
			['locationId', LEADWAY_LOCATION],
			['attachmentUrls', 'https://cdn.example.com/a.pdf'],
			['attachmentUrls', 'https://cdn.example.com/b.png'],
		]);
		expect(leadway.uploads[1].fields).toEqual([
			['conversationId', 'conv_1'],
			['locationId', LEADWAY_LOCATION],
		]);

		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const json = result.items[0].json as { uploadedFiles: Record<string, string>; files: Array<{ name: string; url: string }> };
		expect(json.files.map((file) => file.name)).toEqual(files.map((file) => file.fileName));
		expect(Object.keys(json.uploadedFiles)).toEqual(files.map((file) => file.fileName));
		for (const file of json.files) expect(json.uploadedFiles[file.name]).toBe(file.url);
	});

	it('uses the Location ID of the node over the credential default', async () => {
		leadway.locations.set('loc_other', 'Other');
		const result = await run({ conversationId: 'conv_1', locationId: ' loc_other ' }, [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error).toBeUndefined();
		expect(leadway.uploads[0].fields).toContainEqual(['locationId', 'loc_other']);
	});

	it('accepts upper-case extensions and a file without extension by its MIME type', async () => {
		const result = await run({ conversationId: 'conv_1', binaryPropertyName: 'photo, scan' }, [
			{
				files: [
					{ property: 'photo', fileName: 'PHOTO.JPG', mimeType: 'image/jpeg', content: png },
					{ property: 'scan', fileName: 'scan', mimeType: 'application/pdf', content: pdf },
				],
			},
		]);
		expect(result.error).toBeUndefined();
		expect(leadway.uploads[0].files.map((file) => [file.fileName, file.contentType])).toEqual([
			['PHOTO.JPG', 'image/jpeg'],
			['scan', 'application/pdf'],
		]);
	});

	it('streams a 5 MB file from filesystem binary storage byte for byte', async () => {
		const video = bytesOfSize(5 * MB, 7);
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'clip.mp4', content: video }] }]);

		expect(result.error).toBeUndefined();
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toMatch(/^filesystem/);
		expect(leadway.uploads[0].files).toEqual([
			{ fileName: 'clip.mp4', contentType: 'video/mp4', size: 5 * MB, sha256: sha256(video) },
		]);
	});
});

describe('Group SMS', () => {
	it('sends isGroupSms and chatServiceSid with one file and returns the Twilio media SIDs', async () => {
		const result = await run(
			{ conversationId: 'conv_1', options: { isGroupSms: true, chatServiceSid: 'IS0123456789abcdef' } },
			[{ files: [{ fileName: 'logo.png', content: png }] }],
		);

		expect(result.error).toBeUndefined();
		expect(leadway.uploads[0].fields).toEqual([
			['conversationId', 'conv_1'],
			['locationId', LEADWAY_LOCATION],
			['chatServiceSid', 'IS0123456789abcdef'],
			['isGroupSms', 'true'],
		]);
		expect(result.items[0].json.twilioMediaSids).toEqual([`ME${sha256(png).slice(0, 32)}`]);
	});

	it('does not send isGroupSms when it is off', async () => {
		await run({ conversationId: 'conv_1', options: { isGroupSms: false } }, [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(leadway.uploads[0].fields.map(([name]) => name)).toEqual(['conversationId', 'locationId']);
	});

	it('refuses two files before sending anything', async () => {
		const result = await run(
			{ conversationId: 'conv_1', filesFrom: 'all', options: { isGroupSms: true } },
			[{ files: manyFiles(2) }],
		);
		expect(result.error?.message).toBe('Group SMS allows one file, but 2 were given on item 0');
		expect(result.error?.description).toMatch(/exactly one file per request/);
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('refusals before sending', () => {
	it('refuses a 6 MB file', async () => {
		const result = await run({ conversationId: 'conv_1', binaryPropertyName: 'data, big' }, [
			{
				files: [
					{ fileName: 'logo.png', content: png },
					{ property: 'big', fileName: 'big.pdf', content: bytesOfSize(6 * MB) },
				],
			},
		]);
		expect(result.error?.message).toBe(
			`File "big.pdf" is 6 MB (${6 * MB} bytes), over Leadway's limit of 5 MB on item 0`,
		);
		expect(result.error?.description).toMatch(/at most 5 MB/);
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses an .exe file', async () => {
		const result = await run({ conversationId: 'conv_1' }, [
			{ files: [{ fileName: 'setup.exe', content: Buffer.from('MZ fake') }] },
		]);
		expect(result.error?.message).toBe('File "setup.exe" has extension ".exe", which Leadway does not accept on item 0');
		expect(result.error?.description).toContain('jpg, jpeg, png, mp4, mpeg, zip, rar, pdf, doc, docx, txt, mp3, wav');
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses a bad file anywhere in a split set before the first request', async () => {
		const files = manyFiles(7);
		files[6] = { property: 'file6', fileName: 'macro.xlsm', content: Buffer.from('x') };
		const result = await run({ conversationId: 'conv_1', filesFrom: 'all' }, [{ files }]);
		expect(result.error?.message).toMatch(/"macro\.xlsm" has extension "\.xlsm"/);
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses when neither Conversation ID nor Contact ID is given', async () => {
		const result = await run({ conversationId: ' ', contactId: '' }, [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('Conversation ID and Contact ID are both empty on item 0');
		expect(result.error?.description).toMatch(/Conversation ID, a Contact ID, or both/);
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses when no Location ID is set in the node or the credential', async () => {
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'logo.png', content: png }] }], {
			credential: { locationId: '' },
		});
		expect(result.error?.message).toBe('Location ID is empty on item 0');
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses two files of the same name, since Leadway keys its answer by file name', async () => {
		const result = await run({ conversationId: 'conv_1', binaryPropertyName: 'a, b' }, [
			{
				files: [
					{ property: 'a', fileName: 'scan.pdf', content: pdf },
					{ property: 'b', fileName: 'scan.pdf', content: Buffer.from('%PDF-1.4 other') },
				],
			},
		]);
		expect(result.error?.message).toBe('Two files are named "scan.pdf" on item 0');
		expect(leadway.requests).toHaveLength(0);
	});

	it('names a missing binary property', async () => {
		const result = await run({ conversationId: 'conv_1', binaryPropertyName: 'data, photo' }, [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('No binary field "photo" on item 0');
		expect(result.error?.description).toContain('"data"');
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses an attachment URL that is not http(s)', async () => {
		const result = await run({ conversationId: 'conv_1', options: { attachmentUrls: ['ftp://files/a.pdf'] } }, [
			{ files: [{ fileName: 'logo.png', content: png }] },
		]);
		expect(result.error?.message).toBe('Attachment URL is not a valid http(s) URL on item 0');
		expect(leadway.requests).toHaveLength(0);
	});

	it('refuses a line break in the API Version (header injection) without sending', async () => {
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'logo.png', content: png }] }], {
			credential: { apiVersion: '2021-07-28\r\nX-Injected: yes' },
		});
		expect(result.error?.message).toBe(
			'API Version in the Leadway credential contains a line break or another control character on item 0',
		);
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('Leadway refusals', () => {
	it('the double rejects a request without the Version header, so the node must be sending it', async () => {
		const response = await fetch(`${leadway.url}/locations/${LEADWAY_LOCATION}`, {
			headers: { authorization: `Bearer ${LEADWAY_TOKEN}` },
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ status: 401, message: 'Version header was not found' });
	});

	it('sends the API Version from the credential', async () => {
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'logo.png', content: png }] }], {
			credential: { apiVersion: '2099-01-01' },
		});
		expect(leadway.requests[0].headers.version).toBe('2099-01-01');
		expect(result.error?.message).toBe('Version 2099-01-01 is not supported');
		expect(result.error?.httpCode).toBe('400');
	});

	it('surfaces 413 with its message and a fix', async () => {
		leadway.maxFileBytes = 1024;
		const result = await run({ conversationId: 'conv_1' }, [
			{ files: [{ fileName: 'report.pdf', content: bytesOfSize(2048) }] },
		]);
		expect(result.error?.message).toBe('File size exceeds the 5 MB limit');
		expect(result.error?.description).toMatch(/at most 5 MB each/);
		expect(result.error?.httpCode).toBe('413');
	});

	it('surfaces 415 with its message and a fix', async () => {
		leadway.allowedExtensions = ['png'];
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }]);
		expect(result.error?.message).toBe('File type of invoice.pdf is not supported');
		expect(result.error?.description).toMatch(/only these file types/);
		expect(result.error?.httpCode).toBe('415');
	});

	it('surfaces a wrong token without echoing it', async () => {
		const result = await run({ conversationId: 'conv_1' }, [{ files: [{ fileName: 'logo.png', content: png }] }], {
			credential: { accessToken: 'pit-wrong-token' },
		});
		expect(result.error?.message).toBe('Invalid JWT');
		expect(result.error?.description).toMatch(/token/);
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.run.data.resultData)).not.toContain('pit-wrong-token');
	});

	it('when the second request of a split fails, names the files already uploaded and their URLs', async () => {
		leadway.failUploadRequest(2, 500, 'Upstream storage unavailable');
		const files = manyFiles(7);
		const result = await run({ conversationId: 'conv_1', filesFrom: 'all' }, [{ files }]);

		expect(leadway.requests).toHaveLength(2);
		expect(leadway.uploads).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Upstream storage unavailable (upload request 2 of 2; 5 files were already uploaded)',
		);
		expect(result.error?.httpCode).toBe('500');
		const description = result.error?.description ?? '';
		for (const file of leadway.uploads[0].files) {
			const url = `https://storage.example.invalid/${LEADWAY_LOCATION}/${file.sha256.slice(0, 12)}/${file.fileName}`;
			expect(description).toContain(`${file.fileName} (${url})`);
		}
		expect(description).toContain('Not uploaded: page-6.txt, page-7.txt.');
	});
});

describe('Continue On Fail', () => {
	it('keeps every item, paired, when one fails locally and one is refused by Leadway', async () => {
		const result = await run(
			// One at a time, so the double's arrival order below is the input order.
			{
				conversationId: '={{ $json.conversationId }}',
				locationId: '={{ $json.locationId }}',
				requestOptions: { concurrency: 1 },
			},
			[
				{ json: { conversationId: 'conv_1' }, files: [{ fileName: 'logo.png', content: png }] },
				{ json: { conversationId: '' }, files: [{ fileName: 'logo.png', content: png }] },
				{ json: { conversationId: 'conv_2', locationId: 'loc_foreign' }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
				{ json: { conversationId: 'conv_3' }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
			],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json.files).toEqual([{ name: 'logo.png', url: urlOf('logo.png') }]);
		expect(result.items[1].json.error).toBe('Conversation ID and Contact ID are both empty on item 1');
		expect(result.items[2].json.error).toBe('The token does not have access to this location');
		expect(result.items[3].json.files).toEqual([{ name: 'invoice.pdf', url: urlOf('invoice.pdf') }]);
		expect(leadway.uploads.map((upload) => upload.fields[0][1])).toEqual(['conv_1', 'conv_3']);
	});

	it('a failed split keeps the uploaded names and URLs in the error item', async () => {
		leadway.failUploadRequest(2, 413, 'File size exceeds the 5 MB limit');
		const result = await run({ conversationId: 'conv_1', filesFrom: 'all' }, [{ files: manyFiles(6) }], {
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json.error).toMatch(/upload request 2 of 2; 5 files were already uploaded/);
		expect(result.items[0].json.details).toMatch(/^Already uploaded, do not send again: page-1\.txt \(https:/);
		expect(result.items[0].json.details).toContain('Not uploaded: page-6.txt.');
	});
});

describe('Leadway credential test', () => {
	it('reads the default location with the token and the Version header', async () => {
		const result = await testCredential(pkg, 'leadwayApi', credentials());
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(leadway.requests).toHaveLength(1);
		expect(leadway.requests[0].path).toBe(`/locations/${LEADWAY_LOCATION}`);
		expect(leadway.requests[0].headers.authorization).toBe(`Bearer ${LEADWAY_TOKEN}`);
		expect(leadway.requests[0].headers.version).toBe(LEADWAY_VERSION);
	});

	it('without a Location ID, searches one conversation of the token\'s location', async () => {
		const result = await testCredential(pkg, 'leadwayApi', credentials({ locationId: '' }));
		expect(result.status).toBe('OK');
		expect(leadway.requests[0].path).toBe('/conversations/search');
		expect(leadway.requests[0].query.get('limit')).toBe('1');
	});

	it('fails with a clear message for a wrong token, without echoing it', async () => {
		const result = await testCredential(pkg, 'leadwayApi', credentials({ accessToken: 'pit-nope' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the token/);
		expect(result.message).not.toContain('pit-nope');
	});

	it('fails with a clear message for an unknown Location ID', async () => {
		const result = await testCredential(pkg, 'leadwayApi', credentials({ locationId: 'loc_missing' }));
		expect(result).toEqual({
			status: 'Error',
			message: 'Leadway answered HTTP 404 (Location not found). Leadway did not find the Location ID. Check it, or leave it empty.',
		});
	});

	it('a line break in the API Version is refused before sending, and the test says to fix the version', async () => {
		const result = await testCredential(pkg, 'leadwayApi', credentials({ apiVersion: '2021-07-28\r\nX-Injected: yes' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Check the API Version/);
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('default (in-memory) binary data mode', () => {
	useBinaryData('default');

	it('uploads files kept in the execution data byte for byte', async () => {
		const result = await run({ conversationId: 'conv_1', binaryPropertyName: 'data, invoice' }, [
			{
				files: [
					{ fileName: 'logo.png', content: png },
					{ property: 'invoice', fileName: 'invoice.pdf', content: pdf },
				],
			},
		]);
		expect(result.error).toBeUndefined();
		const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id).toBeUndefined();
		expect(leadway.uploads[0].files.map((file) => file.sha256)).toEqual([sha256(png), sha256(pdf)]);
	});
});
