/**
 * Leadway beyond the upload, through n8n-core's engine against the Leadway double: Message →
 * Send (files uploaded first, then attached), Message → Get Many (flat and wrapped answers,
 * paging, attachments streamed into binary data), Conversation → Get / Get Many (paging,
 * filters), the Conversation ID resource locator (plain strings and both modes), the list
 * search behind it, and 429 with the X-RateLimit-* headers.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodeType } from 'n8n-workflow';

import FormData from 'form-data';

import { sha256 } from '../../doubles/httpDouble';
import { LEADWAY_LOCATION, LEADWAY_TOKEN, LeadwayDouble, LeadwayFileHost } from '../../doubles/leadway';
import { credentialsFor, runAgainst, useApiDoubles } from '../../harness/apiDoubles';
import type { FixtureItem, RunResult } from '../../harness/engine';
import { loadOptionsContext, readOutputBinary } from '../../harness/engine';
import { isStreamLike, watchBuffers } from '../../harness/bufferWatch';
import { bytesOfSize, fixture } from '../../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');
const MB = 1024 * 1024;

const leadway = new LeadwayDouble();
const fileHost = new LeadwayFileHost();
const { pkg } = useApiDoubles([leadway, fileHost]);

type CredentialData = Record<string, string>;

const credentials = (overrides: CredentialData = {}) => credentialsFor(leadway, overrides).leadwayApi;

function run(
	resource: string,
	operation: string,
	parameters: Record<string, unknown>,
	input: FixtureItem[] = [{}],
	{ continueOnFail = false, credential = {} as CredentialData } = {},
): Promise<RunResult> {
	return runAgainst(leadway, { pkg, node: { type: 'leadway', parameters: { resource, operation, ...parameters }, continueOnFail }, input }, credential);
}

const sends = () => leadway.requestsTo('POST', /^\/conversations\/messages$/);
const uploads = () => leadway.requestsTo('POST', /^\/conversations\/messages\/upload$/);
const storedUrl = (bytes: Buffer, fileName: string) =>
	`https://storage.example.invalid/${LEADWAY_LOCATION}/${sha256(bytes).slice(0, 12)}/${fileName}`;

describe('Message → Send', () => {
	it('sends an SMS with its text and returns Leadway\'s answer', async () => {
		const result = await run('message', 'send', { type: 'SMS', contactId: 'contact_ben', message: 'See you at 10.' });

		expect(result.error).toBeUndefined();
		expect(leadway.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /conversations/messages']);
		expect(sends()[0].headers['content-type']).toMatch(/^application\/json/);
		expect(leadway.sentMessages.map((sent) => sent.body)).toEqual([
			{ type: 'SMS', contactId: 'contact_ben', message: 'See you at 10.' },
		]);
		const [{ conversationId, messageId }] = leadway.sentMessages;
		expect(result.items.map((item) => item.json)).toEqual([
			{ conversationId, messageId, msg: 'Message queued successfully.', attachments: [] },
		]);
	});

	it('uploads the files of two binary fields, then sends an Email carrying their URLs', async () => {
		const result = await run(
			'message',
			'send',
			{
				type: 'Email',
				contactId: 'contact_ana',
				message: 'Invoice and logo attached.',
				subject: 'Your invoice',
				html: '<p>Invoice and logo attached.</p>',
				emailTo: 'ana.souza@example.com',
				emailCc: 'billing@example.com, boss@example.com',
				filesFrom: 'named',
				binaryPropertyName: 'invoice, logo',
				options: { attachmentUrls: ['https://cdn.example.com/terms.pdf'], threadId: 'thread_7' },
			},
			[
				{
					files: [
						{ property: 'logo', fileName: 'logo.png', content: png },
						{ property: 'invoice', fileName: 'invoice.pdf', content: pdf },
					],
				},
			],
		);

		expect(result.error).toBeUndefined();
		// Upload first (into the contact's conversation), then the message.
		expect(leadway.requests.map((request) => request.path)).toEqual(['/conversations/messages/upload', '/conversations/messages']);
		expect(leadway.uploads).toHaveLength(1);
		expect(leadway.uploads[0].fields).toEqual([
			['contactId', 'contact_ana'],
			['locationId', LEADWAY_LOCATION],
		]);
		expect(leadway.uploads[0].files.map((file) => [file.fileName, file.sha256])).toEqual([
			['invoice.pdf', sha256(pdf)],
			['logo.png', sha256(png)],
		]);
		const attachments = [storedUrl(pdf, 'invoice.pdf'), storedUrl(png, 'logo.png'), 'https://cdn.example.com/terms.pdf'];
		expect(leadway.sentMessages[0].body).toEqual({
			type: 'Email',
			contactId: 'contact_ana',
			message: 'Invoice and logo attached.',
			subject: 'Your invoice',
			html: '<p>Invoice and logo attached.</p>',
			emailTo: 'ana.souza@example.com',
			emailCc: ['billing@example.com', 'boss@example.com'],
			threadId: 'thread_7',
			attachments,
		});
		expect(result.items[0].json).toMatchObject({ conversationId: leadway.sentMessages[0].conversationId, attachments });
	});

	it('attaches every binary field of the item with All Binary Fields of the Item, in requests of at most 5', async () => {
		const files = Array.from({ length: 6 }, (_, index) => ({
			property: `file${index}`,
			fileName: `page-${index + 1}.txt`,
			content: Buffer.from(`page ${index + 1}\n`),
		}));
		const result = await run('message', 'send', { type: 'WhatsApp', contactId: 'contact_ben', filesFrom: 'all' }, [{ files }]);

		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(2);
		expect(leadway.uploads.map((upload) => upload.files.length)).toEqual([5, 1]);
		expect(leadway.sentMessages[0].body.attachments).toHaveLength(6);
	});

	it('sends Scheduled Time as UTC seconds and the channel options', async () => {
		const result = await run('message', 'send', {
			type: 'SMS',
			contactId: 'contact_ben',
			message: 'Reminder',
			options: { scheduledTime: '2026-03-01T10:00:00+01:00', fromNumber: '+15550199', toNumber: '+15550101', replyMessageId: 'msg_1' },
		});

		expect(result.error).toBeUndefined();
		expect(leadway.sentMessages[0].body).toEqual({
			type: 'SMS',
			contactId: 'contact_ben',
			message: 'Reminder',
			fromNumber: '+15550199',
			toNumber: '+15550101',
			replyMessageId: 'msg_1',
			scheduledTimestamp: Date.UTC(2026, 2, 1, 9, 0, 0) / 1000,
		});
	});

	it.each([
		['with an offset', '2026-07-01T10:00:00+02:00', Date.UTC(2026, 6, 1, 8, 0, 0)],
		['in UTC', '2026-07-01T10:00:00.000Z', Date.UTC(2026, 6, 1, 10, 0, 0)],
		// n8n's default time zone (America/New_York) applies to a date without zone: EDT in July, EST in January.
		['without zone, in summer', '2026-07-01T10:00:00', Date.UTC(2026, 6, 1, 14, 0, 0)],
		['without zone, in winter', '2026-01-15T10:00:00', Date.UTC(2026, 0, 15, 15, 0, 0)],
	])('reads Scheduled Time %s', async (_name, scheduledTime, utcMs) => {
		const result = await run('message', 'send', { type: 'SMS', contactId: 'contact_ben', options: { scheduledTime } });
		expect(result.error).toBeUndefined();
		expect(leadway.sentMessages[0].body.scheduledTimestamp).toBe(utcMs / 1000);
	});

	it('when the upload succeeded and the send failed, the error names the uploaded files and their URLs', async () => {
		const result = await run(
			'message',
			'send',
			{ type: 'SMS', contactId: 'contact_unknown', filesFrom: 'named', binaryPropertyName: 'data, logo' },
			[
				{
					files: [
						{ fileName: 'invoice.pdf', content: pdf },
						{ property: 'logo', fileName: 'logo.png', content: png },
					],
				},
			],
		);

		expect(uploads()).toHaveLength(1);
		expect(sends()).toHaveLength(1);
		expect(result.error?.message).toBe('Contact not found (the 2 files were uploaded, the message was not sent)');
		expect(result.error?.description).toContain(`invoice.pdf (${storedUrl(pdf, 'invoice.pdf')})`);
		expect(result.error?.description).toContain(`logo.png (${storedUrl(png, 'logo.png')})`);
		expect(result.error?.description).toMatch(/set Files to None and add these URLs under Options > Attachment URLs/);
	});

	it('a re-run with the listed URLs as Attachment URLs sends them without uploading again', async () => {
		const url = storedUrl(pdf, 'invoice.pdf');
		const result = await run('message', 'send', { type: 'SMS', contactId: 'contact_ben', filesFrom: 'none', options: { attachmentUrls: [url] } });

		expect(result.error).toBeUndefined();
		expect(uploads()).toHaveLength(0);
		expect(leadway.sentMessages[0].body.attachments).toEqual([url]);
	});

	it('with Continue On Fail, the error item keeps the uploaded URLs and the next item is sent', async () => {
		const result = await run(
			'message',
			'send',
			{ type: 'SMS', contactId: '={{ $json.contact }}', filesFrom: 'named', binaryPropertyName: 'data' },
			[
				{ json: { contact: 'contact_missing' }, files: [{ fileName: 'invoice.pdf', content: pdf }] },
				{ json: { contact: 'contact_ben' }, files: [{ fileName: 'logo.png', content: png }] },
			],
			{ continueOnFail: true },
		);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items[0].json).toEqual({
			error: 'Contact not found (the file was uploaded, the message was not sent)',
			details: expect.stringContaining(storedUrl(pdf, 'invoice.pdf')),
		});
		expect(result.items[1].json.attachments).toEqual([storedUrl(png, 'logo.png')]);
	});

	describe('refusals before anything is sent', () => {
		it.each([
			['an empty Contact ID', { contactId: '  ' }, [{}], /^Contact ID is empty on item 0$/],
			['an unknown Type', { type: '={{ "Telegram" }}' }, [{}], /^Type "Telegram" is not a Leadway message type on item 0$/],
			['an Attachment URL that is not http(s)', { options: { attachmentUrls: ['ftp://files.example.com/a.pdf'] } }, [{}], /Attachment URL is not a valid http\(s\) URL/],
			['a Scheduled Time that is not a date', { options: { scheduledTime: 'next tuesday' } }, [{}], /^Scheduled Time is not a date on item 0$/],
			[
				'a 6 MB file',
				{ filesFrom: 'named', binaryPropertyName: 'data' },
				[{ files: [{ fileName: 'big.pdf', content: bytesOfSize(6 * MB) }] }],
				/big\.pdf/,
			],
			['an .exe file', { filesFrom: 'all' }, [{ files: [{ fileName: 'setup.exe', content: Buffer.from('MZ') }] }], /setup\.exe/],
			['a missing binary field', { filesFrom: 'named', binaryPropertyName: 'photo' }, [{ files: [{ fileName: 'a.pdf', content: pdf }] }], /photo/],
		])('refuses %s', async (_name, parameters, input, message) => {
			const result = await run('message', 'send', { type: 'SMS', contactId: 'contact_ben', ...parameters }, input as FixtureItem[]);
			expect(result.error?.message).toMatch(message);
			expect(leadway.requests).toHaveLength(0);
		});

		it('refuses files when neither the node nor the credential names a Location ID', async () => {
			const result = await run(
				'message',
				'send',
				{ type: 'SMS', contactId: 'contact_ben', filesFrom: 'all' },
				[{ files: [{ fileName: 'a.pdf', content: pdf }] }],
				{ credential: { locationId: '' } },
			);
			expect(result.error?.message).toBe('Location ID is empty on item 0');
			expect(leadway.requests).toHaveLength(0);
		});
	});
});

describe('the Leadway double is as strict as Leadway', () => {
	const post = async (body: unknown) => {
		const response = await fetch(`${leadway.url}/conversations/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${LEADWAY_TOKEN}`, version: '2021-07-28', 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as { message: string[] } };
	};

	it.each([
		['a missing type', { contactId: 'contact_ben' }, /type must be one of/],
		['a missing contactId', { type: 'SMS' }, /contactId should not be empty/],
		['an unknown field', { type: 'SMS', contactId: 'contact_ben', conversationId: 'conv_1' }, /property conversationId should not exist/],
		['attachments that are not URLs', { type: 'SMS', contactId: 'contact_ben', attachments: ['a.pdf'] }, /attachments must be a URL/],
	])('refuses %s', async (_name, body, message) => {
		const answer = await post(body);
		expect(answer.status).toBe(422);
		expect(answer.body.message.join('; ')).toMatch(message);
		expect(leadway.sentMessages).toHaveLength(0);
	});

	it('refuses an upload of more than 5 files in one request', async () => {
		const upload = async (count: number) => {
			const form = new FormData();
			form.append('contactId', 'contact_ben');
			form.append('locationId', LEADWAY_LOCATION);
			for (let index = 0; index < count; index++) {
				form.append('fileAttachment', Buffer.from(`page ${index}\n`), { filename: `page-${index}.txt`, contentType: 'text/plain' });
			}
			const response = await fetch(`${leadway.url}/conversations/messages/upload`, {
				method: 'POST',
				headers: { authorization: `Bearer ${LEADWAY_TOKEN}`, version: '2021-07-28', ...form.getHeaders() },
				body: form.getBuffer(),
			});
			return { status: response.status, body: (await response.json()) as { message: string } };
		};
		expect(await upload(6)).toEqual({ status: 400, body: { status: 400, message: 'You can upload at most 5 files per request' } });
		expect((await upload(5)).status).toBe(201);
		expect(leadway.uploads).toHaveLength(1);
	});

	it('refuses an unknown search parameter and a page over 100', async () => {
		const get = async (query: string) =>
			(
				await fetch(`${leadway.url}/conversations/search?${query}`, {
					headers: { authorization: `Bearer ${LEADWAY_TOKEN}`, version: '2021-07-28' },
				})
			).status;
		expect(await get('locationId=loc_ve9EPM428h8v&conversationId=x')).toBe(422);
		expect(await get('locationId=loc_ve9EPM428h8v&limit=101')).toBe(422);
		expect(await get('locationId=loc_ve9EPM428h8v&limit=100')).toBe(200);
	});
});

describe('Conversation → Get Many', () => {
	function addConversations(count: number): void {
		const start = Date.UTC(2025, 0, 1);
		for (let index = 0; index < count; index++) {
			leadway.addConversation(`contact_extra_${index}`, { fullName: `Extra ${index}`, dateUpdated: start - index * 1000 });
		}
	}

	it('Return All pages with startAfterDate until a short page', async () => {
		addConversations(227); // 230 with the three sample ones
		const result = await run('conversation', 'getMany', { returnAll: true });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(230);
		const requests = leadway.requestsTo('GET', /^\/conversations\/search$/);
		expect(requests.map((request) => Object.fromEntries(request.query))).toEqual([
			{ locationId: LEADWAY_LOCATION, limit: '100' },
			{ locationId: LEADWAY_LOCATION, limit: '100', startAfterDate: String(result.items[99].json.dateUpdated) },
			{ locationId: LEADWAY_LOCATION, limit: '100', startAfterDate: String(result.items[199].json.dateUpdated) },
		]);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(230);
	});

	it('Limit asks only for what it returns', async () => {
		addConversations(20);
		const result = await run('conversation', 'getMany', { returnAll: false, limit: 5 });

		expect(result.items.map((item) => item.json.fullName)).toEqual(['Ana Souza', 'Ben Okafor', 'Chloe Martin', 'Extra 0', 'Extra 1']);
		expect(leadway.requests.map((request) => request.query.get('limit'))).toEqual(['5']);
	});

	it('sends Contact ID, Query and Status, and the node\'s Location ID over the credential\'s', async () => {
		leadway.locations.set('loc_second', 'Second');
		leadway.addConversation('contact_ana', { locationId: 'loc_second', unreadCount: 2 });
		const result = await run('conversation', 'getMany', {
			locationId: 'loc_second',
			contactId: 'contact_ana',
			query: 'ana',
			status: 'unread',
			returnAll: true,
		});

		expect(result.error).toBeUndefined();
		expect(Object.fromEntries(leadway.requests[0].query)).toEqual({
			locationId: 'loc_second',
			contactId: 'contact_ana',
			query: 'ana',
			status: 'unread',
			limit: '100',
		});
		expect(result.items.map((item) => item.json.locationId)).toEqual(['loc_second']);
		leadway.locations.delete('loc_second');
	});

	it('refuses a run without any Location ID before sending', async () => {
		const result = await run('conversation', 'getMany', { returnAll: true }, [{}], { credential: { locationId: '' } });
		expect(result.error?.message).toBe('Location ID is empty on item 0');
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('Conversation → Get and the Conversation ID resource locator', () => {
	const firstId = () => leadway.conversations[0].id;

	it.each([
		['a plain string (older workflows)', (id: string) => id],
		['By ID', (id: string) => ({ __rl: true, mode: 'id', value: id })],
		['From List', (id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'Ana Souza' })],
	])('reads the conversation from %s', async (_name, value) => {
		const result = await run('conversation', 'get', { conversationId: value(firstId()) });

		expect(result.error).toBeUndefined();
		expect(leadway.requests.map((request) => request.path)).toEqual([`/conversations/${firstId()}`]);
		expect(result.items[0].json).toMatchObject({ id: firstId(), contactId: 'contact_ana', fullName: 'Ana Souza' });
	});

	it('uploads to the conversation picked in the list', async () => {
		const result = await run(
			'conversation',
			'upload',
			{ conversationId: { __rl: true, mode: 'list', value: firstId() }, filesFrom: 'named', binaryPropertyName: 'data' },
			[{ files: [{ fileName: 'logo.png', content: png }] }],
		);

		expect(result.error).toBeUndefined();
		expect(leadway.uploads[0].fields).toEqual([
			['conversationId', firstId()],
			['locationId', LEADWAY_LOCATION],
		]);
		// The list form is the primary output; uploadedFiles repeats it keyed by file name.
		expect(Object.keys(result.items[0].json)).toEqual(['files', 'uploadedFiles']);
	});

	it('refuses an empty locator value before sending', async () => {
		const result = await run('conversation', 'get', { conversationId: { __rl: true, mode: 'id', value: ' ' } });
		expect(result.error?.message).toBe('Conversation ID is empty on item 0');
		expect(leadway.requests).toHaveLength(0);
	});

	it('surfaces an unknown conversation with Leadway\'s message and a fix', async () => {
		const result = await run('conversation', 'get', { conversationId: 'conv_missing' });
		expect(result.error?.message).toBe('Conversation not found');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/Check the Conversation ID/);
	});
});

describe('the conversation list search (From List)', () => {
	/** n8n-core's own editor context: credentials applied by the credential type, n8n's real HTTP helper. */
	function listContext(parameters: Record<string, unknown> = {}, credential: CredentialData = {}): ILoadOptionsFunctions {
		return loadOptionsContext({
			pkg,
			node: { type: 'leadway', parameters: { resource: 'conversation', operation: 'upload', ...parameters } },
			credentials: { leadwayApi: credentials(credential) },
		});
	}

	const search = async (context: ILoadOptionsFunctions, filter?: string, token?: string): Promise<INodeListSearchResult> => {
		const nodeType = pkg.nodeTypes.get(`${pkg.packageName}.leadway`) as INodeType;
		return await nodeType.methods!.listSearch!.searchConversations.call(context, filter, token);
	};

	it('lists conversations by contact name, searching the typed text', async () => {
		const result = await search(listContext(), 'okafor');

		expect(result.results).toEqual([{ name: `Ben Okafor (${leadway.conversations[1].id})`, value: leadway.conversations[1].id }]);
		expect(Object.fromEntries(leadway.requests[0].query)).toEqual({ locationId: LEADWAY_LOCATION, query: 'okafor', limit: '20' });
		expect(leadway.requests[0].headers.authorization).toBe(`Bearer ${LEADWAY_TOKEN}`);
		expect(result.paginationToken).toBeUndefined();
	});

	it('pages with startAfterDate through the pagination token', async () => {
		for (let index = 0; index < 30; index++) leadway.addConversation(`contact_more_${index}`, { fullName: `More ${index}`, dateUpdated: Date.UTC(2025, 0, 1) - index });
		const first = await search(listContext());
		expect(first.results).toHaveLength(20);
		expect(first.paginationToken).toBe(String(leadway.conversations.find((c) => c.id === first.results[19].value)!.dateUpdated));
		const second = await search(listContext(), undefined, first.paginationToken);
		expect(second.results).toHaveLength(13);
		expect(second.paginationToken).toBeUndefined();
		expect(leadway.requests[1].query.get('startAfterDate')).toBe(first.paginationToken);
		expect(new Set([...first.results, ...second.results].map((result) => result.value)).size).toBe(33);
	});

	it('uses the node\'s Location ID when it is a plain value', async () => {
		await search(listContext({ locationId: LEADWAY_LOCATION }, { locationId: '' }));
		expect(leadway.requests[0].query.get('locationId')).toBe(LEADWAY_LOCATION);
	});

	it('shows Leadway\'s refusal with its fix', async () => {
		await expect(search(listContext({}, { locationId: 'loc_forbidden' }))).rejects.toMatchObject({
			message: 'The token does not have access to this location',
			description: expect.stringMatching(/Check the Location ID/),
		});
	});
});

describe('Message → Get Many', () => {
	function conversationWithMessages(count: number): string {
		const conversation = leadway.addConversation('contact_chloe');
		for (let index = 0; index < count; index++) leadway.addMessage(conversation.id, { body: `message ${index}` });
		return conversation.id;
	}

	it.each([
		['flat', false],
		['wrapped', true],
	])('Return All pages with lastMessageId over %s answers', async (_shape, wrapped) => {
		leadway.wrapMessages = wrapped;
		const id = conversationWithMessages(230);
		const result = await run('message', 'getMany', { conversationId: id, returnAll: true });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(230);
		expect(result.items[0].json.body).toBe('message 229');
		expect(result.items[229].json.body).toBe('message 0');
		const requests = leadway.requestsTo('GET', /\/messages$/);
		expect(requests.map((request) => Object.fromEntries(request.query))).toEqual([
			{ limit: '100' },
			{ limit: '100', lastMessageId: result.items[99].json.id },
			{ limit: '100', lastMessageId: result.items[199].json.id },
		]);
	});

	it.each([
		['flat', false],
		['wrapped', true],
	])('Limit stops early over %s answers', async (_shape, wrapped) => {
		leadway.wrapMessages = wrapped;
		const id = conversationWithMessages(150);
		const result = await run('message', 'getMany', { conversationId: { __rl: true, mode: 'id', value: id }, returnAll: false, limit: 120 });

		expect(result.items).toHaveLength(120);
		expect(leadway.requests.map((request) => request.query.get('limit'))).toEqual(['100', '20']);
	});

	it('downloads attachments into binary fields: the token to Leadway\'s origin only', async () => {
		const conversation = leadway.addConversation('contact_chloe');
		const hosted = fileHost.put('floor-plan.pdf', pdf, 'application/pdf');
		leadway.addMessage(conversation.id, { body: 'no files' });
		leadway.addMessage(conversation.id, { body: 'two files', attachments: [{ ownFile: 'site-photo.png' }, { url: hosted }] });

		const result = await run('message', 'getMany', {
			conversationId: conversation.id,
			returnAll: true,
			options: { downloadAttachments: true },
		});

		expect(result.error).toBeUndefined();
		const [withFiles, withoutFiles] = result.items;
		expect(withoutFiles.binary).toBeUndefined();
		expect(withFiles.json.attachments).toEqual([`${leadway.url}/files/site-photo.png`, hosted]);
		expect(withFiles.binary!.attachment_0).toMatchObject({ fileName: 'site-photo.png', mimeType: 'image/png' });
		expect(withFiles.binary!.attachment_1).toMatchObject({ fileName: 'floor-plan.pdf', mimeType: 'application/pdf' });
		expect(sha256(await readOutputBinary(withFiles, 'attachment_1'))).toBe(sha256(pdf));
		const own = leadway.requestsTo('GET', /^\/files\//);
		expect(own[0].headers.authorization).toBe(`Bearer ${LEADWAY_TOKEN}`);
		expect(fileHost.requests).toHaveLength(1);
		expect(fileHost.requests[0].headers.authorization).toBeUndefined();
		expect(JSON.stringify(fileHost.requests[0].headers)).not.toContain(LEADWAY_TOKEN);
	});

	it('does not carry the token across a redirect to another origin', async () => {
		leadway.redirectFilesTo = fileHost;
		const conversation = leadway.conversations[0];
		const result = await run('message', 'getMany', {
			conversationId: conversation.id,
			returnAll: true,
			options: { downloadAttachments: true, attachmentPrefix: 'file_' },
		});

		expect(result.error).toBeUndefined();
		const message = result.items.find((item) => item.binary)!;
		expect(Object.keys(message.binary!)).toEqual(['file_0', 'file_1']);
		expect(fileHost.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
		expect(await readOutputBinary(message, 'file_0')).toEqual(leadway.ownFiles.get('contract-signed.pdf')!.bytes);
	});

	it('streams a 20 MB attachment into binary data byte for byte, never as one buffer', async () => {
		const big = bytesOfSize(20 * MB, 7);
		const conversation = leadway.addConversation('contact_chloe');
		leadway.addMessage(conversation.id, { body: 'recording', attachments: [{ url: fileHost.put('call.mp4', big, 'video/mp4') }] });
		const { result, stored, largestBuffer } = await watchBuffers(
			async () =>
				await run('message', 'getMany', { conversationId: conversation.id, returnAll: true, options: { downloadAttachments: true } }),
		);

		expect(result.error).toBeUndefined();
		expect(stored).toHaveLength(1);
		expect(isStreamLike(stored[0])).toBe(true);
		expect(largestBuffer).toBeLessThan(MB);
		expect(result.items[0].binary!.attachment_0.fileName).toBe('call.mp4');
		expect(sha256(await readOutputBinary(result.items[0], 'attachment_0'))).toBe(sha256(big));
	});

	it('surfaces a file gone from its host with the file server\'s message', async () => {
		const conversation = leadway.addConversation('contact_chloe');
		leadway.addMessage(conversation.id, { attachments: [{ url: `${fileHost.url}/media/gone.pdf` }] });
		const result = await run('message', 'getMany', { conversationId: conversation.id, returnAll: true, options: { downloadAttachments: true } });

		expect(result.error?.message).toBe('File not found');
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.description).toMatch(/attachment URL may have expired/);
	});

	it('an empty Conversation ID stops the workflow before it runs (the parameter is required)', async () => {
		await expect(
			run('message', 'getMany', { conversationId: { __rl: true, mode: 'list', value: '' }, returnAll: true }),
		).rejects.toThrow(/Parameter "Conversation ID" is required/);
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('429 and the X-RateLimit-* headers', () => {
	it('waits for X-RateLimit-Interval-Milliseconds when Leadway sends no Retry-After, then goes on', async () => {
		leadway.enforceRateLimit = true;
		// A window long enough that three requests fall in it however busy the machine is.
		leadway.rateLimit = { max: 2, intervalMs: 1000 };
		// A back-off of this base would wait at least 30 s per retry (and time the test out):
		// finishing proves the wait came from the headers.
		const result = await run('conversation', 'get', {
			conversationId: leadway.conversations[0].id,
			requestOptions: { retryDelay: 120_000, maxRetries: 5 },
		}, [{}, {}, {}, {}, {}]);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		// Five items in windows of two: at least two requests were refused with 429 and repeated.
		expect(leadway.requests.length).toBeGreaterThanOrEqual(7);
	});
});
