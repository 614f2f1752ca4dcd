/**
 * The credential's Base URL as users paste it: with a path prefix (CityPay's `/v1`), with
 * surrounding spaces, or with a query string or fragment that has no place in an API's
 * address. Runs and credential tests agree: spaces are trimmed, paths are joined under the
 * prefix, and a `?` or `#` part is refused before any request, with the fix.
 */
import { CITYPAY_TOKEN, CityPayDouble } from '../../doubles/citypay';
import { HAPTIK_USER, HaptikDouble, UPLOAD_ROUTE } from '../../doubles/haptik';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import { testCredential } from '../../harness/credentialTest';
import type { RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';
import { fixture } from '../../harness/fixtures';

const pdf = fixture('invoice.pdf');

const citypay = new CityPayDouble();
const haptik = new HaptikDouble();
const { pkg } = useApiDoubles([citypay, haptik]);

beforeEach(() => {
	// Served under /v1, as CityPay's own API is.
	citypay.basePath = '/v1';
});

function cityPayDelete(baseUrl: string, attachmentId: string): Promise<RunResult> {
	return runNode({
		pkg,
		node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'delete', attachmentId } },
		input: [{}],
		credentials: credentialsFor(citypay, { baseUrl }),
	});
}

describe('CityPay runs', () => {
	it('join the path under the Base URL\'s own path (…/v1 + /attachments/<id>)', async () => {
		const [attachment] = citypay.addAttachments(1);
		const result = await cityPayDelete(`${citypay.url}/v1`, attachment.id);

		expect(result.error).toBeUndefined();
		expect(citypay.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`DELETE /v1/attachments/${attachment.id}`]);
		expect(result.items[0].json).toEqual({ id: attachment.id, deleted: true });
	});

	it('work with spaces around the Base URL', async () => {
		const [attachment] = citypay.addAttachments(1);
		const result = await cityPayDelete(` ${citypay.url}/v1/ `, attachment.id);

		expect(result.error).toBeUndefined();
		expect(citypay.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`DELETE /v1/attachments/${attachment.id}`]);
		expect(citypay.attachments).toHaveLength(0);
	});

	it('refuse a Base URL with a fragment before sending anything (it would have deleted nothing and said deleted)', async () => {
		const [attachment] = citypay.addAttachments(1);
		const result = await cityPayDelete(`${citypay.url}/v1#frag`, attachment.id);

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Base URL in the CityPay credential has a fragment (a part from "#" on) on item 0');
		expect(result.error?.description).toMatch(/^Edit the CityPay credential and fix Base URL: remove everything from the "#" on/);
		expect(citypay.requests).toHaveLength(0);
		expect(citypay.attachments).toHaveLength(1);
	});

	it('refuse a Base URL with a query string before sending anything, without showing it', async () => {
		const [attachment] = citypay.addAttachments(1);
		const result = await cityPayDelete(`${citypay.url}/v1?sig=abc`, attachment.id);

		expect(result.error?.message).toBe('Base URL in the CityPay credential has a query string (a part from "?" on) on item 0');
		expect(result.error?.description).toMatch(/remove everything from the "\?" on/);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('sig=abc');
		expect(citypay.requests).toHaveLength(0);
	});

	it('refuse an empty query mark too ("…/v1?")', async () => {
		const result = await cityPayDelete(`${citypay.url}/v1?`, 'att_1');
		expect(result.error?.message).toBe('Base URL in the CityPay credential has a query string (a part from "?" on) on item 0');
		expect(citypay.requests).toHaveLength(0);
	});
});

describe('CityPay credential test', () => {
	it('passes with spaces around the Base URL, asking under its path', async () => {
		const result = await testCredential(pkg, 'cityPayApi', { token: CITYPAY_TOKEN, baseUrl: `  ${citypay.url}/v1  ` });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(citypay.requests.map((request) => request.path)).toEqual(['/v1/attachments']);
	});

	it.each([
		['?sig=abc', 'query string', '?'],
		['#frag', 'fragment', '#'],
	])('refuses a Base URL ending in %s before sending, with the fix', async (extra, part, mark) => {
		const result = await testCredential(pkg, 'cityPayApi', { token: CITYPAY_TOKEN, baseUrl: `${citypay.url}/v1${extra}` });

		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			`Base URL has a ${part} (a part from "${mark}" on). Check the Base URL: remove everything from the "${mark}" on. The Base URL is only the address of the CityPay API; the node adds each request's path and query to it.`,
		);
		expect(citypay.requests).toHaveLength(0);
	});
});

describe('Haptik', () => {
	const credentials = (baseUrl: string) => credentialsFor(haptik, { baseUrl }).haptikApi;

	it('a run and the credential test work alike with spaces around the Base URL', async () => {
		const tested = await testCredential(pkg, 'haptikApi', credentials(` ${haptik.url} `));
		expect(tested).toEqual({ status: 'OK', message: 'Haptik accepted the Token and Client ID' });

		const result = await runNode({
			pkg,
			node: { type: 'haptik', parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' } },
			input: [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }],
			credentials: { haptikApi: credentials(` ${haptik.url}${UPLOAD_ROUTE} `) },
		});
		expect(result.error).toBeUndefined();
		expect(haptik.requests.map((request) => request.path)).toEqual([UPLOAD_ROUTE, UPLOAD_ROUTE]);
		expect(haptik.uploads).toHaveLength(1);
	});

	it('a run and the credential test refuse a Base URL with a query string', async () => {
		const tested = await testCredential(pkg, 'haptikApi', credentials(`${haptik.url}?key=1`));
		expect(tested).toEqual({
			status: 'Error',
			message: `Base URL in the Haptik credential has a query string (a part from "?" on). Remove everything from the "?" on. The Base URL is only the address of the Haptik API; the node adds each request's path and query to it.`,
		});

		const result = await runNode({
			pkg,
			node: { type: 'haptik', parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' } },
			input: [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }],
			credentials: { haptikApi: credentials(`${haptik.url}${UPLOAD_ROUTE}#top`) },
		});
		expect(result.error?.message).toBe('Base URL in the Haptik credential has a fragment (a part from "#" on) on item 0');
		expect(haptik.requests).toHaveLength(0);
	});
});
