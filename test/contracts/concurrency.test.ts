/**
 * Concurrency (Request Options): up to N items at once through the shared router, never
 * more requests in flight, and output exactly as one at a time would give it (order,
 * pairedItem, Continue On Fail, the error that stops the node). Against the Invent and
 * Haptik doubles with random answer delays; where a test needs N requests in flight at once,
 * the double holds them until N have arrived, so no count depends on the machine's speed.
 */
import type { IDataObject } from 'n8n-workflow';

import * as errors from '../../nodes/shared/transport/errors';
import { HAPTIK_USER, HaptikDouble } from '../doubles/haptik';
import type { RecordedRequest } from '../doubles/httpDouble';
import { sha256 } from '../doubles/httpDouble';
import { InventDouble } from '../doubles/invent';
import { credentialsFor, useApiDoubles } from '../harness/apiDoubles';
import type { FixtureItem, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { bytesOfSize } from '../harness/fixtures';
import { until } from '../harness/until';

const invent = new InventDouble();
const haptik = new HaptikDouble();
const { pkg } = useApiDoubles([invent, haptik]);

/** Seeded, so a failing order can be replayed. */
function randomSource(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomDelays(seed: number, minMs: number, maxMs: number): (request: RecordedRequest) => number {
	const random = randomSource(seed);
	return () => Math.round(minMs + random() * (maxMs - minMs));
}

const ITEMS = 30;

function fileItems(count: number, json: (index: number) => IDataObject = () => ({})): FixtureItem[] {
	return Array.from({ length: count }, (_, index) => ({
		json: json(index),
		files: [{ fileName: `file-${index}.pdf`, content: bytesOfSize(1000 + index * 37, index + 1), mimeType: 'application/pdf' }],
	}));
}

function runInvent(parameters: Record<string, unknown>, input: FixtureItem[], continueOnFail = false): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'invent', parameters, continueOnFail },
		input,
		credentials: credentialsFor(invent),
	});
}

const upload = (contactId: string, concurrency?: number) => ({
	resource: 'contactFile',
	operation: 'upload',
	contactId,
	requestOptions: concurrency === undefined ? {} : { concurrency },
});

/** Which input item an upload request carried, from its file name. */
function itemOf(request: RecordedRequest): number {
	const { file } = JSON.parse(request.body.toString()) as { file: { name: string } };
	return Number(/^file-(\d+)\.pdf$/.exec(file.name)![1]);
}

afterEach(() => {
	jest.restoreAllMocks();
});

describe('Concurrency', () => {
	it.each([
		[5, 5, 101],
		[1, 1, 202],
		// The default (50) is more than the 30 items: every item is in flight at once.
		['the default (50)', ITEMS, 303],
	] as const)(
		'Concurrency %s: never more in flight, all of them used, output in input order and paired',
		async (setting, limit, seed) => {
			const [{ id: contactId }] = invent.addContacts(1);
			const delays = randomDelays(seed, 5, 60);
			// With more than one slot, item 0 is answered last, once every other file is stored: the
			// answers come back out of input order whatever the machine's speed.
			const othersStored = () => until(() => invent.files.length === ITEMS - 1, 'every file but item 0 stored');
			invent.latency = (request) => (limit > 1 && itemOf(request) === 0 ? othersStored() : delays(request));
			// Every slot in use at once: the first `limit` requests are answered only when all have arrived.
			invent.holdUntil(limit);
			const input = fileItems(ITEMS);

			const result = await runInvent(upload(contactId, typeof setting === 'number' ? setting : undefined), input);

			expect(result.error).toBeUndefined();
			expect(invent.maxInFlight).toBeLessThanOrEqual(limit);
			// Really concurrent: every slot was used at once.
			expect(invent.maxInFlight).toBe(limit);
			expect(result.items).toHaveLength(ITEMS);
			expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
			expect(result.items.map((item) => item.json.file_filename)).toEqual(input.map((_, index) => `file-${index}.pdf`));
			expect(result.items.map((item) => item.json.file_size)).toEqual(input.map((item) => item.files![0].content.length));
			// Every file arrived once, intact.
			const stored = new Map(invent.files.map((file) => [file.name, file.sha256]));
			expect(stored.size).toBe(ITEMS);
			for (const item of input) expect(stored.get(item.files![0].fileName)).toBe(sha256(item.files![0].content));
			if (limit > 1) {
				// The answers came back out of order (item 0 last); the output did not follow them.
				const arrival = invent.files.map((file) => Number(/\d+/.exec(file.name)![0]));
				expect(arrival).not.toEqual([...arrival].sort((a, b) => a - b));
			}
		},
	);

	it('never has more multipart uploads in flight than the limit either (Haptik, Concurrency 3)', async () => {
		haptik.latency = randomDelays(404, 5, 50);
		haptik.holdUntil(3);
		const input = fileItems(20);
		const result = await runNode({
			pkg,
			node: {
				type: 'haptik',
				parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234', requestOptions: { concurrency: 3 } },
			},
			input,
			credentials: credentialsFor(haptik),
		});

		expect(result.error).toBeUndefined();
		expect(haptik.maxInFlight).toBe(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		expect(new Set(haptik.uploads.map((upload) => upload.file.sha256))).toEqual(
			new Set(input.map((item) => sha256(item.files![0].content))),
		);
	});

	it('keeps the several items of each Get Many together, in input order', async () => {
		invent.addContacts(40);
		invent.latency = randomDelays(505, 0, 40);
		const limits = [3, 1, 7, 2, 5, 4, 1, 6, 2, 3];

		const result = await runInvent(
			{ resource: 'contact', operation: 'getMany', returnAll: false, limit: '={{ $json.limit }}', requestOptions: { concurrency: 4 } },
			limits.map((limit) => ({ json: { limit } })),
		);

		expect(result.error).toBeUndefined();
		expect(invent.maxInFlight).toBeLessThanOrEqual(4);
		const expected = limits.flatMap((limit, item) =>
			invent.contacts.slice(0, limit).map((contact) => ({ id: contact.id, pairedItem: { item } })),
		);
		expect(result.items.map((item) => ({ id: item.json.id, pairedItem: item.pairedItem }))).toEqual(expected);
	});

	it('Continue On Fail: every input gets exactly one paired output, in order, failed ones as error items', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		invent.latency = randomDelays(606, 5, 50);
		const refused = new Set([2, 3, 11, 17, 29]); // Invent answers 404
		const invalid = new Set([8, 20]); // refused before any request: empty Contact ID
		const input = fileItems(ITEMS, (index) => ({
			contactId: refused.has(index) ? 'ct_missing' : invalid.has(index) ? '' : contactId,
		}));

		const result = await runInvent(upload('={{ $json.contactId }}', 5), input, true);

		expect(result.error).toBeUndefined();
		expect(invent.maxInFlight).toBeLessThanOrEqual(5);
		expect(result.items).toHaveLength(ITEMS);
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		for (const [index, item] of result.items.entries()) {
			if (refused.has(index)) expect(item.json.error).toBe('Contact not found');
			else if (invalid.has(index)) expect(item.json.error).toBe(`Contact ID is empty on item ${index}`);
			else expect(item.json).toMatchObject({ file_filename: `file-${index}.pdf` });
		}
		expect(invent.files).toHaveLength(ITEMS - refused.size - invalid.size);
		expect(invent.requestsTo('POST', /\/files$/)).toHaveLength(ITEMS - invalid.size);
	});

	it('without Continue On Fail: fails on the lowest failing item, even when a later one fails first, and starts no new items', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		const slowFailing = 7;
		const fastFailing = 9;
		const concurrency = 5;
		// Item 7 and every item after 9 are answered only once the node holds Invent's refusal of
		// item 9 (the first refusal it builds: item 7's is still held), so item 9 fails first and no
		// later item can finish before the node knows.
		let nineRefused!: () => void;
		const refusalOfNine = new Promise<void>((resolve) => (nineRefused = resolve));
		const buildRefusal = errors.statusRefusalError;
		jest.spyOn(errors, 'statusRefusalError').mockImplementation((...args) => {
			nineRefused();
			return buildRefusal(...args);
		});
		invent.latency = (request) => (itemOf(request) === slowFailing || itemOf(request) > fastFailing ? refusalOfNine : 0);
		const input = fileItems(ITEMS, (index) => ({
			contactId: index === slowFailing || index === fastFailing || index === 20 ? 'ct_missing' : contactId,
		}));

		const result = await runInvent(upload('={{ $json.contactId }}', concurrency), input);

		expect(result.items).toHaveLength(0);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Contact not found');
		expect(result.error?.context?.itemIndex).toBe(slowFailing);
		expect(invent.maxInFlight).toBeLessThanOrEqual(concurrency);
		// Once item 9 failed, no item started: only those already under way (at most 3 after it) ran.
		const started = invent.requestsTo('POST', /\/files$/).map(itemOf);
		expect(Math.max(...started)).toBeLessThanOrEqual(fastFailing + concurrency - 1);
		expect(started).not.toContain(20);
		expect(new Set(started)).toEqual(new Set(Array.from({ length: Math.max(...started) + 1 }, (_, index) => index)));
	});

	it('without Continue On Fail and Concurrency 1: stops at the failing item and sends nothing after it', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		const input = fileItems(10, (index) => ({ contactId: index === 4 ? 'ct_missing' : contactId }));

		const result = await runInvent(upload('={{ $json.contactId }}', 1), input);

		expect(result.error?.context?.itemIndex).toBe(4);
		expect(invent.requestsTo('POST', /\/files$/).map(itemOf)).toEqual([0, 1, 2, 3, 4]);
	});
});
