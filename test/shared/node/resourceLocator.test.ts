/**
 * Resource locators: the "From List" searches behind them (run as n8n's editor backend runs
 * them, against the API doubles) and the values a saved workflow may hold for them: a plain
 * string from before the locators, "By ID" and "From List".
 */
import { CITYPAY_TOKEN, CityPayDouble } from '../../doubles/citypay';
import { HttpDouble, json } from '../../doubles/httpDouble';
import { InventDouble, INVENT_API_KEY } from '../../doubles/invent';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import type { FixtureItem } from '../../harness/engine';
import { runNode } from '../../harness/engine';
import { fixture } from '../../harness/fixtures';
import { searchList } from '../../harness/listSearch';

const citypay = new CityPayDouble();
const invent = new InventDouble();
const { pkg } = useApiDoubles([citypay, invent]);

/** The three forms a saved ID takes: a plain string (every workflow saved before the locators), By ID, From List. */
const savedForms = (id: string): Array<[string, unknown]> => [
	['a plain string', id],
	['By ID', { __rl: true, mode: 'id', value: id }],
	['From List', { __rl: true, mode: 'list', value: id, cachedResultName: 'shown name' }],
];

describe('CityPay: attachment list search', () => {
	const credentials = (token = CITYPAY_TOKEN, baseUrl?: string) => credentialsFor(citypay, { token, baseUrl: baseUrl ?? citypay.url });
	const search = (filter?: string, paginationToken?: string, token?: string, baseUrl?: string) =>
		searchList({
			pkg,
			type: 'cityPay',
			parameters: { resource: 'attachment', operation: 'get' },
			parameter: 'attachmentId',
			method: 'searchAttachments',
			filter,
			paginationToken,
			credentials: credentials(token, baseUrl),
		});
	const listQueries = () => citypay.requestsTo('GET', /^\/attachments$/).map((request) => Object.fromEntries(request.query));

	it('lists attachments by file name, with their ID and file URL', async () => {
		const [first, second] = citypay.addAttachments(2);
		const result = await search();
		expect(result).toEqual({
			results: [
				{ name: first.filename, value: first.id, url: citypay.fileUrl(first) },
				{ name: second.filename, value: second.id, url: citypay.fileUrl(second) },
			],
		});
		expect(listQueries()).toEqual([{ limit: '100' }]);
	});

	it("pages with CityPay's cursor: the token is the last ID read, sent back as starting_after", async () => {
		const attachments = citypay.addAttachments(230);
		const first = await search();
		expect(first.results.map((item) => item.value)).toEqual(attachments.slice(0, 100).map((item) => item.id));
		expect(first.paginationToken).toBe(attachments[99].id);

		const second = await search(undefined, first.paginationToken);
		expect(second.results.map((item) => item.value)).toEqual(attachments.slice(100, 200).map((item) => item.id));
		const third = await search(undefined, second.paginationToken);
		expect(third.results.map((item) => item.value)).toEqual(attachments.slice(200).map((item) => item.id));
		expect(third.paginationToken).toBeUndefined();
		expect(listQueries()).toEqual([
			{ limit: '100' },
			{ limit: '100', starting_after: attachments[99].id },
			{ limit: '100', starting_after: attachments[199].id },
		]);
	});

	it('matches the typed text against file names, ignoring case, reading on until a page has a match', async () => {
		citypay.addAttachments(140);
		const [invoice] = citypay.addAttachments(1);
		invoice.filename = 'Invoice_March.pdf';
		citypay.addAttachments(5);
		const result = await search('  invoice_m ');
		expect(result).toEqual({ results: [{ name: 'Invoice_March.pdf', value: invoice.id, url: citypay.fileUrl(invoice) }] });
		expect(listQueries()).toHaveLength(2);
	});

	it('stops after five pages without a match and offers the rest through the token', async () => {
		const attachments = citypay.addAttachments(620);
		const result = await search('no such file');
		expect(result).toEqual({ results: [], paginationToken: attachments[499].id });
		expect(listQueries()).toHaveLength(5);
		const rest = await search('no such file', result.paginationToken);
		expect(rest).toEqual({ results: [] });
	});

	it('ends instead of looping when CityPay serves the same page for a cursor', async () => {
		citypay.addAttachments(3);
		citypay.repeatCursorPages = true;
		const first = await search();
		expect(first.results).toHaveLength(3);
		const again = await search(undefined, first.paginationToken);
		expect(again.paginationToken).toBeUndefined();
	});

	it('says what to fix when CityPay refuses the token', async () => {
		citypay.addAttachments(1);
		await expect(search(undefined, undefined, 'wrong-token-123')).rejects.toMatchObject({
			message: expect.stringMatching(/Invalid or missing API token/),
			description: expect.stringMatching(/Check the Token in the CityPay credential/),
		});
	});

	it('refuses an unusable Base URL before any request', async () => {
		await expect(search(undefined, undefined, undefined, 'ftp://files.example')).rejects.toMatchObject({
			message: expect.stringMatching(/^Base URL in the CityPay credential is not an http:\/\/ or https:\/\/ URL/),
		});
		expect(citypay.requests).toHaveLength(0);
	});

	it('says so when the answer is not a CityPay list', async () => {
		const notCityPay = await new HttpDouble(() => json(200, { attachments: [] })).start();
		try {
			await expect(search(undefined, undefined, undefined, notCityPay.url)).rejects.toMatchObject({
				message: 'CityPay sent a list without "data"',
				description: expect.stringMatching(/Base URL in the CityPay credential/),
			});
		} finally {
			await notCityPay.stop();
		}
	});
});

describe('CityPay: saved Attachment IDs', () => {
	const run = (parameters: Record<string, unknown>) =>
		runNode({
			pkg,
			node: { type: 'cityPay', parameters: { resource: 'attachment', ...parameters } },
			input: [{}],
			credentials: credentialsFor(citypay),
		});

	describe.each(['get', 'rename', 'download', 'delete'])('%s', (operation) => {
		it.each(savedForms('placeholder'))('takes the ID saved as %s', async (_form, _value) => {
			const [attachment] = citypay.addAttachments(1);
			const [, value] = savedForms(attachment.id).find(([form]) => form === _form)!;
			const result = await run({ operation, attachmentId: value, fileName: 'renamed.txt' });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json.id).toBe(attachment.id);
			const method = { get: 'GET', rename: 'PUT', download: 'GET', delete: 'DELETE' }[operation]!;
			expect(citypay.requestsTo(method, new RegExp(`^/attachments/${attachment.id}$`))).toHaveLength(1);
		});
	});

	it('By ID takes one path segment: n8n flags an ID with "/" before the node runs', async () => {
		await expect(run({ operation: 'get', attachmentId: { __rl: true, mode: 'id', value: 'abc/../x' } })).rejects.toThrow(
			/Enter an attachment ID without spaces or "\/", "\?" and "#"/,
		);
		expect(citypay.requests).toHaveLength(0);
	});

	it('refuses an ID mapped to an empty value before sending, naming the field', async () => {
		const result = await run({ operation: 'get', attachmentId: { __rl: true, mode: 'id', value: '={{ "" }}' } });
		expect(result.error?.message).toBe('Attachment ID is empty on item 0');
		expect(citypay.requests).toHaveLength(0);
	});
});

describe('Invent: contact list search', () => {
	const search = (
		filter?: string,
		paginationToken?: string,
		{ apiKey = INVENT_API_KEY, organizationId = 'c' }: { apiKey?: string; organizationId?: string } = {},
	) =>
		searchList({
			pkg,
			type: 'invent',
			parameters: { resource: 'contactFile', operation: 'upload', organizationId },
			parameter: 'contactId',
			method: 'searchContacts',
			filter,
			paginationToken,
			credentials: credentialsFor(invent, { apiKey }),
		});
	const listRequests = () =>
		invent.requestsTo('GET', /\/contacts$/).map((request) => ({ path: request.path, query: Object.fromEntries(request.query) }));

	it('lists the contacts of the organization by name and email', async () => {
		const ada = invent.addContact({ name: 'Ada Lovelace', email: 'ada@example.com' });
		const phoneOnly = invent.addContact({ phone: '+4930123456' });
		const [named] = invent.addContacts(1);
		const result = await search();
		expect(result).toEqual({
			results: [
				{ name: 'Ada Lovelace (ada@example.com)', value: ada.id },
				{ name: '+4930123456', value: phoneOnly.id },
				{ name: named.name, value: named.id },
			],
		});
		expect(listRequests()).toEqual([{ path: '/orgs/c/contacts', query: { page: '1', take: '100' } }]);
	});

	it("pages with Invent's page and take until pagination-count is reached", async () => {
		const contacts = invent.addContacts(230);
		const first = await search();
		expect(first.results.map((item) => item.value)).toEqual(contacts.slice(0, 100).map((contact) => contact.id));
		expect(first.paginationToken).toBe('2');
		const second = await search(undefined, first.paginationToken);
		expect(second.paginationToken).toBe('3');
		const third = await search(undefined, second.paginationToken);
		expect(third.results.map((item) => item.value)).toEqual(contacts.slice(200).map((contact) => contact.id));
		expect(third.paginationToken).toBeUndefined();
		expect(listRequests().map((request) => request.query.page)).toEqual(['1', '2', '3']);
	});

	it('searches by name, or by email when the text has an @', async () => {
		const ada = invent.addContact({ name: 'Ada Lovelace', email: 'ada@example.com' });
		invent.addContact({ name: 'Grace Hopper', email: 'grace@example.com' });
		expect((await search(' Lovelace ')).results).toEqual([{ name: 'Ada Lovelace (ada@example.com)', value: ada.id }]);
		expect((await search('ada@example.com')).results).toEqual([{ name: 'Ada Lovelace (ada@example.com)', value: ada.id }]);
		expect(listRequests().map((request) => request.query)).toEqual([
			{ page: '1', take: '100', name: 'Lovelace' },
			{ page: '1', take: '100', email: 'ada@example.com' },
		]);
	});

	it('lists the organization the panel names', async () => {
		invent.addContacts(1);
		await search(undefined, undefined, { organizationId: 'org_sub_1' });
		expect(listRequests().map((request) => request.path)).toEqual(['/orgs/org_sub_1/contacts']);
	});

	it("says what to fix when Invent refuses the key or does not know the organization", async () => {
		await expect(search(undefined, undefined, { apiKey: 'wrong-key-123' })).rejects.toMatchObject({
			description: expect.stringMatching(/Check the API key in the Invent credential/),
		});
		await expect(search(undefined, undefined, { organizationId: 'org_unknown' })).rejects.toMatchObject({
			message: expect.stringMatching(/Organization not found/),
			description: expect.stringMatching(/Check the Organization ID/),
		});
		await expect(search(undefined, undefined, { organizationId: '..' })).rejects.toMatchObject({
			message: 'Organization ID ".." is not a valid ID',
		});
	});
});

describe('Invent: saved Contact IDs', () => {
	const pdfItem: FixtureItem = { files: [{ fileName: 'invoice.pdf', content: fixture('invoice.pdf') }] };

	it.each(['a plain string', 'By ID', 'From List'])('the upload takes the contact saved as %s', async (form) => {
		const [contact] = invent.addContacts(1);
		const [, contactId] = savedForms(contact.id).find(([name]) => name === form)!;
		const result = await runNode({
			pkg,
			node: { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', contactId } },
			input: [pdfItem],
			credentials: credentialsFor(invent),
		});
		expect(result.error).toBeUndefined();
		expect(invent.files.map((file) => [file.contactId, file.name])).toEqual([[contact.id, 'invoice.pdf']]);
		expect(invent.requestsTo('POST', new RegExp(`^/orgs/c/contacts/${contact.id}/files$`))).toHaveLength(1);
	});
});
