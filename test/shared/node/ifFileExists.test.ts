/**
 * If File Exists on Invent Contact File → Upload and CityPay Upload, through n8n-core's
 * engine: a workflow run twice against the same double uploads once (Skip), fails exactly
 * the files already there (Fail), or uploads everything again (Upload Again, the default).
 * "Exists" is the same file name and size in bytes on the same contact or conversation; the
 * list is read once per node run per contact or conversation, never across runs.
 */
import { CityPayDouble } from '../../doubles/citypay';
import { FileServerDouble } from '../../doubles/fileServer';
import { InventDouble } from '../../doubles/invent';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';

const invent = new InventDouble();
const citypay = new CityPayDouble();
const fileHost = new FileServerDouble();
const { pkg } = useApiDoubles([invent, citypay, fileHost]);

/** `count` different files, one per item, of different sizes; `json.n` is the item's number. */
const twentyFiles = (count = 20): FixtureItem[] =>
	Array.from({ length: count }, (_, n) => ({
		json: { n },
		files: [{ fileName: `file-${String(n).padStart(2, '0')}.txt`, mimeType: 'text/plain', content: Buffer.from(`file ${n} ${'.'.repeat(n)}\n`) }],
	}));

const paired = (result: RunResult, output: 'items' | 'errorItems' = 'items') =>
	result[output].map((item) => (item.pairedItem as { item: number }).item);

describe('Invent Contact File → Upload: If File Exists', () => {
	let contactId: string;
	beforeEach(() => {
		[{ id: contactId }] = invent.addContacts(1);
	});

	const upload = (
		ifFileExists: string | undefined,
		input: FixtureItem[],
		{ onError, parameters = {} }: { onError?: OnErrorSetting; parameters?: Record<string, unknown> } = {},
	) =>
		runNode({
			pkg,
			node: {
				type: 'invent',
				parameters: {
					resource: 'contactFile',
					operation: 'upload',
					contactId,
					options: ifFileExists === undefined ? {} : { ifFileExists },
					...parameters,
				},
				onError,
			},
			input,
			credentials: credentialsFor(invent),
		});
	const uploads = () => invent.requestsTo('POST', /\/files$/).length;
	const listReads = () => invent.requestsTo('GET', /\/files$/);

	it('Skip: 20 files run twice upload 20, then 0; the second run outputs the files already there', async () => {
		const first = await upload('skip', twentyFiles());
		expect(first.error).toBeUndefined();
		expect(uploads()).toBe(20);
		expect(first.items.map((item) => [item.json.file_filename, item.json.alreadyUploaded])).toEqual(
			twentyFiles().map((item) => [item.files![0].fileName, false]),
		);
		expect(paired(first)).toEqual([...Array(20).keys()]);
		expect(listReads().map((request) => Object.fromEntries(request.query))).toEqual([{ page: '1', take: '100' }]);

		const second = await upload('skip', twentyFiles());
		expect(second.error).toBeUndefined();
		expect(uploads()).toBe(20);
		expect(invent.files).toHaveLength(20);
		expect(second.items.map((item) => item.json)).toEqual(first.items.map((item) => ({ ...item.json, alreadyUploaded: true })));
		expect(paired(second)).toEqual([...Array(20).keys()]);
		// Once per run: the second run read the list afresh (and saw the first run's files).
		expect(listReads()).toHaveLength(2);
	});

	it('reads a long list once per run per contact: 150 files on one contact, 2 pages, whatever the items', async () => {
		const [{ id: other }] = invent.addContacts(1);
		invent.addContactFiles(contactId, 150);
		const input = twentyFiles().map((item, n) => ({ ...item, json: { contact: n % 2 === 0 ? contactId : other } }));
		const result = await upload('skip', input, { parameters: { contactId: '={{ $json.contact }}' } });
		expect(result.error).toBeUndefined();
		expect(uploads()).toBe(20);
		expect(listReads().map((request) => [request.path.split('/')[4], request.query.get('page')])).toEqual(
			expect.arrayContaining([
				[contactId, '1'],
				[contactId, '2'],
				[other, '1'],
			]),
		);
		expect(listReads()).toHaveLength(3);
	});

	it('Fail under Continue (using error output): exactly the files already there fail, paired and in order', async () => {
		const even = twentyFiles().filter((_, n) => n % 2 === 0);
		await upload(undefined, even);
		expect(uploads()).toBe(10);
		const existing = new Map(invent.files.map((file) => [file.name, file.id]));

		const result = await upload('fail', twentyFiles(), { onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		expect(uploads()).toBe(20);
		expect(paired(result, 'errorItems')).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
		expect(paired(result)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
		expect(result.items.map((item) => item.json.file_filename)).toEqual(
			twentyFiles()
				.filter((_, n) => n % 2 === 1)
				.map((item) => item.files![0].fileName),
		);
		const [firstError] = result.errorItems;
		expect(firstError.json.error).toBe(`File "file-00.txt" already exists on contact "${contactId}" on item 0`);
		expect(firstError.json.details).toBe(
			`Invent already has this file (same name, 8 bytes) as file ${existing.get('file-00.txt')}. Set If File Exists to Skip to pass the existing file on instead, or to Upload Again to upload another copy.`,
		);
	});

	it('Fail under Stop Workflow stops on the first file already there', async () => {
		await upload(undefined, twentyFiles(3).slice(1, 2));
		const result = await upload('fail', twentyFiles(3), { parameters: { requestOptions: { concurrency: 1 } } });
		expect(result.error?.message).toBe(`File "file-01.txt" already exists on contact "${contactId}" on item 1`);
		expect(result.error?.description).toMatch(/Set If File Exists to Skip/);
		expect(uploads()).toBe(2);
	});

	it('Upload Again (the default) uploads 40 and reads no list', async () => {
		await upload(undefined, twentyFiles());
		await upload('uploadAgain', twentyFiles());
		expect(uploads()).toBe(40);
		expect(listReads()).toHaveLength(0);
	});

	it('catches a duplicate within the same run; another size or another contact is another file', async () => {
		const [{ id: other }] = invent.addContacts(1);
		const item = (content: string, contact = contactId): FixtureItem => ({
			json: { contact },
			files: [{ fileName: 'note.txt', mimeType: 'text/plain', content: Buffer.from(content) }],
		});
		const result = await upload('skip', [item('same'), item('same'), item('longer'), item('same', other)], {
			parameters: { contactId: '={{ $json.contact }}' },
		});
		expect(result.error).toBeUndefined();
		expect(uploads()).toBe(3);
		// Items run at the same time: either twin may be the one uploaded, the other is skipped.
		expect([result.items[0].json.alreadyUploaded, result.items[1].json.alreadyUploaded].sort()).toEqual([false, true]);
		expect(result.items[1].json.id).toBe(result.items[0].json.id);
		expect(result.items.slice(2).map((each) => each.json.alreadyUploaded)).toEqual([false, false]);
		expect(paired(result)).toEqual([0, 1, 2, 3]);
	});

	it('a file by URL is uploaded without a check: Invent fetches it, its size is unknown here', async () => {
		const fileUrl = fileHost.addFile('report.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf');
		for (let runs = 0; runs < 2; runs++) {
			const result = await upload('skip', [{}], { parameters: { inputType: 'url', fileUrl } });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.alreadyUploaded).toBe(false);
		}
		expect(uploads()).toBe(2);
		expect(listReads()).toHaveLength(0);
	});

	it('Stop Workflow: an item the node refuses by itself still stops the run before any request', async () => {
		const input = twentyFiles(3);
		input[1] = { files: [{ property: 'other', fileName: 'x.txt', content: Buffer.from('x') }] };
		const result = await upload('skip', input);
		expect(result.error?.message).toBe('No binary field "data" on item 1');
		expect(invent.requests).toHaveLength(0);
	});

	it("an unknown contact fails with Invent's 404 before any upload", async () => {
		const result = await upload('skip', twentyFiles(2), { parameters: { contactId: 'ct_missing' }, onError: 'continueRegularOutput' });
		expect(result.items.map((item) => item.json.error)).toEqual(['Contact not found', 'Contact not found']);
		expect(uploads()).toBe(0);
	});
});

describe('CityPay Upload: If File Exists', () => {
	const upload = (
		ifFileExists: string | undefined,
		input: FixtureItem[],
		{ onError, parameters = {} }: { onError?: OnErrorSetting; parameters?: Record<string, unknown> } = {},
	) =>
		runNode({
			pkg,
			node: {
				type: 'cityPay',
				parameters: {
					resource: 'attachment',
					operation: 'upload',
					options: ifFileExists === undefined ? {} : { ifFileExists },
					...parameters,
				},
				onError,
			},
			input,
			credentials: credentialsFor(citypay),
		});
	const uploads = () => citypay.requestsTo('POST', /^\/attachments$/).length;
	const listReads = () => citypay.requestsTo('GET', /^\/attachments$/).map((request) => Object.fromEntries(request.query));

	it('Skip with a Conversation ID: 20 files run twice upload 20, then 0; one list request per run', async () => {
		citypay.addAttachments(3, 'conv_B');
		const first = await upload('skip', twentyFiles(), { parameters: { conversationId: 'conv_A' } });
		expect(first.error).toBeUndefined();
		expect(uploads()).toBe(20);
		expect(first.items.map((item) => item.json.alreadyUploaded)).toEqual(Array(20).fill(false));
		expect(listReads()).toEqual([{ limit: '100', conversation_id: 'conv_A' }]);

		const second = await upload('skip', twentyFiles(), { parameters: { conversationId: 'conv_A' } });
		expect(uploads()).toBe(20);
		expect(second.items.map((item) => item.json)).toEqual(first.items.map((item) => ({ ...item.json, alreadyUploaded: true })));
		expect(paired(second)).toEqual([...Array(20).keys()]);
		expect(listReads()).toHaveLength(2);
	});

	it('reads every page of a long conversation once per run (cursor paging)', async () => {
		const existing = citypay.addAttachments(230, 'conv_A');
		const result = await upload('skip', twentyFiles(), { parameters: { conversationId: 'conv_A' } });
		expect(result.error).toBeUndefined();
		expect(listReads()).toEqual([
			{ limit: '100', conversation_id: 'conv_A' },
			{ limit: '100', conversation_id: 'conv_A', starting_after: existing[99].id },
			{ limit: '100', conversation_id: 'conv_A', starting_after: existing[199].id },
		]);
	});

	it('without Conversation ID, a file anywhere the token sees counts; with one, only in that conversation', async () => {
		const [first] = twentyFiles(1);
		await upload(undefined, [first], { parameters: { conversationId: 'conv_A' } });

		const anywhere = await upload('skip', [first]);
		expect(anywhere.items[0].json).toMatchObject({ alreadyUploaded: true, id: citypay.attachments[0].id });
		expect(listReads().at(-1)).toEqual({ limit: '100' });

		const elsewhere = await upload('skip', [first], { parameters: { conversationId: 'conv_B' } });
		expect(elsewhere.items[0].json.alreadyUploaded).toBe(false);
		expect(citypay.attachments.map((attachment) => attachment.conversationId)).toEqual(['conv_A', 'conv_B']);
	});

	it('Fail under Continue (using error output): exactly the files already there fail, paired and in order', async () => {
		await upload(undefined, twentyFiles().filter((_, n) => n % 5 === 0), { parameters: { conversationId: 'conv_A' } });
		const existing = citypay.attachments.find((attachment) => attachment.filename === 'file-00.txt')!;
		const result = await upload('fail', twentyFiles(), { onError: 'continueErrorOutput', parameters: { conversationId: 'conv_A' } });
		expect(result.error).toBeUndefined();
		expect(uploads()).toBe(4 + 16);
		expect(paired(result, 'errorItems')).toEqual([0, 5, 10, 15]);
		expect(paired(result)).toEqual([...Array(20).keys()].filter((n) => n % 5 !== 0));
		// n8n adds the input item's JSON to an error item: the failure says which item it was.
		expect(result.errorItems[0].json).toEqual({
			n: 0,
			error: 'File "file-00.txt" already exists in conversation "conv_A" on item 0',
			details: `CityPay already has this file (same name, 8 bytes) as attachment ${existing.id}. Set If File Exists to Skip to pass the existing file on instead, or to Upload Again to upload another copy.`,
		});

		const anywhere = await upload('fail', twentyFiles(1), { onError: 'continueRegularOutput' });
		expect(anywhere.items[0].json.error).toBe('File "file-00.txt" already exists in CityPay on item 0');
	});

	it('Upload Again (the default) uploads 40 and reads no list', async () => {
		await upload(undefined, twentyFiles());
		await upload('uploadAgain', twentyFiles());
		expect(uploads()).toBe(40);
		expect(listReads()).toHaveLength(0);
	});

	it('a file by URL is checked once its size is known (Content-Length), and uploaded when it is not', async () => {
		const bytes = Buffer.from('%PDF-1.4\n% report\n%%EOF\n');
		const sized = fileHost.addFile('report.pdf', bytes, 'application/pdf');
		const unsized = `${fileHost.addFile('notes.pdf', bytes, 'application/pdf')}?chunked=1`;
		for (let runs = 0; runs < 2; runs++) {
			const result = await upload('skip', [{ json: { url: sized } }, { json: { url: unsized } }], {
				parameters: { inputType: 'url', fileUrl: '={{ $json.url }}' },
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => [item.json.filename, item.json.alreadyUploaded])).toEqual([
				['report.pdf', runs === 1],
				['notes.pdf', false],
			]);
		}
		// report.pdf once, notes.pdf (no size) on each run.
		expect(citypay.attachments.map((attachment) => attachment.filename).sort()).toEqual(['notes.pdf', 'notes.pdf', 'report.pdf']);
	});
});
