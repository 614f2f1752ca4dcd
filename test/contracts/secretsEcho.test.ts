/**
 * An API that echoes the credential back in its refusal (`Invalid token "cp_…"`): the node
 * shows the API's words with every secret field of the credential redacted, in every error
 * mode (message, description, the stored error with its errorResponse, error items) and in
 * the credential dialog's test. runNode and testCredential also record these runs for the
 * suite-wide secrets check (test/harness/leakCheck.ts).
 */
import { CITYPAY_TOKEN } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN, HAPTIK_USER } from '../doubles/haptik';
import type { DoubleResponse, HttpDouble } from '../doubles/httpDouble';
import { HttpDouble as PlainDouble, json } from '../doubles/httpDouble';
import { INVENT_API_KEY } from '../doubles/invent';
import { LEADWAY_TOKEN, LEADWAY_VERSION } from '../doubles/leadway';
import { credentialsFor, useApiDoubles, useDoubles, vendorDoubles } from '../harness/apiDoubles';
import { testCredential } from '../harness/credentialTest';
import type { OnErrorSetting, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';
import { visibleText } from '../harness/leakScan';

const REDACTED = '[redacted]';
const pdf = fixture('invoice.pdf');

const { citypay, haptik, invent, leadway } = vendorDoubles();
const { pkg } = useApiDoubles([citypay, haptik, invent, leadway]);

/** Everything of a run a user could see or n8n stores, as text. */
function everythingShown(result: RunResult): string {
	return visibleText([
		result.items,
		result.errorItems,
		result.error?.message,
		result.error?.description,
		result.error,
		(result.error as { errorResponse?: unknown } | undefined)?.errorResponse,
		(result.error as { messages?: unknown } | undefined)?.messages,
		result.run.data.resultData,
	]).join('\n');
}

interface EchoCase {
	apiName: string;
	double: () => HttpDouble;
	secrets: string[];
	/** The refusal, echoing the secrets, in this API's own shape. */
	echo: () => DoubleResponse;
	/** The API's message as the user should see it, with the secrets redacted. */
	shownMessage: string;
	run: (onError: OnErrorSetting) => Promise<RunResult>;
}

const cases: EchoCase[] = [
	{
		apiName: 'CityPay',
		double: () => citypay,
		secrets: [CITYPAY_TOKEN],
		echo: () => json(401, { type: 'authentication_error', message: `Invalid token "${CITYPAY_TOKEN}"` }),
		shownMessage: `Invalid token "${REDACTED}"`,
		run: async (onError) =>
			await runNode({
				pkg,
				node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'get', attachmentId: 'att_1' }, onError },
				input: [{}],
				credentials: credentialsFor(citypay),
			}),
	},
	{
		apiName: 'Haptik',
		double: () => haptik,
		secrets: [HAPTIK_TOKEN, HAPTIK_CLIENT_ID],
		// The token and client ID in the message, in a nested object and in a list.
		echo: () =>
			json(401, {
				error_message: `invalid authorization details: token ${HAPTIK_TOKEN} is not valid for client ${HAPTIK_CLIENT_ID}`,
				request: { headers: { authorization: `Bearer ${HAPTIK_TOKEN}`, 'client-id': HAPTIK_CLIENT_ID } },
				errors: [`client-id ${HAPTIK_CLIENT_ID} unknown`, { token: HAPTIK_TOKEN }],
			}),
		shownMessage: `invalid authorization details: token ${REDACTED} is not valid for client ${REDACTED}`,
		run: async (onError) =>
			await runNode({
				pkg,
				node: {
					type: 'haptik',
					parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' },
					onError,
				},
				input: [{ files: [{ fileName: 'invoice.pdf', content: pdf }] }],
				credentials: credentialsFor(haptik),
			}),
	},
	{
		apiName: 'Leadway',
		double: () => leadway,
		secrets: [LEADWAY_TOKEN],
		// Leadway words validation errors as a list of messages.
		echo: () => json(401, { statusCode: 401, message: [`The token ${LEADWAY_TOKEN} has expired`], error: 'Unauthorized' }),
		shownMessage: `The token ${REDACTED} has expired`,
		run: async (onError) =>
			await runNode({
				pkg,
				node: { type: 'leadway', parameters: { resource: 'conversation', operation: 'get', conversationId: 'conv_1' }, onError },
				input: [{}],
				credentials: credentialsFor(leadway),
			}),
	},
	{
		apiName: 'Invent',
		double: () => invent,
		secrets: [INVENT_API_KEY],
		// Also split over lines and as plain text inside another field.
		echo: () => json(401, { message: `API key '${INVENT_API_KEY}' is invalid`, details: `key=${INVENT_API_KEY}\nretry with another key` }),
		shownMessage: `API key '${REDACTED}' is invalid`,
		run: async (onError) =>
			await runNode({
				pkg,
				node: { type: 'invent', parameters: { resource: 'contact', operation: 'getMany', organizationId: 'c' }, onError },
				input: [{}],
				credentials: credentialsFor(invent),
			}),
	},
];

describe.each(cases)('$apiName echoes the credential in a refusal', ({ double, secrets, echo, shownMessage, run }) => {
	it('Stop Workflow: message, description and the stored error (errorResponse included) show no secret', async () => {
		double().failNext({ kind: 'answer', name: 'echo', response: echo() });
		const result = await run('stopWorkflow');

		expect(double().requests).toHaveLength(1);
		expect(result.error?.message).toBe(shownMessage);
		expect(result.error?.description).toBeTruthy();
		const shown = everythingShown(result);
		expect(shown).toContain(REDACTED);
		for (const secret of secrets) expect(shown).not.toContain(secret);
	});

	it('Continue (regular output): the error item shows the message without a secret', async () => {
		double().failNext({ kind: 'answer', name: 'echo', response: echo() });
		const result = await run('continueRegularOutput');

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toBe(shownMessage);
		expect(result.items[0].json.details).toBeTruthy();
		const shown = everythingShown(result);
		for (const secret of secrets) expect(shown).not.toContain(secret);
	});

	it('Continue (using error output): the error item shows the message without a secret', async () => {
		double().failNext({ kind: 'answer', name: 'echo', response: echo() });
		const result = await run('continueErrorOutput');

		expect(result.items).toHaveLength(0);
		expect(result.errorItems).toHaveLength(1);
		expect(result.errorItems[0].json.error).toBe(shownMessage);
		const shown = everythingShown(result);
		for (const secret of secrets) expect(shown).not.toContain(secret);
	});
});

describe('a file download whose server echoes the credential', () => {
	it("CityPay Download: the file server's refusal on CityPay's own origin (token sent) shows no token", async () => {
		const [attachment] = citypay.addAttachments(1);
		// The attachment is read as usual; its file answers 401 echoing the token.
		citypay.failNext(null, { kind: 'answer', name: 'echo', response: json(401, { message: `Token ${CITYPAY_TOKEN} may not read files` }) });
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'download', attachmentId: attachment.id } },
			input: [{}],
			credentials: credentialsFor(citypay),
		});

		expect(citypay.requests.map((request) => request.path)).toEqual([`/attachments/${attachment.id}`, expect.stringMatching(/^\/files\//)]);
		expect(result.error?.message).toBe(`Token ${REDACTED} may not read files`);
		expect(everythingShown(result)).not.toContain(CITYPAY_TOKEN);
	});
});

describe('credential tests against an API that echoes the credential', () => {
	let answer: DoubleResponse;
	const server = new PlainDouble(() => answer);
	useDoubles([server]);

	it('CityPay: the API message is shown with the token redacted', async () => {
		answer = json(401, { type: 'authentication_error', message: `Invalid token "${CITYPAY_TOKEN}"` });
		const result = await testCredential(pkg, 'cityPayApi', { token: CITYPAY_TOKEN, baseUrl: server.url });

		expect(result.status).toBe('Error');
		expect(result.message).toContain(`Invalid token "${REDACTED}"`);
		expect(result.message).not.toContain(CITYPAY_TOKEN);
	});

	it('Haptik: the API message is shown with the token and the client ID redacted', async () => {
		answer = json(401, { error_message: `token ${HAPTIK_TOKEN} does not belong to client ${HAPTIK_CLIENT_ID}` });
		const result = await testCredential(pkg, 'haptikApi', { token: HAPTIK_TOKEN, clientId: HAPTIK_CLIENT_ID, baseUrl: server.url });

		expect(result.status).toBe('Error');
		expect(result.message).toContain(`token ${REDACTED} does not belong to client ${REDACTED}`);
		for (const secret of [HAPTIK_TOKEN, HAPTIK_CLIENT_ID]) expect(result.message).not.toContain(secret);
	});

	it('Invent and Leadway: the API message is shown with the key or token redacted', async () => {
		answer = json(401, { message: `Key ${INVENT_API_KEY} revoked` });
		const invented = await testCredential(pkg, 'inventApi', { apiKey: INVENT_API_KEY, baseUrl: server.url });
		expect(invented.message).toContain(`Key ${REDACTED} revoked`);
		expect(invented.message).not.toContain(INVENT_API_KEY);

		answer = json(401, { statusCode: 401, message: [`token ${LEADWAY_TOKEN} expired`] });
		const leadwayResult = await testCredential(pkg, 'leadwayApi', {
			accessToken: LEADWAY_TOKEN,
			apiVersion: LEADWAY_VERSION,
			baseUrl: server.url,
			locationId: '',
		});
		expect(leadwayResult.message).toContain(`token ${REDACTED} expired`);
		expect(leadwayResult.message).not.toContain(LEADWAY_TOKEN);
	});
});
