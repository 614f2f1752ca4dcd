/**
 * Credential tests against hostile servers: a Base URL that is not http(s) is refused
 * before any request, and a redirect to another origin never receives the token.
 */
import { CITYPAY_TOKEN } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN } from '../doubles/haptik';
import type { RecordedRequest } from '../doubles/httpDouble';
import { HttpDouble, json } from '../doubles/httpDouble';
import { INVENT_API_KEY } from '../doubles/invent';
import { LEADWAY_TOKEN, LEADWAY_VERSION } from '../doubles/leadway';
import { useApiDoubles } from '../harness/apiDoubles';
import { testCredential } from '../harness/credentialTest';

/** Another origin (another port on 127.0.0.1): whatever reaches it has left the API's host. */
const foreign = new HttpDouble(() => json(200, { ok: true, data: [], conversations: [] }));
/** The API host as an attacker or a misconfigured proxy runs it: every request answers 302 to `foreign`. */
const redirector = new HttpDouble((request) => ({
	status: 302,
	headers: { location: `${foreign.url}${request.path}` },
}));
const { pkg } = useApiDoubles([foreign, redirector], { binaryData: false });

interface CredentialCase {
	type: string;
	/** The credential data, with the secret values the other host must never see. */
	data: (baseUrl: string) => Record<string, string>;
	secrets: string[];
}

const credentialCases: CredentialCase[] = [
	{ type: 'inventApi', data: (baseUrl) => ({ apiKey: INVENT_API_KEY, baseUrl }), secrets: [INVENT_API_KEY] },
	{ type: 'cityPayApi', data: (baseUrl) => ({ token: CITYPAY_TOKEN, baseUrl }), secrets: [CITYPAY_TOKEN] },
	{
		type: 'leadwayApi',
		data: (baseUrl) => ({ accessToken: LEADWAY_TOKEN, apiVersion: LEADWAY_VERSION, baseUrl }),
		secrets: [LEADWAY_TOKEN],
	},
	{
		type: 'haptikApi',
		data: (baseUrl) => ({ token: HAPTIK_TOKEN, clientId: HAPTIK_CLIENT_ID, baseUrl }),
		secrets: [HAPTIK_TOKEN, HAPTIK_CLIENT_ID],
	},
];

function rawHeaders(request: RecordedRequest): string {
	return JSON.stringify(request.headers);
}

describe.each(credentialCases)('$type credential test', ({ type, data, secrets }) => {
	it('does not send the secrets to another host a redirect names', async () => {
		const result = await testCredential(pkg, type, data(redirector.url));
		expect(redirector.requests).toHaveLength(1);
		expect(redirector.requests[0].headers.authorization).toMatch(/^Bearer /);
		// Declarative tests stop at the redirect; where a client follows one, the secrets stay behind.
		for (const request of foreign.requests) {
			expect(request.headers.authorization).toBeUndefined();
			for (const secret of secrets) expect(rawHeaders(request)).not.toContain(secret);
		}
		expect(foreign.requests).toEqual([]);
		expect(result.status).toBe('Error');
		for (const secret of secrets) expect(result.message).not.toContain(secret);
	});

	it.each(['ftp', 'file', 'javascript', 'bare host', 'empty'])('refuses a %s Base URL before sending anything', async (kind) => {
		const { port } = new URL(redirector.url);
		const baseUrl = {
			ftp: `ftp://127.0.0.1:${port}/`,
			file: '/etc/passwd'.replace(/^/, 'file://'),
			javascript: 'javascript:alert(1)',
			'bare host': `127.0.0.1:${port}`,
			empty: '',
		}[kind] as string;
		const result = await testCredential(pkg, type, data(baseUrl));
		expect(result.status).toBe('Error');
		for (const secret of secrets) expect(result.message).not.toContain(secret);
		expect(redirector.requests).toHaveLength(0);
		expect(foreign.requests).toHaveLength(0);
	});
});

describe('Haptik credential test (a node function, so it can name the field)', () => {
	it.each(['ftp://127.0.0.1:1/', 'file:///etc/passwd', '127.0.0.1:8080'])('names the Base URL for %j', async (baseUrl) => {
		const result = await testCredential(pkg, 'haptikApi', { token: HAPTIK_TOKEN, clientId: HAPTIK_CLIENT_ID, baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'Base URL is not a valid http(s) URL. Enter the URL Haptik gave you.' });
	});
});
