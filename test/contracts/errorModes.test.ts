/**
 * n8n's three On Error settings, through the engine, for every node: one bad item among
 * three, refused before anything is sent. Stop Workflow fails the node on that item;
 * Continue (regular output) keeps an error item in its place; Continue (using error output)
 * sends it to the error output, paired with its input item, while the others stay on the
 * main output. (faults.test.ts does the same for an API refusal in every operation.)
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { HAPTIK_USER } from '../doubles/haptik';
import type { HttpDouble } from '../doubles/httpDouble';
import { credentialsFor, useApiDoubles, vendorDoubles } from '../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';

const png = fixture('logo.png');
const pdf = fixture('invoice.pdf');

const { invent, haptik, citypay, leadway } = vendorDoubles();
const { pkg } = useApiDoubles([invent, haptik, citypay, leadway]);

interface NodeCase {
	nodeType: string;
	double: () => HttpDouble;
	parameters: () => Record<string, unknown>;
	credentials: () => Record<string, ICredentialDataDecryptedObject>;
	/** Three items; the middle one is refused before it is sent. */
	input: FixtureItem[];
	/** What the refusal says (message) and how to fix it (details). */
	error: RegExp;
	fix: RegExp;
}

const item = (tag: string, fileName: string, content: Buffer): FixtureItem => ({
	json: { tag },
	files: [{ fileName, content }],
});

const cases: Array<[string, NodeCase]> = [
	[
		'Haptik File → Send',
		{
			nodeType: 'haptik',
			double: () => haptik,
			parameters: () => ({ resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' }),
			credentials: () => credentialsFor(haptik),
			input: [
				item('first', 'photo.png', png),
				item('second', 'setup.exe', Buffer.from('MZ')),
				item('third', 'contacts.csv', Buffer.from('name,email\nAda,ada@example.com\n')),
			],
			error: /extension "\.exe", which Haptik does not accept/,
			fix: /docx, doc, pdf/,
		},
	],
	[
		'Invent Contact File → Upload',
		{
			nodeType: 'invent',
			double: () => invent,
			parameters: () => ({ resource: 'contactFile', operation: 'upload', contactId: invent.addContacts(1)[0].id }),
			credentials: () => credentialsFor(invent),
			input: [item('first', 'invoice.pdf', pdf), item('second', 'empty.pdf', Buffer.alloc(0)), item('third', 'logo.png', png)],
			error: /is empty \(0 bytes\)/,
			fix: /needs a file with content/,
		},
	],
	[
		'CityPay Attachment → Upload',
		{
			nodeType: 'cityPay',
			double: () => citypay,
			parameters: () => ({ resource: 'attachment', operation: 'upload' }),
			credentials: () => credentialsFor(citypay),
			input: [item('first', 'invoice.pdf', pdf), item('second', 'in\tvoice.pdf', pdf), item('third', 'logo.png', png)],
			error: /control character/,
			fix: /control characters/,
		},
	],
	[
		'Leadway Conversation → Upload',
		{
			nodeType: 'leadway',
			double: () => leadway,
			parameters: () => ({ resource: 'conversation', operation: 'upload', conversationId: 'conv_1' }),
			credentials: () => credentialsFor(leadway),
			input: [item('first', 'invoice.pdf', pdf), item('second', 'setup.exe', Buffer.from('MZ')), item('third', 'logo.png', png)],
			error: /extension "\.exe", which Leadway does not accept/,
			fix: /jpg, jpeg, png/,
		},
	],
];

function run(nodeCase: NodeCase, onError: OnErrorSetting): Promise<RunResult> {
	nodeCase.double().requests.length = 0;
	return runNode({
		pkg,
		// One item at a time, so the requests meet the double in input order.
		node: {
			type: nodeCase.nodeType,
			parameters: { ...nodeCase.parameters(), requestOptions: { concurrency: 1 } },
			onError,
		},
		input: nodeCase.input,
		credentials: nodeCase.credentials(),
	});
}

describe.each(cases)('%s', (_label, nodeCase) => {
	it('Stop Workflow: the node fails on item 1 before any item is sent', async () => {
		const result = await run(nodeCase, 'stopWorkflow');

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(nodeCase.error);
		expect(result.error?.description).toMatch(nodeCase.fix);
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(result.items).toEqual([]);
		expect(result.errorItems).toEqual([]);
		// Every item is checked before any is sent: item 1's refusal stops the node before item 0 goes out.
		expect(nodeCase.double().requests).toHaveLength(0);
	});

	it('Continue (regular output): the error item stays in place, paired, with message and fix', async () => {
		const result = await run(nodeCase, 'continueRegularOutput');

		expect(result.error).toBeUndefined();
		expect(result.errorItems).toEqual([]);
		expect(result.items.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.error).toBeUndefined();
		expect(result.items[2].json.error).toBeUndefined();
		expect(result.items[1].json).toEqual({
			error: expect.stringMatching(nodeCase.error),
			details: expect.stringMatching(nodeCase.fix),
		});
		expect(nodeCase.double().requests).toHaveLength(2);
	});

	it('Continue (using error output): the failed item leaves on the error output, the others on the main one', async () => {
		const result = await run(nodeCase, 'continueErrorOutput');

		expect(result.error).toBeUndefined();
		expect(result.items.map((output) => output.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		for (const output of result.items) expect(output.json.error).toBeUndefined();

		expect(result.errorItems).toHaveLength(1);
		const [failed] = result.errorItems;
		expect(failed.pairedItem).toEqual({ item: 1 });
		// n8n adds the input item's JSON to an error-output item: the failure is traceable.
		expect(failed.json).toEqual({
			tag: 'second',
			error: expect.stringMatching(nodeCase.error),
			details: expect.stringMatching(nodeCase.fix),
		});
		expect(nodeCase.double().requests).toHaveLength(2);
	});
});
