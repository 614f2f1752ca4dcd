/**
 * The bad-input corpus: every case runs through the engine against the node's API double
 * and must end in a NodeOperationError that names the item, the field and the fix, with
 * not one request sent to any double. Legal but awkward input (IDs with "/", "?", "#",
 * "%", unicode file names) must arrive intact: the exact path or name the double saw.
 *
 * MIME/extension rule (see fileRules.ts `mimeMustMatchExtension`): Haptik and Leadway
 * decide the file type from the extension, so a name and MIME type of different kinds
 * (image, audio/video, document) are refused. Invent and CityPay store the MIME type they
 * are sent and check no extension, so there the MIME type sent is the one that counts.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CITYPAY_TOKEN, CityPayDouble } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN, HAPTIK_USER, HaptikDouble } from '../doubles/haptik';
import type { HttpDouble } from '../doubles/httpDouble';
import { sha256 } from '../doubles/httpDouble';
import { INVENT_API_KEY, InventDouble } from '../doubles/invent';
import { LEADWAY_TOKEN, LeadwayDouble } from '../doubles/leadway';
import { credentialsFor, useApiDoubles } from '../harness/apiDoubles';
import type { FixtureFile, FixtureItem, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { bytesOfSize, fixture } from '../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');

type NodeName = 'invent' | 'haptik' | 'cityPay' | 'leadway';

const doubles = { invent: new InventDouble(), haptik: new HaptikDouble(), cityPay: new CityPayDouble(), leadway: new LeadwayDouble() };
const { pkg } = useApiDoubles(Object.values(doubles));

/** Parameters of a working call of each node; a case changes what it tests. */
const baseParameters: Record<NodeName, Record<string, unknown>> = {
	invent: {
		resource: 'contactFile',
		operation: 'upload',
		organizationId: 'c',
		contactId: 'ct_known',
		inputType: 'binary',
		binaryPropertyName: 'data',
	},
	haptik: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234', binaryPropertyName: 'data' },
	cityPay: { resource: 'attachment', operation: 'upload', binaryPropertyName: 'data' },
	leadway: { resource: 'conversation', operation: 'upload', conversationId: 'conv_1', filesFrom: 'named', binaryPropertyName: 'data' },
};

function run(
	node: NodeName,
	parameters: Record<string, unknown>,
	input: FixtureItem[],
	credentials: (good: ICredentialDataDecryptedObject) => ICredentialDataDecryptedObject = (good) => good,
): Promise<RunResult> {
	// The one credential the node reads, by its type's name, pointing at the node's double.
	const [[type, good]] = Object.entries(credentialsFor(doubles[node]));
	return runNode({
		pkg,
		node: { type: node, parameters: { ...baseParameters[node], ...parameters } },
		input,
		credentials: { [type]: credentials(good) },
	});
}

const file = (fileName: string, content: Buffer = pdf, extra: Partial<FixtureFile> = {}): FixtureItem => ({
	files: [{ fileName, content, ...extra }],
});
const pdfItem = file('invoice.pdf');

interface BadCase {
	node: NodeName;
	name: string;
	parameters?: Record<string, unknown>;
	input?: FixtureItem[];
	credentials?: (good: ICredentialDataDecryptedObject) => ICredentialDataDecryptedObject;
	/** What the message must name: the field or value at fault. */
	field: RegExp;
	/** What the description must say: the fix. */
	fix: RegExp;
}

const MB = 1024 * 1024;
const longName = `${'a'.repeat(300)}.pdf`;
/** 94 characters but 274 bytes in UTF-8: the limit is in bytes. */
const longUnicodeName = `${'文'.repeat(90)}.pdf`;
const notHttp = ['ftp://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:alert(1)', '127.0.0.1:8080'];

const cases: BadCase[] = [
	// ---- Invent ----------------------------------------------------------------------
	{ node: 'invent', name: 'no binary data at all', input: [{}], field: /binary field "data"/, fix: /no binary data/ },
	{
		node: 'invent',
		name: 'wrong binary property name lists the ones that exist',
		parameters: { binaryPropertyName: 'file' },
		input: [{ files: [{ fileName: 'a.pdf', content: pdf }, { property: 'photo', fileName: 'b.png', content: png }] }],
		field: /binary field "file"/,
		fix: /"data", "photo"/,
	},
	{ node: 'invent', name: 'blank binary property name', parameters: { binaryPropertyName: '  ' }, input: [pdfItem], field: /Input Binary Field is empty/, fix: /"data"/ },
	{ node: 'invent', name: 'zero-byte file', input: [file('empty.pdf', Buffer.alloc(0))], field: /"empty.pdf" is empty \(0 bytes\)/, fix: /needs a file with content/ },
	{ node: 'invent', name: 'Contact ID mapped to an empty value', parameters: { contactId: '={{ "" }}' }, input: [pdfItem], field: /Contact ID is empty/, fix: /Enter the Contact ID/ },
	{ node: 'invent', name: 'whitespace Contact ID', parameters: { contactId: ' \t ' }, input: [pdfItem], field: /Contact ID is empty/, fix: /Enter the Contact ID/ },
	{ node: 'invent', name: 'Contact ID ".."', parameters: { contactId: '..' }, input: [pdfItem], field: /Contact ID "\.\." is not a valid ID/, fix: /would change the request path/ },
	{ node: 'invent', name: 'Contact ID "."', parameters: { contactId: ' . ' }, input: [pdfItem], field: /Contact ID "\." is not a valid ID/, fix: /would change the request path/ },
	{ node: 'invent', name: 'Organization ID mapped to an empty value', parameters: { organizationId: '={{ "" }}' }, input: [pdfItem], field: /Organization ID is empty/, fix: /Enter the Organization ID/ },
	{ node: 'invent', name: 'Organization ID ".."', parameters: { organizationId: '..' }, input: [pdfItem], field: /Organization ID "\.\."/, fix: /request path/ },
	...['not a url', 'ftp://example.com/a.pdf', 'javascript:alert(1)', 'file:///etc/passwd', '={{ "" }}', 'https://exa mple.com/a.pdf', 'http://'].map(
		(fileUrl): BadCase => ({
			node: 'invent',
			name: `malformed File URL ${JSON.stringify(fileUrl)}`,
			parameters: { inputType: 'url', fileUrl },
			input: [{}],
			field: /File URL is not a valid http\(s\) URL/,
			fix: /starting with https:\/\//,
		}),
	),
	{ node: 'invent', name: 'File Name option with a path', parameters: { options: { fileName: '../../etc/report.pdf' } }, input: [pdfItem], field: /path separator/, fix: /File Name option/ },
	{ node: 'invent', name: 'file name with a backslash', input: [file('C:\\temp\\report.pdf')], field: /path separator/, fix: /without "\/", "\\"/ },
	{ node: 'invent', name: 'file name with a line feed', input: [file('report\n.pdf')], field: /"report\\n\.pdf" contains a line break/, fix: /control characters/ },
	{ node: 'invent', name: 'file name of 304 bytes', input: [file(longName)], field: /304 bytes long, over the 255-byte limit/, fix: /at most 255 bytes/ },
	{ node: 'invent', name: 'unicode file name over 255 bytes', input: [file(longUnicodeName)], field: /274 bytes long/, fix: /at most 255 bytes/ },
	{ node: 'invent', name: 'MIME type outside Allowed MIME Types', parameters: { options: { allowedTypes: 'image/*' } }, input: [pdfItem], field: /MIME type "application\/pdf"/, fix: /allowed type/ },
	{ node: 'invent', name: 'malformed Allowed MIME Types', parameters: { options: { allowedTypes: 'pdf files' } }, input: [pdfItem], field: /Allowed MIME Types is not valid/, fix: /"pdf files" is not a MIME pattern/ },
	{ node: 'invent', name: 'API Key with CR LF', input: [pdfItem], credentials: (good) => ({ ...good, apiKey: `${INVENT_API_KEY}\r\nX-Injected: 1` }), field: /API Key in the Invent credential contains a line break/, fix: /as one line/ },
	...notHttp.map(
		(baseUrl): BadCase => ({
			node: 'invent',
			name: `credential Base URL ${JSON.stringify(baseUrl)}`,
			input: [pdfItem],
			credentials: (good) => ({ ...good, baseUrl }),
			field: /Base URL in the Invent credential is not an http:\/\/ or https:\/\/ URL/,
			fix: /starting with https:\/\//,
		}),
	),

	// ---- Haptik ----------------------------------------------------------------------
	{ node: 'haptik', name: 'no binary data at all', input: [{}], field: /binary field "data"/, fix: /no binary data/ },
	{
		node: 'haptik',
		name: 'wrong binary property name lists the ones that exist',
		parameters: { binaryPropertyName: 'attachment' },
		input: [{ files: [{ property: 'invoice', fileName: 'a.pdf', content: pdf }] }],
		field: /binary field "attachment"/,
		fix: /"invoice"/,
	},
	{ node: 'haptik', name: 'zero-byte file', input: [file('empty.pdf', Buffer.alloc(0))], field: /is empty \(0 bytes\)/, fix: /needs a file with content/ },
	{ node: 'haptik', name: 'one byte over 10 MB', input: [file('big.pdf', bytesOfSize(10 * MB + 1), { mimeType: 'application/pdf' })], field: /over Haptik's limit of 10 MB/, fix: /at most 10 MB/ },
	{ node: 'haptik', name: 'disallowed extension', input: [file('notes.txt', Buffer.from('hello'))], field: /extension "\.txt", which Haptik does not accept/, fix: /docx, doc, pdf/ },
	{ node: 'haptik', name: 'no extension and an unknown MIME type', input: [file('blob', pdf, { mimeType: 'application/octet-stream' })], field: /no extension and MIME type "application\/octet-stream"/, fix: /set a file name with one of these extensions/ },
	{ node: 'haptik', name: 'PDF bytes named .png', input: [file('photo.png', pdf, { mimeType: 'application/pdf' })], field: /extension "\.png" \(image\) but MIME type "application\/pdf" \(document\)/, fix: /real extension/ },
	{ node: 'haptik', name: 'image named .pdf', input: [file('scan.pdf', png, { mimeType: 'image/png' })], field: /"\.pdf" \(document\) but MIME type "image\/png"/, fix: /real extension/ },
	{ node: 'haptik', name: 'document sent as Message Type Image', parameters: { messageType: 'image' }, input: [pdfItem], field: /is a document \(\.pdf\), but Message Type is Image/, fix: /Set Message Type to Auto or Document/ },
	{ node: 'haptik', name: 'non-numeric Business ID', parameters: { businessId: 'support-queue' }, input: [pdfItem], field: /Business ID is "support-queue", which is not a number/, fix: /digits only/ },
	{ node: 'haptik', name: 'Business ID with a letter', parameters: { businessId: '12a' }, input: [pdfItem], field: /Business ID is "12a"/, fix: /digits only/ },
	{ node: 'haptik', name: 'empty Business ID', parameters: { businessId: '   ' }, input: [pdfItem], field: /Business ID is empty/, fix: /digits only/ },
	{ node: 'haptik', name: 'whitespace User Auth ID', parameters: { authId: '  ' }, input: [pdfItem], field: /User Auth ID is empty/, fix: /Enter the user's ID/ },
	{ node: 'haptik', name: 'File Name option with a path', parameters: { options: { fileName: '../../etc/passwd.pdf' } }, input: [pdfItem], field: /path separator/, fix: /File Name option/ },
	{ node: 'haptik', name: 'file name with a carriage return', input: [file('a\r.pdf')], field: /contains a line break/, fix: /control characters/ },
	{ node: 'haptik', name: 'Client ID with CR LF', input: [pdfItem], credentials: (good) => ({ ...good, clientId: `${HAPTIK_CLIENT_ID}\r\nX-Injected: 1` }), field: /Client ID in the Haptik credential contains a line break/, fix: /one line/ },
	{ node: 'haptik', name: 'Token with LF', input: [pdfItem], credentials: (good) => ({ ...good, token: `${HAPTIK_TOKEN}\n` }), field: /Token in the Haptik credential contains a line break/, fix: /one line/ },
	...notHttp.slice(0, 2).map(
		(baseUrl): BadCase => ({
			node: 'haptik',
			name: `credential Base URL ${JSON.stringify(baseUrl)}`,
			input: [pdfItem],
			credentials: (good) => ({ ...good, baseUrl }),
			field: /Base URL in the Haptik credential is not an http:\/\/ or https:\/\/ URL/,
			fix: /starting with https:\/\//,
		}),
	),

	// ---- CityPay ---------------------------------------------------------------------
	{ node: 'cityPay', name: 'no binary data at all', input: [{}], field: /binary field "data"/, fix: /no binary data/ },
	{
		node: 'cityPay',
		name: 'wrong binary property name lists the ones that exist',
		parameters: { binaryPropertyName: 'Data' },
		input: [pdfItem],
		field: /binary field "Data"/,
		fix: /"data"/,
	},
	{ node: 'cityPay', name: 'zero-byte file', input: [file('empty.txt', Buffer.alloc(0))], field: /is empty \(0 bytes\)/, fix: /needs a file with content/ },
	{ node: 'cityPay', name: 'File Name option with a backslash', parameters: { options: { fileName: 'folder\\invoice.pdf' } }, input: [pdfItem], field: /path separator/, fix: /File Name option/ },
	{ node: 'cityPay', name: 'file name with a tab', input: [file('in\tvoice.pdf')], field: /control character/, fix: /control characters/ },
	{ node: 'cityPay', name: 'file name of 304 bytes', input: [file(longName)], field: /over the 255-byte limit/, fix: /at most 255 bytes/ },
	{ node: 'cityPay', name: 'Get with an Attachment ID mapped to an empty value', parameters: { operation: 'get', attachmentId: '={{ "" }}' }, input: [{}], field: /Attachment ID is empty/, fix: /Enter the Attachment ID/ },
	{ node: 'cityPay', name: 'Delete with a whitespace Attachment ID', parameters: { operation: 'delete', attachmentId: '   ' }, input: [{}], field: /Attachment ID is empty/, fix: /Enter the Attachment ID/ },
	{ node: 'cityPay', name: 'Delete with Attachment ID ".."', parameters: { operation: 'delete', attachmentId: '..' }, input: [{}], field: /Attachment ID "\.\." is not a valid ID/, fix: /request path/ },
	{ node: 'cityPay', name: 'Rename with Attachment ID "."', parameters: { operation: 'rename', attachmentId: '.', fileName: 'a.pdf' }, input: [{}], field: /Attachment ID "\."/, fix: /request path/ },
	{ node: 'cityPay', name: 'Rename to a name with a path', parameters: { operation: 'rename', attachmentId: 'att_1', fileName: 'archive/a.pdf' }, input: [{}], field: /New File Name "archive\/a.pdf" contains a path separator/, fix: /file name only/ },
	{ node: 'cityPay', name: 'Rename to a name with a line feed', parameters: { operation: 'rename', attachmentId: 'att_1', fileName: 'a\nb.pdf' }, input: [{}], field: /New File Name "a\\nb.pdf" contains a line break/, fix: /on one line/ },
	{ node: 'cityPay', name: 'Rename to a name over 255 bytes', parameters: { operation: 'rename', attachmentId: 'att_1', fileName: longName }, input: [{}], field: /over the 255-byte limit/, fix: /at most 255 bytes/ },
	{ node: 'cityPay', name: 'Rename to an empty name', parameters: { operation: 'rename', attachmentId: 'att_1', fileName: '  ' }, input: [{}], field: /New File Name is empty/, fix: /Enter the name/ },
	{ node: 'cityPay', name: 'Download with an Attachment ID mapped to whitespace', parameters: { operation: 'download', attachmentId: '={{ "  " }}' }, input: [{}], field: /Attachment ID is empty/, fix: /Enter the Attachment ID/ },
	{ node: 'cityPay', name: 'Token with CR LF', parameters: { operation: 'get', attachmentId: 'att_1' }, input: [{}], credentials: (good) => ({ ...good, token: `${CITYPAY_TOKEN}\r\n` }), field: /Token in the CityPay credential contains a line break/, fix: /one line/ },
	...notHttp.slice(1, 3).map(
		(baseUrl): BadCase => ({
			node: 'cityPay',
			name: `credential Base URL ${JSON.stringify(baseUrl)}`,
			parameters: { operation: 'getMany', returnAll: true },
			input: [{}],
			credentials: (good) => ({ ...good, baseUrl }),
			field: /Base URL in the CityPay credential is not an http:\/\/ or https:\/\/ URL/,
			fix: /starting with https:\/\//,
		}),
	),

	// ---- Leadway ---------------------------------------------------------------------
	{ node: 'leadway', name: 'neither Conversation ID nor Contact ID', parameters: { conversationId: '', contactId: '' }, input: [pdfItem], field: /Conversation ID and Contact ID are both empty/, fix: /enter a Conversation ID, a Contact ID, or both/ },
	{ node: 'leadway', name: 'whitespace Conversation ID and Contact ID', parameters: { conversationId: '  ', contactId: '\t' }, input: [pdfItem], field: /Conversation ID and Contact ID are both empty/, fix: /Contact ID, or both/ },
	{
		node: 'leadway',
		name: 'Group SMS with 2 files',
		parameters: { binaryPropertyName: 'a, b', options: { isGroupSms: true } },
		input: [{ files: [{ property: 'a', fileName: 'a.pdf', content: pdf }, { property: 'b', fileName: 'b.png', content: png }] }],
		field: /Group SMS allows one file, but 2 were given/,
		fix: /exactly one file per request/,
	},
	{
		node: 'leadway',
		name: 'Group SMS with 6 files',
		parameters: { filesFrom: 'all', options: { isGroupSms: true } },
		input: [{ files: [1, 2, 3, 4, 5, 6].map((n) => ({ property: `f${n}`, fileName: `f${n}.pdf`, content: pdf })) }],
		field: /Group SMS allows one file, but 6 were given/,
		fix: /turn Group SMS off/,
	},
	{ node: 'leadway', name: 'no binary data with All Binary Properties', parameters: { filesFrom: 'all' }, input: [{}], field: /No binary data to upload on item 0/, fix: /Put a node that outputs files/ },
	{
		node: 'leadway',
		name: 'one of the named properties is missing',
		parameters: { binaryPropertyName: 'data, photo' },
		input: [pdfItem],
		field: /binary field "photo"/,
		fix: /"data"/,
	},
	{ node: 'leadway', name: 'zero-byte file', input: [file('empty.pdf', Buffer.alloc(0))], field: /is empty \(0 bytes\)/, fix: /needs a file with content/ },
	{ node: 'leadway', name: 'one byte over 5 MB', input: [file('big.pdf', bytesOfSize(5 * MB + 1), { mimeType: 'application/pdf' })], field: /over Leadway's limit of 5 MB/, fix: /at most 5 MB/ },
	{ node: 'leadway', name: 'disallowed extension', input: [file('setup.exe', Buffer.from('MZ'))], field: /extension "\.exe", which Leadway does not accept/, fix: /jpg, jpeg, png/ },
	{ node: 'leadway', name: 'no extension and an unknown MIME type', input: [file('upload', pdf, { mimeType: 'application/octet-stream' })], field: /no extension/, fix: /set a file name/ },
	{ node: 'leadway', name: 'PDF bytes named .mp4', input: [file('clip.mp4', pdf, { mimeType: 'application/pdf' })], field: /"\.mp4" \(media\) but MIME type "application\/pdf" \(document\)/, fix: /real extension/ },
	{ node: 'leadway', name: 'file name with a control character', input: [file('bell\u0007.pdf')], field: /control character/, fix: /control characters/ },
	...['www.example.com/brochure.pdf', 'ftp://example.com/a.pdf', 'not a url'].map(
		(url): BadCase => ({
			node: 'leadway',
			name: `malformed Attachment URL ${JSON.stringify(url)}`,
			parameters: { options: { attachmentUrls: ['https://example.com/ok.pdf', url] } },
			input: [pdfItem],
			field: /Attachment URL is not a valid http\(s\) URL/,
			fix: /starting with https:\/\//,
		}),
	),
	{ node: 'leadway', name: 'API Version with CR LF', input: [pdfItem], credentials: (good) => ({ ...good, apiVersion: '2021-07-28\r\nX-Injected: 1' }), field: /API Version in the Leadway credential contains a line break/, fix: /fix API Version/ },
	{ node: 'leadway', name: 'Token with a lone CR', input: [pdfItem], credentials: (good) => ({ ...good, accessToken: `${LEADWAY_TOKEN}\r` }), field: /Token in the Leadway credential contains a line break/, fix: /fix Token/ },
	{ node: 'leadway', name: 'no Location ID anywhere', input: [pdfItem], credentials: (good) => ({ ...good, locationId: '' }), field: /Location ID is empty/, fix: /default Location ID in the Leadway credential/ },
	...[notHttp[0], notHttp[3]].map(
		(baseUrl): BadCase => ({
			node: 'leadway',
			name: `credential Base URL ${JSON.stringify(baseUrl)}`,
			input: [pdfItem],
			credentials: (good) => ({ ...good, baseUrl }),
			field: /Base URL in the Leadway credential is not an http:\/\/ or https:\/\/ URL/,
			fix: /starting with https:\/\//,
		}),
	),
];

describe('bad input is refused before any request', () => {
	it('the corpus has at least 50 cases and covers every node', () => {
		expect(cases.length).toBeGreaterThanOrEqual(50);
		const perNode = Object.fromEntries(
			(['invent', 'haptik', 'cityPay', 'leadway'] as const).map((node) => [node, cases.filter((c) => c.node === node).length]),
		);
		console.log(`bad-input corpus: ${cases.length} refusal cases`, perNode);
		for (const count of Object.values(perNode)) expect(count).toBeGreaterThanOrEqual(10);
	});

	it.each(cases.map((badCase) => [`${badCase.node}: ${badCase.name}`, badCase] as const))('%s', async (_, badCase) => {
		const result = await run(badCase.node, badCase.parameters ?? {}, badCase.input ?? [pdfItem], badCase.credentials);
		expect(result.items).toEqual([]);
		expect((result.error as { name?: string } | undefined)?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/\b[Ii]tem 0\b/);
		expect(result.error?.message).toMatch(badCase.field);
		expect(result.error?.description).toMatch(badCase.fix);
		expect(result.error?.context?.itemIndex).toBe(0);
		for (const double of Object.values(doubles) as HttpDouble[]) expect(double.requests).toEqual([]);
	});
});

describe('legal but awkward IDs arrive as one URL-encoded path segment', () => {
	const awkwardIds = ['a/b', '../admin', 'x?y=1', 'frag#ment', '100%', '%2F', 'a b', '..%2F..', 'ünï/cödé'];

	it.each(awkwardIds)('CityPay Get with Attachment ID %j', async (id) => {
		doubles.cityPay.attachments.push({
			id,
			message_id: 'msg_1',
			filename: 'a.txt',
			file_type: 'text/plain',
			created_at: 1700000000,
			conversationId: null,
			bytes: Buffer.from('a'),
			sha256: sha256('a'),
		});
		const result = await run('cityPay', { operation: 'get', attachmentId: ` ${id} ` }, [{}]);
		expect(result.error).toBeUndefined();
		expect(doubles.cityPay.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /attachments/${encodeURIComponent(id)}`,
		]);
		expect([...doubles.cityPay.requests[0].query.keys()]).toEqual([]);
		expect(result.items[0].json.id).toBe(id);
	});

	it.each(awkwardIds)('Invent upload with Contact ID %j', async (id) => {
		doubles.invent.contacts.push({ id, name: 'Awkward', channels: [], segments: [], created_at: '', updated_at: '' });
		const result = await run('invent', { contactId: id }, [pdfItem]);
		expect(result.error).toBeUndefined();
		expect(doubles.invent.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`POST /orgs/c/contacts/${encodeURIComponent(id)}/files`,
		]);
		expect(doubles.invent.files).toEqual([expect.objectContaining({ contactId: id, sha256: sha256(pdf) })]);
	});
});

describe('unicode file names arrive intact', () => {
	const names = ['Résumé – Zoë.pdf', '請求書 2024.pdf', 'отчёт 📄.pdf', 'he said "hi".pdf'];

	it.each(names)('Haptik receives %j', async (fileName) => {
		const result = await run('haptik', {}, [file(fileName)]);
		expect(result.error).toBeUndefined();
		expect(doubles.haptik.uploads).toHaveLength(1);
		// form-data escapes `"` as %22, as browsers do (WHATWG multipart/form-data).
		expect(doubles.haptik.uploads[0].file.fileName).toBe(fileName.replace(/"/g, '%22'));
		expect(doubles.haptik.uploads[0].file.sha256).toBe(sha256(pdf));
	});

	it.each(names)('CityPay receives %j', async (fileName) => {
		const result = await run('cityPay', {}, [file(fileName)]);
		expect(result.error).toBeUndefined();
		expect(doubles.cityPay.attachments.map((attachment) => attachment.filename)).toEqual([fileName.replace(/"/g, '%22')]);
	});

	it.each(names)('Leadway receives %j', async (fileName) => {
		const result = await run('leadway', {}, [file(fileName)]);
		expect(result.error).toBeUndefined();
		expect(doubles.leadway.uploads[0].files.map((received) => received.fileName)).toEqual([fileName.replace(/"/g, '%22')]);
	});

	it.each(names)('Invent receives %j', async (fileName) => {
		doubles.invent.contacts.push({ id: 'ct_known', name: 'Known', channels: [], segments: [], created_at: '', updated_at: '' });
		const result = await run('invent', {}, [file(fileName)]);
		expect(result.error).toBeUndefined();
		expect(doubles.invent.files.map((stored) => stored.name)).toEqual([fileName]);
	});

	it('a unicode name of exactly 255 bytes is accepted', async () => {
		const fileName = `${'é'.repeat(125)}.pdf`; // 250 + 4 bytes + ... = 254
		const exact = `${fileName.slice(0, -4)}x.pdf`;
		expect(Buffer.byteLength(exact)).toBe(255);
		const result = await run('cityPay', {}, [file(exact)]);
		expect(result.error).toBeUndefined();
		expect(doubles.cityPay.attachments[0].filename).toBe(exact);
	});
});
