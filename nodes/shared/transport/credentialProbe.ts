import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { readJson } from './bodies';
import type { CredentialFieldProblem, CredentialFieldRules } from './credentialChecks';
import { credentialFieldProblem } from './credentialChecks';
import { networkErrorCode, redactSecrets, secretValues } from './errors';
import { joinUrl, pathIdProblem, safeOrigin } from './urls';

/** How long the credential dialog waits for an answer. */
const PROBE_TIMEOUT_MS = 20_000;

/** A credential type's own `authenticate`: what it adds to every request. */
export type Authenticate = (
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** The request a probe sends, before the credential's `authenticate` adds its headers. */
export interface ProbeRequest {
	/** GET unless given. */
	method?: Extract<IHttpRequestMethods, 'GET' | 'POST'>;
	/** A path under the Base URL. */
	path: string;
	qs?: IDataObject;
	/** Multipart form fields, for an API whose only cheap check is a post. */
	formData?: Record<string, string>;
}

/** What came back to a probe: its status, its body read as JSON (secrets redacted), and the origin asked. */
export interface ProbeAnswer {
	statusCode: number;
	/** The body's JSON; undefined for text that is not JSON. */
	body: unknown;
	origin: string;
}

interface ProbeDescription {
	credentialRules: CredentialFieldRules;
	/** The credential's own `authenticate`, so the probe carries exactly the headers every request does. */
	authenticate: Authenticate;
	/** Optional fields (name → label) the read puts in its path: when set, each must be one path segment. */
	pathIdFields?: Record<string, string>;
	/** A cheap request that needs the credential, its headers left to `authenticate`. */
	request(data: ICredentialDataDecryptedObject): ProbeRequest;
	/** The URL from the Base URL and the path, as the API's client builds it; both joined by default. */
	url?: (baseUrl: string, path: string) => string;
	/** Ask for JSON (an Accept header); true by default. */
	acceptJson?: boolean;
	/** The message for a credential field that cannot be used; by default it names the field, the problem and the fix. */
	fieldProblemMessage?(found: CredentialFieldProblem, data: ICredentialDataDecryptedObject): string;
}

/** How the answer is read: by status, with a fix for each refusal; or by the API's own reader. */
type AnswerReading =
	| {
			/** What to check, by HTTP status; 401 and 403 at least. */
			fixes: { 401: string; 403: string } & Record<number, string>;
			/** Where the API puts its message in a refusal. */
			errorMessage(body: unknown): string | undefined;
			readAnswer?: never;
	  }
	| {
			/** The result for any answer, for an API whose statuses mean something else to a probe. */
			readAnswer(answer: ProbeAnswer): INodeCredentialTestResult;
			fixes?: never;
			errorMessage?: never;
	  };

/** A request that proves a credential works, and what to tell the user for each answer. */
export type CredentialProbe = ProbeDescription & AnswerReading;

/** What to check when the API's host did not answer at all, by the system's error code. */
function unreachableMessage(apiName: string, origin: string, code: string | undefined): string {
	const unreachable = `Could not reach ${apiName} at ${origin} (${code ?? 'no answer'}). Check the Base URL`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `${unreachable}: its host name was not found, so it may have a typo, or n8n's DNS cannot resolve it.`;
	}
	return `${unreachable} and that n8n can reach it.`;
}

/** Why the credential cannot be tested as it is, or undefined: checked before anything is sent. */
function credentialProblem(probe: CredentialProbe, data: ICredentialDataDecryptedObject): string | undefined {
	const found = credentialFieldProblem(data, probe.credentialRules);
	if (found) {
		return probe.fieldProblemMessage?.(found, data) ?? `${found.field} ${found.problem}. Check the ${found.field}: ${found.fix}`;
	}
	// The same check as the nodes' IDs (getPathId): another path would test another route.
	for (const [name, label] of Object.entries(probe.pathIdFields ?? {})) {
		const id = String(data[name] ?? '').trim();
		const problem = id === '' ? undefined : pathIdProblem(id);
		if (problem) {
			return `${label} ${problem}. Check the ${label}: enter the real ${label}, or leave it empty; "." and ".." would change the request path.`;
		}
	}
	return undefined;
}

/** The probe's request as the legacy helper takes it, with the credential's `authenticate` applied. */
async function probeOptions(
	probe: CredentialProbe,
	data: ICredentialDataDecryptedObject,
	{ method = 'GET', qs, formData }: ProbeRequest,
	url: string,
): Promise<IDataObject> {
	const headers = probe.acceptJson === false ? undefined : { Accept: 'application/json' };
	const authenticated = await probe.authenticate(data, { method, url, qs, headers });
	return {
		method: authenticated.method,
		uri: authenticated.url,
		qs: authenticated.qs,
		headers: authenticated.headers,
		...(formData ? { formData } : {}),
		// Not followed, so the credential never goes to another host.
		followRedirect: false,
		simple: false,
		resolveWithFullResponse: true,
		timeout: PROBE_TIMEOUT_MS,
	};
}

/** The default reading: a 2xx JSON answer passes; a redirect, or a status without a fix, points at the Base URL. */
function readByStatus(probe: Extract<CredentialProbe, { fixes: object }>, answer: ProbeAnswer): INodeCredentialTestResult {
	const { apiName } = probe.credentialRules;
	const { statusCode, body, origin } = answer;
	if (statusCode >= 200 && statusCode < 300 && body !== null && typeof body === 'object') {
		return { status: 'OK', message: 'Connection successful!' };
	}
	if (statusCode >= 300 && statusCode < 400) {
		return {
			status: 'Error',
			message: `The server at ${origin} redirected the test elsewhere (HTTP ${statusCode}); the credential was not sent on. Enter the Base URL of the ${apiName} API itself.`,
		};
	}
	const fix = probe.fixes[statusCode];
	if (fix) {
		const apiMessage = probe.errorMessage(body);
		return { status: 'Error', message: `${apiName} answered HTTP ${statusCode}${apiMessage ? ` (${apiMessage})` : ''}. ${fix}` };
	}
	return {
		status: 'Error',
		message: `The server at ${origin} answered HTTP ${statusCode} without a ${apiName} answer. Check the Base URL.`,
	};
}

/**
 * A node's credential test (`testedBy`): unlike a declarative test, it can check the fields
 * before sending and say what to check for an unreachable host and for each refusal, in the
 * API's own words.
 */
export function credentialProbe(probe: CredentialProbe): ICredentialTestFunction {
	const { apiName, secretFields } = probe.credentialRules;
	const url = probe.url ?? joinUrl;
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		const problem = credentialProblem(probe, data);
		if (problem) return { status: 'Error', message: problem };

		const request = probe.request(data);
		const probeUrl = url(String(data.baseUrl).trim(), request.path);
		const origin = safeOrigin(probeUrl);
		const options = await probeOptions(probe, data, request, probeUrl);
		let response: { statusCode?: unknown; body?: unknown };
		try {
			// The one sender of the credential tests: a declarative test would lose the API's own
			// refusal message and the checks before sending.
			// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- ICredentialTestFunctions offers no httpRequest, only request
			response = await this.helpers.request(options);
		} catch (error) {
			// Only the error code: the error itself holds the request options, token included.
			return { status: 'Error', message: unreachableMessage(apiName, origin, networkErrorCode(error)) };
		}
		const json = readJson(response.body);
		const answer: ProbeAnswer = {
			statusCode: typeof response.statusCode === 'number' ? response.statusCode : 0,
			// An API may echo the token in its refusal: the message shown has it redacted.
			body: redactSecrets(json.ok ? json.value : undefined, secretValues(data, secretFields)),
			origin,
		};
		return probe.readAnswer ? probe.readAnswer(answer) : readByStatus(probe, answer);
	};
}
