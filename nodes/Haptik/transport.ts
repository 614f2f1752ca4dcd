import type { INodeCredentialTestResult } from 'n8n-workflow';

import { HaptikApi } from '../../credentials/HaptikApi.credentials';
import type { CredentialFieldProblem, ProbeAnswer } from '../shared/transport';
import {
	CONTROL_CHARACTER_PROBLEM,
	createApiClient,
	credentialProbe,
	isHttpUrl,
	isJsonObject,
	joinUrl,
	messageFromBody,
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

// A probe user id no Haptik account registers, so the probe can never log a message.
const PROBE_USER = 'n8n-credential-test';

/** A credential field the test cannot use, worded for Haptik's own URL. */
function haptikFieldProblem(found: CredentialFieldProblem, data: { baseUrl?: unknown }): string {
	if (found.field === 'Base URL' && !isHttpUrl(String(data.baseUrl ?? '').trim())) {
		return 'Base URL is not a valid http(s) URL. Enter the URL Haptik gave you.';
	}
	const fix = found.problem === CONTROL_CHARACTER_PROBLEM ? 'Enter it on one line.' : `${found.fix.charAt(0).toUpperCase()}${found.fix.slice(1)}`;
	return `${found.field} in the Haptik credential ${found.problem}. ${fix}`;
}

/**
 * Haptik checks the headers first: 401 means the Token or Client ID is wrong, while a
 * refusal for another reason (403 user not registered, or 400) means they were accepted.
 */
function readHaptikAnswer({ statusCode, body, origin }: ProbeAnswer): INodeCredentialTestResult {
	if (statusCode === 401) {
		const haptikMessage = messageFromBody(body, MESSAGE_FIELDS);
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
	if (((statusCode === 400 || statusCode === 403) && isJsonObject(body)) || (statusCode >= 200 && statusCode < 300)) {
		return { status: 'OK', message: 'Haptik accepted the Token and Client ID' };
	}
	return {
		status: 'Error',
		message: `The server at ${origin} answered HTTP ${statusCode} without a Haptik answer. Check the Base URL Haptik gave you.`,
	};
}

/**
 * The credential dialog's test. Haptik has no read-only route, so it posts an upload without
 * a file for a user that does not exist, sent as the node sends uploads (no Accept header).
 */
export const testHaptikCredential = credentialProbe({
	credentialRules: haptikApi.credentialRules,
	authenticate: new HaptikApi().authenticate,
	request: () => ({ method: 'POST', path: UPLOAD_PATH, formData: { auth_id: PROBE_USER, business_id: '0', message_type: '52' } }),
	url: routeUrl,
	acceptJson: false,
	fieldProblemMessage: haptikFieldProblem,
	readAnswer: readHaptikAnswer,
});
