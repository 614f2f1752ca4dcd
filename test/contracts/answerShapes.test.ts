/**
 * A 2xx answer that is valid JSON but not what the operation reads (`123`, `true`, `"text"`,
 * `null`, a list where an object is expected, a list holding something other than objects):
 * an API error saying what came back, never an item whose JSON is a number. For a request
 * with an effect (an upload) the error says it may or may not have happened.
 */
import { CityPayDouble } from '../doubles/citypay';
import type { DoubleResponse } from '../doubles/httpDouble';
import { json } from '../doubles/httpDouble';
import { InventDouble } from '../doubles/invent';
import { LeadwayDouble } from '../doubles/leadway';
import { credentialsFor, useApiDoubles } from '../harness/apiDoubles';
import type { FixtureItem, OnErrorSetting, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';
import { searchList } from '../harness/listSearch';

const pdf = fixture('invoice.pdf');

const citypay = new CityPayDouble();
const invent = new InventDouble();
const leadway = new LeadwayDouble();
const { pkg } = useApiDoubles([citypay, invent, leadway]);

/** The API answers the next request with this, instead of its own answer. */
const answerWith = (response: DoubleResponse) => ({ kind: 'answer' as const, name: 'odd answer', response });

function cityPay(parameters: Record<string, unknown>, input: FixtureItem[] = [{}], onError?: OnErrorSetting): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'cityPay', parameters: { resource: 'attachment', ...parameters }, onError },
		input,
		credentials: credentialsFor(citypay),
	});
}

function inventContacts(): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'invent', parameters: { resource: 'contact', operation: 'getMany', organizationId: 'c', returnAll: true } },
		input: [{}],
		credentials: credentialsFor(invent),
	});
}

function leadwayRun(parameters: Record<string, unknown>): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'leadway', parameters },
		input: [{}],
		credentials: credentialsFor(leadway),
	});
}

describe('where an object is expected', () => {
	it.each([
		['123', 123, 'a number'],
		['true', true, 'true'],
		['"text"', 'text', 'a text string'],
		['null', null, 'null'],
		['[1,2,3]', [1, 2, 3], 'a list'],
		['[{}]', [{ id: 'att_1' }], 'a list'],
	])('CityPay Get answering %s fails with an API error saying so', async (_label, body, found) => {
		citypay.failNext(answerWith(json(200, body)));
		const result = await cityPay({ operation: 'get', attachmentId: 'att_1' });

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(`CityPay answered HTTP 200 with ${found} instead of a JSON object`);
		expect(result.error?.description).toBe(
			'Check that the Base URL in the CityPay credential points at the CityPay API; a proxy or gateway may have answered instead.',
		);
		expect(result.items).toHaveLength(0);
	});

	it('CityPay Upload answering 201 with a list: the file may or may not have arrived', async () => {
		citypay.failNext(answerWith(json(201, [1, 2, 3])));
		const result = await cityPay({ operation: 'upload' }, [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }]);

		expect(result.error?.message).toBe('CityPay answered HTTP 201 with a list instead of a JSON object');
		expect(result.error?.description).toMatch(
			/^The file may or may not have arrived in CityPay: CityPay accepted it but its answer could not be read\. Check the attachments in CityPay/,
		);
		expect(citypay.requestsTo('POST', /^\/attachments$/)).toHaveLength(1);
	});

	it('Continue (using error output) keeps the item, paired, with the error', async () => {
		citypay.failNext(answerWith(json(200, 123)));
		const result = await cityPay({ operation: 'get', attachmentId: 'att_1' }, [{}], 'continueErrorOutput');

		expect(result.items).toHaveLength(0);
		expect(result.errorItems).toEqual([
			{
				json: {
					error: 'CityPay answered HTTP 200 with a number instead of a JSON object',
					details: expect.stringContaining('Check that the Base URL'),
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Leadway Get Conversation answering a list fails', async () => {
		leadway.failNext(answerWith(json(200, ['conv_1'])));
		const result = await leadwayRun({ resource: 'conversation', operation: 'get', conversationId: 'conv_1' });

		expect(result.error?.message).toBe('Leadway answered HTTP 200 with a list instead of a JSON object');
	});
});

describe('where a list of objects is expected', () => {
	it.each([
		['[1,2,3]', [1, 2, 3], 'a list whose entry 1 is a number'],
		['[{…},"x"]', [{ id: 'ct_1' }, 'x'], 'a list whose entry 2 is a text string'],
		['{data:[{…},null]}', { data: [{ id: 'ct_1' }, null] }, 'a "data" list whose entry 2 is null'],
		['123', 123, 'a number'],
	])('Invent Contact Get Many answering %s fails', async (_label, body, found) => {
		invent.failNext(answerWith(json(200, body)));
		const result = await inventContacts();

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(`Invent answered HTTP 200 with ${found} instead of a list of JSON objects`);
		expect(result.items).toHaveLength(0);
	});

	it('Invent still reads a list of contacts, plain or in a { data } envelope', async () => {
		invent.failNext(answerWith(json(200, [{ id: 'ct_1' }])));
		expect((await inventContacts()).items.map((item) => item.json)).toEqual([{ id: 'ct_1' }]);

		invent.failNext(answerWith(json(200, { data: [{ id: 'ct_2' }] })));
		expect((await inventContacts()).items.map((item) => item.json)).toEqual([{ id: 'ct_2' }]);
	});

	it('CityPay Get Many answering a page whose data holds a number fails', async () => {
		citypay.failNext(answerWith(json(200, { has_more: false, data: [{ id: 'att_1' }, 7] })));
		const result = await cityPay({ operation: 'getMany', returnAll: true });

		expect(result.error?.message).toBe('CityPay answered HTTP 200 with a "data" list whose entry 2 is a number instead of a list of JSON objects');
	});

	it('Leadway Get Many conversations and messages answering lists of text fail', async () => {
		leadway.failNext(answerWith(json(200, { conversations: ['conv_1'], total: 1 })));
		const conversations = await leadwayRun({ resource: 'conversation', operation: 'getMany', returnAll: true });
		expect(conversations.error?.message).toBe(
			'Leadway answered HTTP 200 with a "conversations" list whose entry 1 is a text string instead of a list of JSON objects',
		);

		leadway.failNext(answerWith(json(200, { messages: [true], nextPage: false })));
		const messages = await leadwayRun({ resource: 'message', operation: 'getMany', conversationId: 'conv_1', returnAll: true });
		expect(messages.error?.message).toBe(
			'Leadway answered HTTP 200 with a "messages" list whose entry 1 is true instead of a list of JSON objects',
		);
	});

	it("the editor's list searches fail the same way (CityPay attachments, Invent contacts)", async () => {
		citypay.failNext(answerWith(json(200, { has_more: false, data: ['att_1'] })));
		await expect(
			searchList({
				pkg,
				type: 'cityPay',
				parameters: { resource: 'attachment', operation: 'get' },
				parameter: 'attachmentId',
				method: 'searchAttachments',
				credentials: credentialsFor(citypay),
			}),
		).rejects.toThrow('CityPay answered HTTP 200 with a "data" list whose entry 1 is a text string instead of a list of JSON objects');

		invent.failNext(answerWith(json(200, [1])));
		await expect(
			searchList({
				pkg,
				type: 'invent',
				parameters: { resource: 'contactFile', operation: 'upload', organizationId: 'c' },
				parameter: 'contactId',
				method: 'searchContacts',
				credentials: credentialsFor(invent),
			}),
		).rejects.toThrow('Invent answered HTTP 200 with a list whose entry 1 is a number instead of a list of JSON objects');
	});
});
