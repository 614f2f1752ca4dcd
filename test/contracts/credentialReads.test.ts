/**
 * Per-item cost: in real n8n every credential read is a database query and a decryption.
 * A node run reads its credential once; every item, request and retry reuses it, and n8n
 * still applies it through the credential type's own `authenticate` function.
 */
import { CityPayDouble } from '../doubles/citypay';
import { bearerToken, faults } from '../doubles/httpDouble';
import { INVENT_API_KEY, InventDouble } from '../doubles/invent';
import { credentialsFor, useApiDoubles } from '../harness/apiDoubles';
import type { FixtureItem } from '../harness/engine';
import { runNode } from '../harness/engine';
import { bytesOfSize } from '../harness/fixtures';

const invent = new InventDouble();
const cityPay = new CityPayDouble();
const { pkg } = useApiDoubles([invent, cityPay]);

function fileItems(count: number): FixtureItem[] {
	return Array.from({ length: count }, (_, index) => ({
		json: {},
		files: [{ fileName: `file-${index}.pdf`, content: bytesOfSize(700 + index, index + 1), mimeType: 'application/pdf' }],
	}));
}

describe('Credential reads', () => {
	it('Invent: one read per run, retries included, and every request still carries the key', async () => {
		const [{ id: contactId }] = invent.addContacts(1);
		invent.requests.length = 0;
		invent.failNext(faults.rateLimited('0'), null, faults.unavailable());
		const input = fileItems(6);

		const result = await runNode({
			pkg,
			node: { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', contactId, requestOptions: { retryDelay: 0 } } },
			input,
			credentials: credentialsFor(invent),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(6);
		const uploads = invent.requestsTo('POST', /\/files$/);
		expect(uploads).toHaveLength(8); // two items were answered 429 / 503 once
		for (const request of uploads) expect(bearerToken(request)).toBe(INVENT_API_KEY);
		expect(result.credentialReads).toBe(1);
	});

	it('CityPay: one read per run, with several items in flight at once', async () => {
		const input = fileItems(5);

		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'upload' } },
			input,
			credentials: credentialsFor(cityPay),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.credentialReads).toBe(1);
	});
});
