/**
 * Fault matrix: every node and operation, through the engine, against its double with a
 * fault switched on. For each case: no crash or unhandled rejection, each item ends as a
 * success or a clear error, the double saw exactly the attempts the retry policy allows
 * (one for an upload that may have arrived), nothing is stored twice, and with Continue
 * On Fail every input item has exactly one output item, paired.
 */
import { HAPTIK_USER } from '../doubles/haptik';
import type { Fault, RecordedRequest } from '../doubles/httpDouble';
import { HttpDouble, faults } from '../doubles/httpDouble';
import { credentialsFor, expectNoUnhandledRejections, useApiDoubles, vendorDoubles } from '../harness/apiDoubles';
import type { FixtureItem, RunOptions, RunResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import { bytesOfSize, fixture } from '../harness/fixtures';

const pdf = fixture('invoice.pdf');
/** Large enough that a reset after 64 KB is really in the middle of the upload. */
const bigPdf = Buffer.concat([pdf, bytesOfSize(768 * 1024)]);

const { invent, haptik, citypay, leadway } = vendorDoubles();
/** Where Invent's upload-by-URL fetches from; never faulty. */
const fileServer = new HttpDouble(() => ({
	status: 200,
	body: pdf,
	headers: { 'content-type': 'application/pdf' },
}));
const { pkg } = useApiDoubles([invent, haptik, citypay, leadway, fileServer]);
expectNoUnhandledRejections();

// ---------------------------------------------------------------------------
// Operations

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface OperationCase {
	label: string;
	nodeType: string;
	method: Method;
	/** Sends a file: an ambiguous failure must say the file may or may not have arrived. */
	upload: boolean;
	double: () => HttpDouble;
	credentials: () => RunOptions['credentials'];
	parameters: Record<string, unknown>;
	/** Two input items; may seed the double with what the operation reads. */
	input: () => FixtureItem[];
	/** The requests that are attempts of this operation (a download also fetches the file). */
	isAttempt: (request: RecordedRequest) => boolean;
	/** How many records the double stored, for operations that create one per success. */
	stored?: () => number;
	/** A 200 with no body is a success (a delete). */
	emptyAnswerOk?: boolean;
	/** Requests one item sends to the double when all goes well; 1 when omitted. */
	requestsPerItem?: number;
}

const fileItems = (): FixtureItem[] => [
	{ files: [{ fileName: 'report.pdf', content: bigPdf }] },
	{ files: [{ fileName: 'invoice.pdf', content: pdf }] },
];

const inventCredentials = () => credentialsFor(invent);

/** Seeds one Invent contact and returns its ID. */
function inventContact(): string {
	return invent.addContacts(1)[0].id;
}

/** Seeds one CityPay attachment per input item, named by `id` in the item's JSON. */
function cityPayItems(): FixtureItem[] {
	return citypay.addAttachments(2).map((attachment) => ({ json: { id: attachment.id } }));
}

const cityPay = (operation: string, method: Method, extra: Record<string, unknown> = {}): OperationCase => ({
	label: `CityPay attachment ${operation}`,
	nodeType: 'cityPay',
	method,
	upload: false,
	double: () => citypay,
	credentials: () => credentialsFor(citypay),
	parameters: { resource: 'attachment', operation, attachmentId: '={{ $json.id }}', ...extra },
	input: cityPayItems,
	isAttempt: (request) => request.path.startsWith('/attachments'),
});

const operations: OperationCase[] = [
	{
		label: 'Invent contact create',
		nodeType: 'invent',
		method: 'POST',
		upload: false,
		double: () => invent,
		credentials: inventCredentials,
		parameters: { resource: 'contact', operation: 'create', channel: { name: 'Ada' } },
		input: () => [{}, {}],
		isAttempt: (request) => request.method === 'POST',
		stored: () => invent.contacts.length,
	},
	{
		label: 'Invent contact getMany',
		nodeType: 'invent',
		method: 'GET',
		upload: false,
		double: () => invent,
		credentials: inventCredentials,
		parameters: { resource: 'contact', operation: 'getMany', returnAll: false, limit: 1 },
		input: () => {
			invent.addContacts(2);
			return [{}, {}];
		},
		isAttempt: (request) => request.method === 'GET',
	},
	{
		label: 'Invent contactFile upload (binary)',
		nodeType: 'invent',
		method: 'POST',
		upload: true,
		double: () => invent,
		credentials: inventCredentials,
		parameters: { resource: 'contactFile', operation: 'upload', contactId: '={{ $json.contactId }}' },
		input: () => {
			const contactId = inventContact();
			return fileItems().map((item) => ({ ...item, json: { contactId } }));
		},
		isAttempt: (request) => request.method === 'POST',
		stored: () => invent.files.length,
	},
	{
		label: 'Invent contactFile upload (URL)',
		nodeType: 'invent',
		method: 'POST',
		upload: true,
		double: () => invent,
		credentials: inventCredentials,
		parameters: {
			resource: 'contactFile',
			operation: 'upload',
			contactId: '={{ $json.contactId }}',
			inputType: 'url',
			fileUrl: '={{ $json.fileUrl }}',
		},
		input: () => {
			const contactId = inventContact();
			return [0, 1].map((index) => ({ json: { contactId, fileUrl: `${fileServer.url}/files/doc-${index}.pdf` } }));
		},
		isAttempt: (request) => request.method === 'POST',
		stored: () => invent.files.length,
	},
	{
		label: 'Haptik file send',
		nodeType: 'haptik',
		method: 'POST',
		upload: true,
		double: () => haptik,
		credentials: () => credentialsFor(haptik),
		parameters: { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' },
		input: fileItems,
		isAttempt: () => true,
		stored: () => haptik.uploads.length,
	},
	{
		...cityPay('upload', 'POST'),
		upload: true,
		parameters: { resource: 'attachment', operation: 'upload' },
		input: fileItems,
		stored: () => citypay.attachments.length,
	},
	cityPay('get', 'GET'),
	{ ...cityPay('getMany', 'GET', { returnAll: false, limit: 1 }), input: () => (cityPayItems(), [{}, {}]) },
	cityPay('rename', 'PUT', { fileName: 'renamed.pdf' }),
	{ ...cityPay('delete', 'DELETE'), emptyAnswerOk: true },
	{
		...cityPay('download', 'GET'),
		// Only the attachment lookup counts; the file itself comes from /files/.
		isAttempt: (request) => request.path.startsWith('/attachments/'),
		requestsPerItem: 2,
	},
	{
		label: 'Leadway conversation upload',
		nodeType: 'leadway',
		method: 'POST',
		upload: true,
		double: () => leadway,
		credentials: () => credentialsFor(leadway),
		parameters: { resource: 'conversation', operation: 'upload', conversationId: 'conv_1' },
		input: fileItems,
		isAttempt: (request) => request.path === '/conversations/messages/upload',
		stored: () => leadway.uploads.length,
	},
];

// ---------------------------------------------------------------------------
// Faults

const MAX_RETRIES = 2;

type Outcome =
	| { ends: 'success'; attempts: number }
	| { ends: 'error'; attempts: number; message: RegExp; description?: RegExp; httpCode?: string };

interface FaultCase {
	name: string;
	/** The fault, for the first request only (`once`) or for every request. */
	fault: () => Fault;
	once: boolean;
	maxRetries?: number;
	timeoutMs?: number;
	/** What happens to the item that meets the fault. */
	expect: (operation: OperationCase, maxRetries: number) => Outcome;
	/** What happens to the next item when the fault stays on, if not the same. */
	next?: (operation: OperationCase, maxRetries: number) => Outcome;
}

const idempotent = (operation: OperationCase) => operation.method !== 'POST';
const mayOrMayNot = /may or may not have/;

const faultCases: FaultCase[] = [
	{
		name: 'connection reset in the middle of an upload',
		fault: () => faults.resetMidUpload(64 * 1024),
		once: true,
		expect: (operation) =>
			idempotent(operation)
				? { ends: 'success', attempts: 2 }
				: {
						ends: 'error',
						attempts: 1,
						message: /connection to \w+ broke before it answered \((ECONNRESET|EPIPE)\)/,
						description: operation.upload
							? /The files? may or may not have (arrived|reached).*not repeated/
							: mayOrMayNot,
					},
	},
	{
		name: '429 with Retry-After: 1, then success',
		fault: () => faults.rateLimited('1'),
		once: true,
		expect: () => ({ ends: 'success', attempts: 2 }),
	},
	{
		name: '429 forever',
		fault: () => faults.rateLimited(),
		once: false,
		expect: (_operation, maxRetries) => ({
			ends: 'error',
			attempts: maxRetries + 1,
			message: /^Too many requests$/,
			description: /^\w+ kept answering HTTP 429\. Try again later\. Tried 3 times\.$/,
			httpCode: '429',
		}),
		// The API kept refusing until an item's retries ran out: the next 429 is final at once.
		next: () => ({
			ends: 'error',
			attempts: 1,
			message: /^Too many requests$/,
			description: /^\w+ kept answering HTTP 429 to this run's requests, so this item was not retried\. Try again later\.$/,
			httpCode: '429',
		}),
	},
	{
		name: '500',
		fault: () => faults.serverError(),
		once: false,
		expect: (operation, maxRetries) =>
			idempotent(operation)
				? { ends: 'error', attempts: maxRetries + 1, message: /Internal server error/, httpCode: '500' }
				: {
						ends: 'error',
						attempts: 1,
						message: /Internal server error/,
						description: /may or may not have.*not repeated/,
						httpCode: '500',
					},
	},
	{
		name: '503, then success',
		fault: () => faults.unavailable(),
		once: true,
		expect: () => ({ ends: 'success', attempts: 2 }),
	},
	{
		name: 'a server that never answers (timeout)',
		fault: () => faults.hang(),
		once: false,
		maxRetries: 1,
		timeoutMs: 200,
		expect: (operation, maxRetries) =>
			idempotent(operation)
				? {
						ends: 'error',
						attempts: maxRetries + 1,
						message: /did not answer within 200 ms \((ECONNABORTED|ETIMEDOUT)\)/,
						description: /raise Timeout/,
					}
				: {
						ends: 'error',
						attempts: 1,
						message: /did not answer within 200 ms \((ECONNABORTED|ETIMEDOUT)\)/,
						description: /may or may not have.*not repeated/,
					},
	},
	{
		name: '200 with malformed JSON',
		fault: () => faults.malformedJson(),
		once: true,
		expect: (operation) => ({
			ends: 'error',
			attempts: 1,
			message: /answered HTTP 200 with a body that is not valid JSON/,
			description: idempotent(operation) ? /Check that the Base URL/ : mayOrMayNot,
			httpCode: '200',
		}),
	},
	{
		name: '200 with an empty body',
		fault: () => faults.emptyBody(),
		once: true,
		expect: (operation) =>
			operation.emptyAnswerOk
				? { ends: 'success', attempts: 1 }
				: {
						ends: 'error',
						attempts: 1,
						message: /answered HTTP 200 with an empty body/,
						description: idempotent(operation) ? /Check that the Base URL/ : mayOrMayNot,
						httpCode: '200',
					},
	},
	{
		name: 'an HTML error page with status 502',
		fault: () => faults.htmlBadGateway(),
		once: false,
		expect: (operation, maxRetries) => ({
			ends: 'error',
			attempts: idempotent(operation) ? maxRetries + 1 : 1,
			message: /^\w+ answered HTTP 502$/,
			description: idempotent(operation) ? /HTML page/ : /HTML page.*may or may not have.*not repeated/,
			httpCode: '502',
		}),
	},
];

function runCase(operation: OperationCase, faultCase: FaultCase, input: FixtureItem[], continueOnFail: boolean) {
	const maxRetries = faultCase.maxRetries ?? MAX_RETRIES;
	return runNode({
		pkg,
		node: {
			type: operation.nodeType,
			parameters: {
				...operation.parameters,
				// A tiny back-off keeps the suite fast; Retry-After still sets its own wait.
				// One item at a time: the faults meet the requests in order (concurrency.test.ts covers Concurrency).
				requestOptions: { maxRetries, retryDelay: 1, timeout: faultCase.timeoutMs ?? 20_000, concurrency: 1 },
			},
			continueOnFail,
		},
		input,
		credentials: operation.credentials(),
	});
}

function switchOn(double: HttpDouble, faultCase: FaultCase) {
	if (faultCase.once) double.failNext(faultCase.fault());
	else double.failAlways(faultCase.fault());
}

function expectErrorItem(json: Record<string, unknown>, outcome: Extract<Outcome, { ends: 'error' }>) {
	expect(json.error).toEqual(expect.stringMatching(outcome.message));
	if (outcome.description) expect(json.details).toEqual(expect.stringMatching(outcome.description));
	// A clear error: no markup, no stack, no request options.
	expect(String(json.error)).not.toMatch(/<html|<!DOCTYPE|at .*\.js:|Bearer/i);
}

const matrix = operations.flatMap((operation) =>
	faultCases.map((faultCase) => [operation.label, faultCase.name, operation, faultCase] as const),
);

describe.each(matrix)('%s × %s', (_label, _fault, operation, faultCase) => {
	it('Continue On Fail: one output item per input item, paired, with the exact attempts', async () => {
		const double = operation.double();
		const input = operation.input();
		switchOn(double, faultCase);
		const maxRetries = faultCase.maxRetries ?? MAX_RETRIES;
		const outcome = faultCase.expect(operation, maxRetries);

		const result: RunResult = await runCase(operation, faultCase, input, true);

		expect(result.error).toBeUndefined();
		// Every input item has exactly one output item (operations here return one record per item).
		expect(result.items).toHaveLength(2);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// The first item meets the fault; the second meets it too unless it was a one-off.
		const outcomes = [
			outcome,
			faultCase.once ? ({ ends: 'success', attempts: 1 } as const) : (faultCase.next?.(operation, maxRetries) ?? outcome),
		];
		for (const [index, expected] of outcomes.entries()) {
			const { json } = result.items[index];
			if (expected.ends === 'success') {
				expect(json.error).toBeUndefined();
				expect(Object.keys(json).length).toBeGreaterThan(0);
			} else {
				expectErrorItem(json, expected);
			}
		}

		const attempts = double.requests.filter(operation.isAttempt);
		expect(attempts).toHaveLength(outcomes[0].attempts + outcomes[1].attempts);
		expect(attempts[0].fault).toBe(faultCase.fault().kind);

		if (operation.stored) {
			// Nothing stored twice: one record per item that succeeded, none for an unclear failure.
			const successes = outcomes.filter((expected) => expected.ends === 'success').length;
			const uncertain = outcomes.filter((expected) => expected.ends === 'error').length;
			expect(operation.stored()).toBe(successes);
			expect(operation.stored()).toBeLessThanOrEqual(2 - uncertain);
		}

		if (faultCase.name.startsWith('429 with Retry-After')) {
			// The retry waited the second the API asked for.
			expect(attempts[1].receivedAt - attempts[0].receivedAt).toBeGreaterThanOrEqual(950);
		}
	});
});

// ---------------------------------------------------------------------------
// Without Continue On Fail the run stops on the item, with the same clear error.

const stopping = operations
	.filter((operation) => ['Invent contact getMany', 'Invent contactFile upload (binary)', 'Haptik file send', 'CityPay attachment get', 'CityPay attachment upload', 'Leadway conversation upload'].includes(operation.label))
	.flatMap((operation) =>
		faultCases
			.filter((faultCase) => faultCase.expect(operation, faultCase.maxRetries ?? MAX_RETRIES).ends === 'error')
			.map((faultCase) => [operation.label, faultCase.name, operation, faultCase] as const),
	);

describe.each(stopping)('without Continue On Fail: %s × %s', (_label, _fault, operation, faultCase) => {
	it('stops with a NodeApiError on item 0 and sends nothing for item 1', async () => {
		const double = operation.double();
		const input = operation.input();
		switchOn(double, faultCase);
		const outcome = faultCase.expect(operation, faultCase.maxRetries ?? MAX_RETRIES);
		if (outcome.ends !== 'error') throw new Error('filtered above');

		const result = await runCase(operation, faultCase, input, false);

		expect(result.items).toHaveLength(0);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(outcome.message);
		if (outcome.description) expect(result.error?.description).toMatch(outcome.description);
		if (outcome.httpCode) expect(result.error?.httpCode).toBe(outcome.httpCode);
		expect(result.error?.context?.itemIndex).toBe(0);
		expect(double.requests.filter(operation.isAttempt)).toHaveLength(outcome.attempts);
	});
});

// ---------------------------------------------------------------------------
// On Error: Continue (using error output): in every operation, the item the API refuses
// leaves on the error output, paired and carrying its input's JSON; the others stay on the
// main output. (errorModes.test.ts covers refusals made before sending, in all three modes.)

describe.each(operations.map((operation) => [operation.label, operation] as const))(
	'Continue (using error output): %s',
	(_label, operation) => {
		it('routes the refused middle item of three to the error output', async () => {
			const double = operation.double();
			const input = [...operation.input(), operation.input()[0]];
			// Item 0's requests go through; item 1's first request is refused.
			double.failNext(...new Array<null>(operation.requestsPerItem ?? 1).fill(null), faults.serverError());

			const result = await runNode({
				pkg,
				node: {
					type: operation.nodeType,
					parameters: { ...operation.parameters, requestOptions: { maxRetries: 0, concurrency: 1 } },
					onError: 'continueErrorOutput',
				},
				input,
				credentials: operation.credentials(),
			});

			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			for (const item of result.items) expect(item.json.error).toBeUndefined();
			expect(result.errorItems).toHaveLength(1);
			expect(result.errorItems[0].pairedItem).toEqual({ item: 1 });
			expect(result.errorItems[0].json).toEqual({
				...input[1].json,
				error: expect.stringMatching(/Internal server error/),
				details: expect.stringMatching(/internal error/),
			});
			expect(double.requests.filter(operation.isAttempt)).toHaveLength(3);
		});
	},
);

// ---------------------------------------------------------------------------
// Defaults and details the matrix does not show.

describe('retry details', () => {
	const get = operations.find((operation) => operation.label === 'CityPay attachment get')!;
	const upload = operations.find((operation) => operation.label === 'CityPay attachment upload')!;

	it('retries 3 times by default (4 attempts in all)', async () => {
		const [item] = get.input();
		citypay.failAlways(faults.rateLimited('0'));
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: get.parameters },
			input: [item],
			credentials: get.credentials(),
		});
		expect(result.error?.httpCode).toBe('429');
		expect(result.error?.description).toMatch(/Tried 4 times\.$/);
		expect(citypay.requests).toHaveLength(4);
	});

	it('Max Retries 0 sends once', async () => {
		const [item] = get.input();
		citypay.failAlways(faults.unavailable());
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { ...get.parameters, requestOptions: { maxRetries: 0 } } },
			input: [item],
			credentials: get.credentials(),
		});
		expect(result.error?.httpCode).toBe('503');
		expect(result.error?.description).not.toMatch(/Tried/);
		expect(citypay.requests).toHaveLength(1);
	});

	it('honours Retry-After given as an HTTP date', async () => {
		const [item] = get.input();
		citypay.failNext(faults.rateLimited(new Date(Date.now() + 1000).toUTCString()));
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { ...get.parameters, requestOptions: { retryDelay: 1 } } },
			input: [item],
			credentials: get.credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(item.json?.id);
		expect(citypay.requests).toHaveLength(2);
	});

	it('sends a fresh multipart body on each attempt: the stored file is intact after retries', async () => {
		citypay.failNext(faults.unavailable(), faults.rateLimited('0'));
		const result = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { ...upload.parameters, requestOptions: { retryDelay: 1 } } },
			input: [fileItems()[0]],
			credentials: upload.credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(citypay.requests).toHaveLength(3);
		// Every attempt carried the whole body, not a drained stream.
		const lengths = citypay.requests.map((request) => request.body.length);
		expect(new Set(lengths).size).toBe(1);
		expect(lengths[0]).toBeGreaterThan(bigPdf.length);
		expect(citypay.attachments).toHaveLength(1);
		expect(citypay.attachments[0].bytes.equals(bigPdf)).toBe(true);
	});

	it('a reset after the upload started is reported once and never repeated, whatever Max Retries says', async () => {
		leadway.failNext(faults.resetMidUpload(64 * 1024));
		const result = await runNode({
			pkg,
			node: {
				type: 'leadway',
				parameters: {
					resource: 'conversation',
					operation: 'upload',
					conversationId: 'conv_1',
					requestOptions: { maxRetries: 10, retryDelay: 1 },
				},
			},
			input: [fileItems()[0]],
			credentials: credentialsFor(leadway),
		});
		expect(leadway.requests).toHaveLength(1);
		expect(leadway.requests[0].body.length).toBeLessThan(bigPdf.length);
		expect(result.error?.message).toMatch(/^The connection to Leadway broke before it answered/);
		expect(result.error?.description).toBe(
			'The files may or may not have arrived in Leadway: the connection failed after the request was sent, so it was not repeated. Check the conversation in Leadway before running this item again, so the files are not sent twice.',
		);
		expect(leadway.uploads).toHaveLength(0);
	});
});
