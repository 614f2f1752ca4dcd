/**
 * Invent → Contact File → Get Many and Download, through n8n-core's engine against the Invent
 * double (`GET /orgs/{org}/contacts/{contact}/files`, paged, and the files' `file_url`s on a
 * separate file host or on Invent's own origin), plus the File list search behind Download.
 */
import { INVENT_API_KEY, InventDouble, InventFileHost } from '../../doubles/invent';
import type { InventStoredFile } from '../../doubles/invent';
import { sha256 } from '../../doubles/httpDouble';
import { credentialsFor, runAgainst, useApiDoubles, useBinaryData } from '../../harness/apiDoubles';
import type { BinaryMode, FixtureItem, RunResult } from '../../harness/engine';
import { readOutputBinary } from '../../harness/engine';
import { bytesOfSize, fixture } from '../../harness/fixtures';
import { searchList } from '../../harness/listSearch';

const png = fixture('logo.png');

const invent = new InventDouble();
const fileHost = new InventFileHost(() => invent.files);
const { pkg } = useApiDoubles([invent, fileHost]);

function run(parameters: Record<string, unknown>, input: FixtureItem[] = [{}], { continueOnFail = false } = {}): Promise<RunResult> {
	return runAgainst(invent, { pkg, node: { type: 'invent', parameters: { resource: 'contactFile', ...parameters }, continueOnFail }, input });
}

/** The query of each request for a contact's file list, in order. */
const listQueries = () =>
	invent.requestsTo('GET', /^\/orgs\/[^/]+\/contacts\/[^/]+\/files$/).map((request) => Object.fromEntries(request.query));

let contactId: string;
beforeEach(() => {
	invent.fileHost = fileHost;
	[{ id: contactId }] = invent.addContacts(1);
});

describe('the Invent double lists files as Invent does', () => {
	const list = async (query: string, id = contactId) =>
		await fetch(`${invent.url}/orgs/c/contacts/${id}/files${query}`, { headers: { authorization: `Bearer ${INVENT_API_KEY}` } });

	it('pages with page/take and the pagination headers, records with source', async () => {
		invent.addContactFiles(contactId, 130);
		const response = await list('?page=2&take=100');
		expect(response.status).toBe(200);
		expect([...['pagination-count', 'pagination-page', 'pagination-take'].map((name) => response.headers.get(name))]).toEqual(['130', '2', '100']);
		const records = (await response.json()) as Array<Record<string, unknown>>;
		expect(records).toHaveLength(30);
		expect(Object.keys(records[0]).sort()).toEqual(
			['created_at', 'file_filename', 'file_mimetype', 'file_path', 'file_size', 'file_url', 'id', 'source'].sort(),
		);
		expect(new Set(records.map((record) => record.source))).toEqual(new Set(['direct', 'note', 'chat']));
	});

	it.each([['?page=0&take=10'], ['?page=1&take=0'], ['?page=1&take=101'], ['?page=1&take=10&name=x']])('refuses %s with 400', async (query) => {
		expect((await list(query)).status).toBe(400);
	});

	it('answers 404 for an unknown contact and 401 without the key', async () => {
		expect((await list('?page=1&take=10', 'ct_missing')).status).toBe(404);
		expect((await fetch(`${invent.url}/orgs/c/contacts/${contactId}/files`)).status).toBe(401);
	});
});

describe('Contact File → Get Many', () => {
	let files: InventStoredFile[];
	beforeEach(() => {
		files = invent.addContactFiles(contactId, 250);
	});

	it('Return All reads every page of 100 (3 pages) and outputs one item per file', async () => {
		const result = await run({ operation: 'getMany', contactId, returnAll: true });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(files.map((file) => file.id));
		expect(result.items[0].json).toEqual(invent.toJson(files[0]));
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(listQueries()).toEqual([
			{ page: '1', take: '100' },
			{ page: '2', take: '100' },
			{ page: '3', take: '100' },
		]);
		expect(invent.requests.every((request) => request.path === `/orgs/c/contacts/${contactId}/files`)).toBe(true);
	});

	it('Limit 7 without filters sends one request asking for 7', async () => {
		const result = await run({ operation: 'getMany', contactId, limit: 7 });
		expect(result.items.map((item) => item.json.id)).toEqual(files.slice(0, 7).map((file) => file.id));
		expect(listQueries()).toEqual([{ page: '1', take: '7' }]);
	});

	it('Limit 150 reads two pages', async () => {
		const result = await run({ operation: 'getMany', contactId, limit: 150 });
		expect(result.items).toHaveLength(150);
		expect(listQueries()).toEqual([
			{ page: '1', take: '100' },
			{ page: '2', take: '100' },
		]);
	});

	it('File Name Contains matches part of the name, ignoring case, on our side', async () => {
		files[20].name = 'Invoice-March.PDF';
		files[210].name = 'old invoice.pdf';
		const result = await run({ operation: 'getMany', contactId, returnAll: true, filters: { fileName: 'INVOICE' } });
		expect(result.items.map((item) => item.json.file_filename)).toEqual(['Invoice-March.PDF', 'old invoice.pdf']);
		// No filter parameter goes to Invent: only paging.
		expect(listQueries()).toEqual([1, 2, 3].map((page) => ({ page: String(page), take: '100' })));
	});

	it('MIME Type matches the start of the type', async () => {
		const result = await run({ operation: 'getMany', contactId, returnAll: true, filters: { mimeType: 'image/' } });
		expect(result.items.map((item) => item.json.id)).toEqual(files.filter((file) => file.type === 'image/png').map((file) => file.id));
		expect(result.items).toHaveLength(83);
	});

	it.each([
		[['note'], ['note']],
		[['chat', 'direct'], ['chat', 'direct']],
	])('Source %j keeps only those files', async (source, kept) => {
		const result = await run({ operation: 'getMany', contactId, returnAll: true, filters: { source } });
		expect(result.items.map((item) => item.json.id)).toEqual(files.filter((file) => kept.includes(file.source)).map((file) => file.id));
		expect(result.items.length).toBeGreaterThan(0);
	});

	it('with filters and a Limit, reads pages of 100 until the Limit is matched', async () => {
		files[150].name = 'contract.pdf';
		files[240].name = 'contract-2.pdf';
		files[245].name = 'contract-3.pdf';
		const result = await run({ operation: 'getMany', contactId, limit: 2, filters: { fileName: 'contract' } });
		expect(result.items.map((item) => item.json.file_filename)).toEqual(['contract.pdf', 'contract-2.pdf']);
		expect(listQueries()).toEqual([1, 2, 3].map((page) => ({ page: String(page), take: '100' })));

		invent.requests.length = 0;
		const firstPage = await run({ operation: 'getMany', contactId, limit: 5, filters: { source: ['chat'] } });
		expect(firstPage.items).toHaveLength(5);
		expect(listQueries()).toEqual([{ page: '1', take: '100' }]);
	});

	it("an unknown contact fails with Invent's 404, its message and a fix naming Contact ID", async () => {
		const result = await run({ operation: 'getMany', contactId: 'ct_missing', returnAll: true });
		expect(result.error?.message).toBe('Contact not found');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/Contact ID/);
	});

	it('reads the contact of each item and pairs its files with it', async () => {
		const [{ id: other }] = invent.addContacts(1);
		const theirs = invent.addContactFiles(other, 2);
		const result = await run({ operation: 'getMany', contactId: '={{ $json.contact }}', limit: 3 }, [
			{ json: { contact: contactId } },
			{ json: { contact: other } },
		]);
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			...files.slice(0, 3).map((file) => [file.id, { item: 0 }]),
			...theirs.map((file) => [file.id, { item: 1 }]),
		]);
	});

	it('an empty contact lists nothing', async () => {
		const [{ id: empty }] = invent.addContacts(1);
		const result = await run({ operation: 'getMany', contactId: empty, returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(listQueries()).toEqual([{ page: '1', take: '100' }]);
	});
});

describe('Contact File → Download', () => {
	const big = bytesOfSize(300 * 1024, 5);
	let onHost: InventStoredFile;
	let onInvent: InventStoredFile;
	beforeEach(() => {
		invent.addContactFiles(contactId, 120);
		onHost = invent.storeFile({ contactId, name: 'site photo.png', type: 'image/png', bytes: png, source: 'chat', via: 'data' });
		onInvent = invent.storeFile({ contactId, name: 'recording.bin', type: 'application/x-recording', bytes: big, source: 'direct', via: 'data', ownOrigin: true });
		invent.addContactFiles(contactId, 100);
	});

	const download = (fileId: unknown, extra: Record<string, unknown> = {}) => run({ operation: 'download', contactId, fileId, ...extra });

	it('From List: the record as JSON, the bytes in `data` with its name and type; no key to the file host', async () => {
		const result = await download({ __rl: true, mode: 'list', value: onHost.id, cachedResultName: onHost.name });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toEqual(invent.toJson(onHost));
		expect(result.items[0].binary!.data).toMatchObject({ fileName: 'site photo.png', mimeType: 'image/png' });
		expect(sha256(await readOutputBinary(result.items[0]))).toBe(sha256(png));
		// The record is on the second page: two list requests, stopped once it was found.
		expect(listQueries()).toEqual([
			{ page: '1', take: '100' },
			{ page: '2', take: '100' },
		]);
		expect(fileHost.requests.map((request) => request.path)).toEqual([`/files/${onHost.id}/site%20photo.png`]);
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();
		expect(JSON.stringify(fileHost.requests[0].headers)).not.toContain(INVENT_API_KEY);
		for (const request of invent.requests) expect(request.headers.authorization).toBe(`Bearer ${INVENT_API_KEY}`);
	});

	it('By ID, a file on Invent\'s own origin: sends the key there, which requires it', async () => {
		const result = await download({ __rl: true, mode: 'id', value: onInvent.id }, { binaryPropertyName: 'recording' });

		expect(result.error).toBeUndefined();
		const [fileRequest] = invent.requestsTo('GET', /^\/files\//);
		expect(fileRequest.path).toBe(`/files/${onInvent.id}/recording.bin`);
		expect(fileRequest.headers.authorization).toBe(`Bearer ${INVENT_API_KEY}`);
		expect(fileHost.requests).toHaveLength(0);
		expect(result.items[0].binary!.recording).toMatchObject({ fileName: 'recording.bin', mimeType: 'application/x-recording' });
		expect(sha256(await readOutputBinary(result.items[0], 'recording'))).toBe(sha256(big));
	});

	it('By URL: the file_url from a previous node (Get Many), looked up among the contact\'s files', async () => {
		const listed = await run({ operation: 'getMany', contactId, returnAll: true, filters: { fileName: 'site photo' } });
		const [{ json: record }] = listed.items;
		invent.requests.length = 0;

		const result = await run({ operation: 'download', contactId, fileId: { __rl: true, mode: 'url', value: '={{ $json.file_url }}' } }, [
			{ json: record },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual(record);
		expect(result.items[0].binary!.data).toMatchObject({ fileName: 'site photo.png', mimeType: 'image/png' });
		expect(sha256(await readOutputBinary(result.items[0]))).toBe(sha256(png));
		expect(fileHost.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
	});

	it('a plain string saved for File is taken as an ID', async () => {
		const result = await download(onHost.id);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(onHost.id);
	});

	it('By ID, a file the contact does not have: names File and Contact ID, after reading the whole list', async () => {
		const result = await download({ __rl: true, mode: 'id', value: 'fl_nowhere' });
		expect(result.error?.message).toBe(`File "fl_nowhere" is not among the files of contact "${contactId}" on item 0`);
		expect(result.error?.description).toMatch(/Check File and Contact ID/);
		expect(listQueries()).toHaveLength(3);
		expect(fileHost.requests).toHaveLength(0);
	});

	it('By URL, a URL that is not http(s) is refused before any request', async () => {
		// An expression: a typed value is refused by n8n's own check of the parameter already.
		const result = await download({ __rl: true, mode: 'url', value: '={{ "ftp://files.example.com/a.pdf" }}' });
		expect(result.error?.message).toBe('File "ftp://files.example.com/a.pdf" is not an http(s) URL on item 0');
		expect(result.error?.description).toMatch(/file_url/);
		expect(invent.requests).toHaveLength(0);
	});

	it('By URL, a URL of no file of the contact: names File and Contact ID', async () => {
		const url = `${fileHost.url}/files/fl_other/other.pdf`;
		const result = await download({ __rl: true, mode: 'url', value: url });
		expect(result.error?.message).toBe(`File "${url}" is not among the files of contact "${contactId}" on item 0`);
		expect(result.error?.description).toMatch(/Check File and Contact ID/);
		expect(fileHost.requests).toHaveLength(0);
	});

	it('refuses an empty File and an empty output field before sending', async () => {
		const noFile = await download({ __rl: true, mode: 'id', value: ' ' });
		expect(noFile.error?.message).toBe('File is empty on item 0');
		const noField = await download({ __rl: true, mode: 'id', value: onHost.id }, { binaryPropertyName: ' ' });
		expect(noField.error?.message).toBe('Put Output File in Field is empty on item 0');
		expect(invent.requests).toHaveLength(0);
	});

	it('Continue On Fail keeps every item in place, paired', async () => {
		const result = await run(
			{ operation: 'download', contactId, fileId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
			[{ json: { id: onHost.id } }, { json: { id: 'fl_nowhere' } }, { json: { id: onInvent.id } }],
			{ continueOnFail: true },
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items.map((item) => item.json.id ?? item.json.error)).toEqual([
			onHost.id,
			`File "fl_nowhere" is not among the files of contact "${contactId}" on item 1`,
			onInvent.id,
		]);
	});
});

describe('Contact File → Download: the File list search', () => {
	const search = (filter?: string, paginationToken?: string, contact: unknown = { __rl: true, mode: 'id', value: contactId }) =>
		searchList({
			pkg,
			type: 'invent',
			parameters: { resource: 'contactFile', operation: 'download', organizationId: 'c', contactId: contact },
			parameter: 'fileId',
			method: 'searchContactFiles',
			filter,
			paginationToken,
			credentials: credentialsFor(invent),
		});

	it("lists the panel's contact's files by name, a page of 100 at a time", async () => {
		const files = invent.addContactFiles(contactId, 130);
		const first = await search();
		expect(first.results.slice(0, 2)).toEqual(
			files.slice(0, 2).map((file) => ({ name: file.name, value: file.id, url: invent.fileUrl(file) })),
		);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await search(undefined, first.paginationToken);
		expect(second.results.map((item) => item.value)).toEqual(files.slice(100).map((file) => file.id));
		expect(second.paginationToken).toBeUndefined();
		expect(listQueries()).toEqual([
			{ page: '1', take: '100' },
			{ page: '2', take: '100' },
		]);
	});

	it('matches the typed text against file names, ignoring case, reading on until a page has a match', async () => {
		const files = invent.addContactFiles(contactId, 160);
		files[140].name = 'Invoice_March.pdf';
		const result = await search('  invoice_m ');
		expect(result).toEqual({ results: [{ name: 'Invoice_March.pdf', value: files[140].id, url: invent.fileUrl(files[140]) }] });
		expect(listQueries()).toHaveLength(2);
	});

	it('asks for the contact first when Contact ID is empty or an expression', async () => {
		await expect(search(undefined, undefined, { __rl: true, mode: 'list', value: '' })).rejects.toMatchObject({
			message: 'Select a Contact ID first',
		});
		await expect(search(undefined, undefined, '={{ $json.id }}')).rejects.toMatchObject({
			message: 'Select a Contact ID first',
			description: expect.stringMatching(/By ID/),
		});
		expect(invent.requests).toHaveLength(0);
	});
});

describe.each(['default', 'filesystem'] as BinaryMode[])("n8n's %s binary data mode", (mode) => {
	useBinaryData(mode);

	it('uploads, lists and downloads the same bytes (sha256)', async () => {
		const bytes = bytesOfSize(200 * 1024, 9);
		const uploaded = await run({ operation: 'upload', contactId }, [{ files: [{ fileName: 'scan.pdf', mimeType: 'application/pdf', content: bytes }] }]);
		expect(uploaded.error).toBeUndefined();
		const sourceItem = uploaded.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
		expect(sourceItem.binary!.data.id === undefined).toBe(mode === 'default');

		const downloaded = await run({ operation: 'download', contactId, fileId: { __rl: true, mode: 'id', value: uploaded.items[0].json.id } });
		expect(downloaded.error).toBeUndefined();
		expect(downloaded.items[0].binary!.data).toMatchObject({ fileName: 'scan.pdf', mimeType: 'application/pdf' });
		expect(downloaded.items[0].binary!.data.id === undefined).toBe(mode === 'default');
		expect(sha256(await readOutputBinary(downloaded.items[0]))).toBe(sha256(bytes));
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();
	});
});
