import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import {
	CONTROL_CHARACTER_PROBLEM,
	createApiClient,
	credentialFieldProblem,
	isHttpUrl,
	joinUrl,
	messageFromBody,
	networkErrorCode,
	redactSecrets,
	safeOrigin,
	secretValues,
	unreachableMessage,
} from '../shared/transport';

// Haptik: the file upload route (API docs, "File Upload"); the trailing slash is part of it.
export const UPLOAD_PATH = '/v1.0/log_file_from_user/';

const MESSAGE_FIELDS = ['error_message', 'message', 'detail'];

/**
 * A route's URL. Haptik's dashboard hands out the full upload URL, so a Base URL that
 * already ends with the route is used as it is.
 */
function routeUrl(baseUrl: string, path: string): string {
	const trimmed = baseUrl.trim().replace(/\/+$/, '');
	const route = path.replace(/\/+$/, '');
	return trimmed.endsWith(route) ? `${trimmed}/` : joinUrl(trimmed, path);
}

/** The one client of the Haptik API. */
export const haptikApi = createApiClient<{ baseUrl: string; token: string; clientId: string }>({
	apiName: 'Haptik',
	credentialType: 'haptikApi',
	// Token and Client ID go into headers; Haptik answers a missing one only with a bare 401.
	credentialRules: {
		urlFields: { baseUrl: 'Base URL' },
		headerFields: { token: 'Token', clientId: 'Client ID' },
		requiredFields: ['token', 'clientId'],
		secretFields: ['token', 'clientId'],
	},
	errorMessage: MESSAGE_FIELDS,
	fixes: {
		400: 'Haptik refused a field. Check User Auth ID, Business ID, Message Type and the file against the message.',
		401: 'Check the Token and Client ID in the Haptik credential: one of them is missing, wrong or revoked.',
		403: "Haptik does not know the user with this User Auth ID. Register the user first with Haptik's user API (https://docs.haptik.ai/bot-as-an-api/how-to-createupdate-a-haptik-user-using-api), then send the file.",
		413: 'Haptik accepts files of at most 10 MB. Compress or split the file before this node.',
	},
	url: routeUrl,
});

function statusOf(response: { statusCode?: unknown }): number {
	return typeof response.statusCode === 'number' ? response.statusCode : 0;
}

function isJsonObject(body: unknown): body is Record<string, unknown> {
	if (typeof body === 'string') {
		try {
			return isJsonObject(JSON.parse(body) as unknown);
		} catch {
			return false;
		}
	}
	return body !== null && typeof body === 'object' && !Array.isArray(body);
}

function parsedMessage(body: unknown): string | undefined {
	if (typeof body === 'string') {
		try {
			return messageFromBody(JSON.parse(body) as unknown, MESSAGE_FIELDS);
		} catch {
			return undefined;
		}
	}
	return messageFromBody(body, MESSAGE_FIELDS);
}

// A probe user id no Haptik account registers, so the probe can never log a message.
const PROBE_USER = 'n8n-credential-test';

/**
 * Haptik has no read-only route, so the test posts an upload without a file for a user
 * that does not exist. Haptik checks the headers first: 401 means the Token or Client ID
 * is wrong, while a refusal for another reason (403 user not registered, or 400) means
 * they were accepted. Only `helpers.request` is available in a credential test, so the
 * headers are set here exactly as the credential's `authenticate` block sets them.
 */
export async function testHaptikCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const found = credentialFieldProblem(data, haptikApi.credentialRules);
	if (found?.field === 'Base URL' && !isHttpUrl(String(data.baseUrl ?? '').trim())) {
		return { status: 'Error', message: 'Base URL is not a valid http(s) URL. Enter the URL Haptik gave you.' };
	}
	if (found) {
		const fix = found.problem === CONTROL_CHARACTER_PROBLEM ? 'Enter it on one line.' : `${found.fix.charAt(0).toUpperCase()}${found.fix.slice(1)}`;
		return { status: 'Error', message: `${found.field} in the Haptik credential ${found.problem}. ${fix}` };
	}

	const url = routeUrl(data.baseUrl as string, UPLOAD_PATH);
	const origin = safeOrigin(url);

	let response: { statusCode?: unknown; body?: unknown };
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- ICredentialTestFunctions offers no httpRequest, only request
		response = await this.helpers.request({
			method: 'POST',
			uri: url,
			headers: { Authorization: `Bearer ${data.token as string}`, 'client-id': data.clientId as string },
			formData: { auth_id: PROBE_USER, business_id: '0', message_type: '52' },
			simple: false,
			resolveWithFullResponse: true,
			timeout: 20000,
		});
	} catch (error) {
		// Only the error code: the error itself holds the request options, token included.
		return { status: 'Error', message: unreachableMessage('Haptik', origin, networkErrorCode(error)) };
	}

	const statusCode = statusOf(response);
	// Haptik may echo the token or client ID in its refusal: the message shown has them redacted.
	const haptikMessage = redactSecrets(parsedMessage(response.body), secretValues(data, haptikApi.credentialRules.secretFields));
	if (statusCode === 401) {
		return {
			status: 'Error',
			message: `Haptik refused the Token or Client ID (HTTP 401${haptikMessage ? `: ${haptikMessage}` : ''}). Check both values.`,
		};
	}
	if (statusCode === 404) {
		return {
			status: 'Error',
			message: `No Haptik upload endpoint at ${origin}${UPLOAD_PATH} (HTTP 404). Check the Base URL Haptik gave you.`,
		};
	}
	if ((statusCode === 400 || statusCode === 403) && isJsonObject(response.body)) {
		return { status: 'OK', message: 'Haptik accepted the Token and Client ID' };
	}
	if (statusCode >= 200 && statusCode < 300) {
		return { status: 'OK', message: 'Haptik accepted the Token and Client ID' };
	}
	return {
		status: 'Error',
		message: `The server at ${origin} answered HTTP ${statusCode} without a Haptik answer. Check the Base URL Haptik gave you.`,
	};
}
