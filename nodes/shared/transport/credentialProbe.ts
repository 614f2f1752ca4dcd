import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { CredentialFieldRules } from './credentialChecks';
import { credentialFieldProblem } from './credentialChecks';
import { networkErrorCode, redactSecrets, secretValues } from './errors';
import { joinUrl, pathIdProblem, safeOrigin } from './urls';

/** How long the credential dialog waits for an answer. */
const PROBE_TIMEOUT_MS = 20_000;

/** A read that proves a credential works, and what to tell the user for each refusal. */
export interface CredentialProbe {
	credentialRules: CredentialFieldRules;
	/** Optional fields (name → label) the read puts in its path: when set, each must be one path segment. */
	pathIdFields?: Record<string, string>;
	/** The read: a path under the Base URL, its query, and the headers exactly as the credential's `authenticate` sets them. */
	request(data: ICredentialDataDecryptedObject): { path: string; qs?: IDataObject; headers: Record<string, string> };
	/** What to check, by HTTP status; 401 and 403 at least. */
	fixes: { 401: string; 403: string } & Record<number, string>;
	/** Where the API puts its message in a refusal. */
	errorMessage(body: unknown): string | undefined;
}

/** What to check when the API's host did not answer at all, by the system's error code. */
export function unreachableMessage(apiName: string, origin: string, code: string | undefined): string {
	const unreachable = `Could not reach ${apiName} at ${origin} (${code ?? 'no answer'}). Check the Base URL`;
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return `${unreachable}: its host name was not found, so it may have a typo, or n8n's DNS cannot resolve it.`;
	}
	return `${unreachable} and that n8n can reach it.`;
}

function parsedBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * A node's credential test (`testedBy`) for an API with a cheap read: unlike a declarative
 * test, it can say what to check for an unreachable host and for each refusal. Redirects are
 * not followed, so the credential never goes to another host.
 */
export function credentialProbe(probe: CredentialProbe): ICredentialTestFunction {
	const { apiName } = probe.credentialRules;
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		const found = credentialFieldProblem(data, probe.credentialRules);
		if (found) return { status: 'Error', message: `${found.field} ${found.problem}. Check the ${found.field}: ${found.fix}` };
		// The same check as the nodes' IDs (getPathId): another path would test another route.
		for (const [name, label] of Object.entries(probe.pathIdFields ?? {})) {
			const id = String(data[name] ?? '').trim();
			const problem = id === '' ? undefined : pathIdProblem(id);
			if (problem) {
				return {
					status: 'Error',
					message: `${label} ${problem}. Check the ${label}: enter the real ${label}, or leave it empty; "." and ".." would change the request path.`,
				};
			}
		}

		const { path, qs, headers } = probe.request(data);
		const url = joinUrl(String(data.baseUrl).trim(), path);
		const origin = safeOrigin(url);
		let response: { statusCode?: unknown; body?: unknown };
		try {
			// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- ICredentialTestFunctions offers no httpRequest, only request
			response = await this.helpers.request({
				method: 'GET',
				uri: url,
				qs,
				headers: { Accept: 'application/json', ...headers },
				followRedirect: false,
				simple: false,
				resolveWithFullResponse: true,
				timeout: PROBE_TIMEOUT_MS,
			});
		} catch (error) {
			// Only the error code: the error itself holds the request options, token included.
			return { status: 'Error', message: unreachableMessage(apiName, origin, networkErrorCode(error)) };
		}

		const statusCode = typeof response.statusCode === 'number' ? response.statusCode : 0;
		// An API may echo the token in its refusal: the message shown has it redacted.
		const body = redactSecrets(parsedBody(response.body), secretValues(data, probe.credentialRules.secretFields));
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
	};
}
