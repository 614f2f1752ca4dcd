/**
 * On Error: Stop Workflow with operations that change data (uploads, sends, creates, renames,
 * deletes), through n8n-core's engine. An item the node can refuse by itself (an empty ID, a
 * missing binary field, a file the API's rules forbid, a File URL that is no URL) stops the
 * node before any item is sent. When the API refuses an item while others are under way, the
 * error still names the first failed item, and its description lists the items that had
 * already succeeded, so the user can run the others again without duplicates.
 */
import { FileServerDouble } from '../doubles/fileServer';
import { HAPTIK_USER } from '../doubles/haptik';
import { credentialsFor, useApiDoubles, vendorDoubles } from '../harness/apiDoubles';
import { watchStorageReads } from '../harness/bufferWatch';
import type { FixtureItem, NodeUnderTest, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { bytesOfSize, fixture } from '../harness/fixtures';

const png = fixture('logo.png');

const { citypay, haptik, invent, leadway } = vendorDoubles();
const fileHost = new FileServerDouble();
const { pkg } = useApiDoubles([citypay, haptik, invent, leadway, fileHost]);

const credentials = () => ({ ...credentialsFor(citypay), ...credentialsFor(haptik), ...credentialsFor(invent), ...credentialsFor(leadway) });

async function run(node: NodeUnderTest, input: FixtureItem[]): Promise<RunResult> {
	return await runNode({ pkg, node, input, credentials: credentials() });
}

/** `count` items, each with its own small text file `file-<index>.txt`. */
function textFiles(count: number): FixtureItem[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { index },
		files: [{ fileName: `file-${index}.txt`, mimeType: 'text/plain', content: Buffer.from(`item ${index}\n`) }],
	}));
}

/** The item numbers a description lists, e.g. "items 0–3, 6, 9–10" → [0, 1, 2, 3, 6, 9, 10]. */
function listedItems(list: string): number[] {
	return list.split(', ').flatMap((part) => {
		const [from, to = from] = part.split('–').map(Number);
		return Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
	});
}

describe('an item the API refuses while others are under way', () => {
	it('100 CityPay uploads at the default Concurrency: item 5 is reported, with every item CityPay stored', async () => {
		citypay.refusedFileNames.add('file-5.txt').add('file-7.txt');
		const result = await run({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload' } }, textFiles(100));

		// The first failure in input order, with CityPay's own message, as before.
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/The file file-5\.txt is not accepted/);
		expect(result.error?.context?.itemIndex).toBe(5);
		expect(result.items).toEqual([]);

		const stored = citypay.attachments.map((attachment) => Number(/^file-(\d+)\.txt$/.exec(attachment.filename)![1])).sort((a, b) => a - b);
		// Items 0-4 were under way when item 5 failed; the default Concurrency (50) started 0-49 at once.
		expect(stored).toEqual(expect.arrayContaining([0, 1, 2, 3, 4]));
		expect(stored).not.toContain(5);
		expect(stored).not.toContain(7);

		const match = / Before the run stopped, (\d+) other items had already been sent to CityPay and succeeded: items ([\d–, ]+)\. Item 7 failed too\. Run only the other items again, or set On Error to Continue to get every item's result\.$/.exec(
			result.error?.description ?? '',
		);
		expect(match).not.toBeNull();
		expect(Number(match![1])).toBe(stored.length);
		expect(listedItems(match![2])).toEqual(stored);
		// CityPay's own fix comes first, unchanged.
		expect(result.error!.description!.startsWith(' ')).toBe(false);
	});

	it('the list is given as ranges, and one item in the singular', async () => {
		citypay.refusedFileNames.add('file-1.txt');
		const result = await run(
			{ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload', requestOptions: { concurrency: 1 } } },
			textFiles(3),
		);

		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.description).toMatch(
			/ Before the run stopped, 1 other item had already been sent to CityPay and succeeded: item 0\. Run only the other items again, or set On Error to Continue to get every item's result\.$/,
		);
		expect(citypay.attachments.map((attachment) => attachment.filename)).toEqual(['file-0.txt']);
	});

	it('a read-only operation (Get) adds nothing to the error', async () => {
		const [kept] = citypay.addAttachments(1);
		const result = await run(
			{ type: 'cityPay', parameters: { resource: 'attachment', operation: 'get', attachmentId: '={{ $json.id }}', requestOptions: { concurrency: 1 } } },
			[{ json: { id: kept.id } }, { json: { id: 'att_missing' } }],
		);

		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.error?.description).not.toMatch(/Before the run stopped/);
	});
});

interface RefusedBeforeSending {
	node: () => NodeUnderTest;
	/** 100 items; item 5 is one the node refuses by itself. */
	input: () => FixtureItem[];
	error: RegExp;
	/** Every request any double received. */
	requests: () => number;
}

const hundred = (make: (index: number) => FixtureItem) => Array.from({ length: 100 }, (_, index) => make(index));

const pngItem = (index: number, fileName = `photo-${index}.png`): FixtureItem => ({
	json: { index },
	files: [{ fileName, content: png }],
});

const refusedBeforeSending: Array<[string, RefusedBeforeSending]> = [
	[
		'CityPay Attachment → Upload, item 5 without the binary field',
		{
			node: () => ({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload' } }),
			input: () => hundred((index) => (index === 5 ? { json: { index } } : pngItem(index))),
			error: /^No binary field "data" on item 5$/,
			requests: () => citypay.requests.length,
		},
	],
	[
		'CityPay Attachment → Upload by URL, item 5 with a File URL that is no URL',
		{
			node: () => ({
				type: 'cityPay',
				parameters: { resource: 'attachment', operation: 'upload', inputType: 'url', fileUrl: '={{ $json.url }}' },
			}),
			input: () =>
				hundred((index) => ({ json: { url: index === 5 ? 'invoice.pdf' : fileHost.addFile(`photo-${index}.png`, png, 'image/png') } })),
			error: /^File URL "invoice\.pdf" is not an http\(s\) URL on item 5$/,
			requests: () => citypay.requests.length + fileHost.requests.length,
		},
	],
	[
		'CityPay Attachment → Delete, item 5 with an empty Attachment ID',
		{
			node: () => ({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'delete', attachmentId: '={{ $json.id }}' } }),
			input: () => {
				const ids = citypay.addAttachments(100).map((attachment) => attachment.id);
				return hundred((index) => ({ json: { id: index === 5 ? '' : ids[index] } }));
			},
			error: /^Attachment ID is empty on item 5$/,
			requests: () => citypay.requests.length,
		},
	],
	[
		'Haptik File → Send, item 5 with a file Haptik does not accept',
		{
			node: () => ({ type: 'haptik', parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' } }),
			input: () => hundred((index) => (index === 5 ? pngItem(index, 'setup.exe') : pngItem(index))),
			error: /extension "\.exe", which Haptik does not accept/,
			requests: () => haptik.requests.length,
		},
	],
	[
		'Invent Contact File → Upload, item 5 with an empty Contact ID',
		{
			node: () => ({ type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', contactId: '={{ $json.contactId }}' } }),
			input: () => {
				const [contact] = invent.addContacts(1);
				return hundred((index) => ({ ...pngItem(index), json: { contactId: index === 5 ? '' : contact.id } }));
			},
			error: /^Contact ID is empty on item 5$/,
			requests: () => invent.requests.length,
		},
	],
	[
		'Invent Contact → Create, item 5 with no channel field',
		{
			node: () => ({ type: 'invent', parameters: { resource: 'contact', operation: 'create', channel: { name: '={{ $json.name }}' } } }),
			input: () => hundred((index) => ({ json: { name: index === 5 ? '' : `Contact ${index}` } })),
			error: /^Channel Fields are empty on item 5$/,
			requests: () => invent.requests.length,
		},
	],
	[
		'Leadway Conversation → Upload, item 5 with neither Conversation ID nor Contact ID',
		{
			node: () => ({
				type: 'leadway',
				parameters: { resource: 'conversation', operation: 'upload', conversationId: '={{ $json.conversationId }}' },
			}),
			input: () => hundred((index) => ({ ...pngItem(index), json: { conversationId: index === 5 ? '' : 'conv_1' } })),
			error: /^Conversation ID and Contact ID are both empty on item 5$/,
			requests: () => leadway.requests.length,
		},
	],
	[
		'Leadway Message → Send, item 5 with an empty Contact ID',
		{
			node: () => ({
				type: 'leadway',
				parameters: { resource: 'message', operation: 'send', type: 'SMS', contactId: '={{ $json.contactId }}', message: 'Hello' },
			}),
			input: () => hundred((index) => ({ json: { contactId: index === 5 ? '' : 'contact_ben' } })),
			error: /^Contact ID is empty on item 5$/,
			requests: () => leadway.requests.length,
		},
	],
];

describe.each(refusedBeforeSending)('%s', (_label, testCase) => {
	it('Stop Workflow: the node fails on item 5 before any item is sent', async () => {
		const result = await run(testCase.node(), testCase.input());

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(testCase.error);
		expect(result.error?.context?.itemIndex).toBe(5);
		expect(result.error?.description).not.toMatch(/Before the run stopped/);
		expect(result.items).toEqual([]);
		expect(testCase.requests()).toBe(0);
	});
});

describe('the check before sending costs no request and no file read', () => {
	it('Stop Workflow with 20 good uploads: each stored file is read once, by its own upload', async () => {
		const input = [
			...textFiles(18),
			// Above the size read whole: streamed from storage.
			...[18, 19].map((index) => ({ files: [{ fileName: `big-${index}.bin`, content: bytesOfSize(300 * 1024, index) }] })),
		];
		const { result, wholeReads, streamReads } = await watchStorageReads(
			async () => await run({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload' } }, input),
		);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20);
		expect(citypay.requestsTo('POST', /^\/attachments$/)).toHaveLength(20);
		expect(wholeReads).toHaveLength(18);
		expect(streamReads).toHaveLength(2);
	});

	it('Stop Workflow with uploads by URL: each file is downloaded once, by its own upload', async () => {
		const input = Array.from({ length: 10 }, (_, index) => ({ json: { url: fileHost.addFile(`photo-${index}.png`, png, 'image/png') } }));
		const result = await run(
			{ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload', inputType: 'url', fileUrl: '={{ $json.url }}' } },
			input,
		);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(10);
		expect(fileHost.requests).toHaveLength(10);
		expect(citypay.attachments).toHaveLength(10);
	});

	it('Continue (regular output) checks nothing ahead: the other 99 items are sent', async () => {
		const input = hundred((index) => (index === 5 ? { json: { index } } : pngItem(index)));
		const result = await run({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload' }, continueOnFail: true }, input);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(100);
		expect(result.items[5].json.error).toBe('No binary field "data" on item 5');
		expect(citypay.attachments).toHaveLength(99);
	});
});
