/**
 * Get Many against APIs whose lists never end, through n8n-core's engine: every Get Many
 * (CityPay attachments, Invent contacts, Leadway conversations and messages) stops with an
 * error that says what the API did and how to get a result, after at most 1,000 pages or
 * 100,000 items, or as soon as the API serves the same page again.
 */
import { CityPayDouble } from '../../doubles/citypay';
import { InventDouble } from '../../doubles/invent';
import { LeadwayDouble } from '../../doubles/leadway';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import type { NodeUnderTest, RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';

const citypay = new CityPayDouble();
const invent = new InventDouble();
const leadway = new LeadwayDouble();
const { pkg } = useApiDoubles([citypay, invent, leadway]);

const credentials = () => ({ ...credentialsFor(citypay), ...credentialsFor(invent), ...credentialsFor(leadway) });

async function run(node: NodeUnderTest): Promise<RunResult> {
	return await runNode({ pkg, node, input: [{}], credentials: credentials() });
}

describe('an API that keeps saying more follow stops at the ceiling, 1,000 pages (100,000 items)', () => {
	it('CityPay: has_more true with a fresh cursor on every page', async () => {
		citypay.endlessPages = true;
		const result = await run({ type: 'cityPay', parameters: { resource: 'attachment', operation: 'getMany', returnAll: true } });

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('CityPay kept saying more attachments follow after 1,000 pages (100,000 attachments) on item 0');
		expect(result.error?.description).toBe(
			"Get Many reads at most 1,000 pages or 100,000 attachments for one input item, so that a list that does not end cannot use up n8n's memory. Set a Limit of at most 100,000, or list one conversation at a time (Conversation ID).",
		);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(result.items).toEqual([]);
		// Each page continued after the last one (the double refuses any other cursor), and no page past the ceiling was asked for.
		const pages = citypay.requestsTo('GET', /^\/attachments$/);
		expect(pages).toHaveLength(1000);
		expect(pages.every((request) => request.query.get('limit') === '100')).toBe(true);
	});

	it('Invent: pagination-count 1e12 with full pages on every page number', async () => {
		invent.endlessContacts = true;
		const result = await run({ type: 'invent', parameters: { resource: 'contact', operation: 'getMany', returnAll: true } });

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Invent kept saying more contacts follow after 1,000 pages (100,000 contacts) on item 0');
		expect(result.error?.description).toMatch(/^Get Many reads at most 1,000 pages or 100,000 contacts for one input item, .* Set a Limit of at most 100,000, or narrow the list with Filters\.$/);
		expect(invent.requests.map((request) => request.query.get('page'))).toEqual(Array.from({ length: 1000 }, (_, index) => String(index + 1)));
	});

	it('Leadway: messages with nextPage true and a fresh lastMessageId on every page', async () => {
		leadway.endlessLists = true;
		const conversationId = leadway.conversations[0].id;
		const result = await run({
			type: 'leadway',
			parameters: { resource: 'message', operation: 'getMany', conversationId, returnAll: true },
		});

		expect(result.error?.message).toBe('Leadway kept saying more messages follow after 1,000 pages (100,000 messages) on item 0');
		expect(result.error?.description).toMatch(/ Set a Limit of at most 100,000\.$/);
		expect(leadway.requestsTo('GET', /\/messages$/)).toHaveLength(1000);
	});

	it('Leadway: a conversation search whose pages are always full', async () => {
		leadway.endlessLists = true;
		const result = await run({ type: 'leadway', parameters: { resource: 'conversation', operation: 'getMany', returnAll: true } });

		expect(result.error?.message).toBe('Leadway kept saying more conversations follow after 1,000 pages (100,000 conversations) on item 0');
		expect(result.error?.description).toMatch(/ Set a Limit of at most 100,000, or narrow the search \(Contact ID, Query or Status\)\.$/);
		expect(leadway.requestsTo('GET', /^\/conversations\/search$/)).toHaveLength(1000);
	});

	it('with On Error set to Continue, the item becomes an error item and the run goes on', async () => {
		invent.endlessContacts = true;
		const result = await runNode({
			pkg,
			node: { type: 'invent', parameters: { resource: 'contact', operation: 'getMany', returnAll: true }, continueOnFail: true },
			input: [{}],
			credentials: credentials(),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: {
					error: 'Invent kept saying more contacts follow after 1,000 pages (100,000 contacts) on item 0',
					details: expect.stringMatching(/Set a Limit/),
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('an API that serves the same page again stops at once', () => {
	it('Invent ignoring page: page 2 repeats page 1', async () => {
		invent.addContacts(250);
		invent.ignorePage = true;
		const result = await run({ type: 'invent', parameters: { resource: 'contact', operation: 'getMany', returnAll: true } });

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Invent answered page 2 with the same contacts as the page before on item 0');
		expect(result.error?.description).toBe(
			'Stopped after 100 contacts instead of asking for the same page forever: Invent seems to ignore which page was asked for. Try again later, or set a Limit of at most 100 to read the first page only.',
		);
		expect(invent.requests.map((request) => request.query.get('page'))).toEqual(['1', '2']);
	});

	it('a Limit within the first page still works against it', async () => {
		invent.addContacts(250);
		invent.ignorePage = true;
		const result = await run({ type: 'invent', parameters: { resource: 'contact', operation: 'getMany', returnAll: false, limit: 100 } });

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(invent.contacts.slice(0, 100).map((contact) => contact.id));
		expect(invent.requests).toHaveLength(1);
	});
});
