/**
 * Each credential type applies its secret with an `authenticate` function, which n8n calls
 * as it is for every request (a generic `={{ }}` block would go through n8n's expression
 * engine each time). The engine tests see these headers arrive at the API doubles; here each
 * function is checked on its own: the vendor's headers, the request's own kept, nothing shared.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { loadPackage } from '../harness/packageLoader';

const pkg = loadPackage('source');

const cases: Array<{ type: string; data: ICredentialDataDecryptedObject; headers: Record<string, string> }> = [
	{ type: 'inventApi', data: { apiKey: 'inv-key', baseUrl: 'https://api.useinvent.com' }, headers: { Authorization: 'Bearer inv-key' } },
	{ type: 'cityPayApi', data: { token: 'cp-token', baseUrl: 'https://x.example' }, headers: { Authorization: 'Bearer cp-token' } },
	{
		type: 'haptikApi',
		data: { token: 'hp-token', clientId: 'hp-client', baseUrl: 'https://x.example' },
		headers: { Authorization: 'Bearer hp-token', 'client-id': 'hp-client' },
	},
	{
		type: 'leadwayApi',
		data: { accessToken: 'lw-token', apiVersion: '2021-07-28', baseUrl: 'https://x.example' },
		headers: { Authorization: 'Bearer lw-token', Version: '2021-07-28' },
	},
];

it('every credential type of the package is covered here', () => {
	expect([...pkg.credentialTypes.keys()].sort()).toEqual(cases.map(({ type }) => type).sort());
});

describe.each(cases)('$type authenticate', ({ type, data, headers }) => {
	const authenticate = pkg.credentialTypes.get(type)?.authenticate;

	it('is a function that adds the headers and keeps the request and its own headers', async () => {
		if (typeof authenticate !== 'function') throw new Error(`${type} has no authenticate function`);
		const request: IHttpRequestOptions = {
			url: 'https://x.example/files',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { a: 1 },
		};
		const before = structuredClone(request);

		const result = await authenticate(data, request);

		expect(result).toEqual({ ...before, headers: { ...before.headers, ...headers } });
		// n8n hands the same decrypted data to every request of a node run: neither input changes.
		expect(request).toEqual(before);
		expect(result.headers).not.toBe(request.headers);
	});

	it('works on a request with no headers yet', async () => {
		if (typeof authenticate !== 'function') throw new Error(`${type} has no authenticate function`);
		const result = await authenticate(data, { url: 'https://x.example/files' });
		expect(result.headers).toEqual(headers);
	});
});
