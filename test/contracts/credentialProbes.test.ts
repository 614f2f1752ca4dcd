/**
 * The credential dialog's "Test" for CityPay, Invent and Leadway: what it says for a host
 * that does not exist, a refused port, 401, 403 and a redirect, as Haptik's test does.
 */
import { CITYPAY_TOKEN } from '../doubles/citypay';
import type { DoubleResponse } from '../doubles/httpDouble';
import { HttpDouble, json } from '../doubles/httpDouble';
import { INVENT_API_KEY } from '../doubles/invent';
import { LEADWAY_TOKEN, LEADWAY_VERSION } from '../doubles/leadway';
import { useApiDoubles } from '../harness/apiDoubles';
import { testCredential } from '../harness/credentialTest';

let answer: DoubleResponse;
/** Answers every request with whatever the test sets. */
const server = new HttpDouble(() => answer);
const { pkg } = useApiDoubles([server], { binaryData: false });

interface ProbeCase {
	type: string;
	apiName: string;
	data: (baseUrl: string) => Record<string, string>;
	secret: string;
	/** The request the test sends: path and query. */
	probe: { path: string; query: Record<string, string> };
	/** What the API's own refusal body looks like. */
	refusal: (message: string) => unknown;
	fix401: RegExp;
	fix403: RegExp;
}

const cases: ProbeCase[] = [
	{
		type: 'cityPayApi',
		apiName: 'CityPay',
		data: (baseUrl) => ({ token: CITYPAY_TOKEN, baseUrl }),
		secret: CITYPAY_TOKEN,
		probe: { path: '/attachments', query: { limit: '1' } },
		refusal: (message) => ({ type: 'authentication_error', message }),
		fix401: /CityPay refused the Token: it is missing, wrong or revoked/,
		fix403: /Check the token's permissions in CityPay/,
	},
	{
		type: 'inventApi',
		apiName: 'Invent',
		data: (baseUrl) => ({ apiKey: INVENT_API_KEY, baseUrl }),
		secret: INVENT_API_KEY,
		probe: { path: '/orgs/c/contacts', query: { take: '1' } },
		refusal: (message) => ({ message }),
		fix401: /Invent refused the API key: it is missing, wrong or revoked/,
		fix403: /Check the key's permissions in Invent/,
	},
	{
		type: 'leadwayApi',
		apiName: 'Leadway',
		data: (baseUrl) => ({ accessToken: LEADWAY_TOKEN, apiVersion: LEADWAY_VERSION, baseUrl, locationId: '' }),
		secret: LEADWAY_TOKEN,
		probe: { path: '/conversations/search', query: { limit: '1' } },
		refusal: (message) => ({ statusCode: 401, message }),
		fix401: /Leadway refused the token: it is wrong, expired or revoked/,
		fix403: /Check the Location ID and the token scopes/,
	},
];

describe.each(cases)('$apiName credential test', ({ type, apiName, data, secret, probe, refusal, fix401, fix403 }) => {
	it('passes when the read succeeds, sending the one cheap read', async () => {
		answer = json(200, { has_more: false, data: [], conversations: [] });
		expect(await testCredential(pkg, type, data(server.url))).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests.map((request) => [request.method, request.path, Object.fromEntries(request.query)])).toEqual([
			['GET', probe.path, probe.query],
		]);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${secret}`);
	});

	it('names a host that does not exist and says to check the Base URL', async () => {
		const result = await testCredential(pkg, type, data('https://no-such-host.invalid'));
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				new RegExp(
					`^Could not reach ${apiName} at https://no-such-host\\.invalid \\((ENOTFOUND|EAI_AGAIN)\\)\\. Check the Base URL: its host name was not found`,
				),
			),
		});
	});

	it('says a refused connection is about reaching the host', async () => {
		const result = await testCredential(pkg, type, data('http://127.0.0.1:1'));
		expect(result).toEqual({
			status: 'Error',
			message: `Could not reach ${apiName} at http://127.0.0.1:1 (ECONNREFUSED). Check the Base URL and that n8n can reach it.`,
		});
	});

	it("says what to check for 401, with the API's own words and never the secret", async () => {
		answer = json(401, refusal('Invalid token'));
		const result = await testCredential(pkg, type, data(server.url));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^${apiName} answered HTTP 401 \\(Invalid token\\)\\. `));
		expect(result.message).toMatch(fix401);
		expect(result.message).not.toContain(secret);
	});

	it('says what to check for 403', async () => {
		answer = json(403, refusal('Forbidden'));
		const result = await testCredential(pkg, type, data(server.url));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(fix403) });
		expect(result.message).toMatch(new RegExp(`^${apiName} answered HTTP 403 \\(Forbidden\\)`));
	});

	it('does not follow a redirect, and says the Base URL is not the API', async () => {
		answer = { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } };
		const result = await testCredential(pkg, type, data(server.url));
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/redirected the test elsewhere \(HTTP 302\)/) });
		expect(server.requests).toHaveLength(1);
	});

	it('says when the server is not the API at all', async () => {
		answer = { status: 500, body: Buffer.from('<html>gateway</html>'), headers: { 'content-type': 'text/html' } };
		const result = await testCredential(pkg, type, data(server.url));
		expect(result).toEqual({
			status: 'Error',
			message: `The server at ${server.url} answered HTTP 500 without a ${apiName} answer. Check the Base URL.`,
		});
	});
});
