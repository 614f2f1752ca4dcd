import { createApiClient } from '../shared/apiClient';
import { fileServerTarget } from '../shared/download';
import { messageFromBody } from '../shared/errors';
import { LEADWAY_EXTENSIONS } from './rules';

export interface LeadwayCredentials {
	accessToken: string;
	apiVersion: string;
	baseUrl: string;
	locationId?: string;
}

/** Leadway answers validation errors either as one message or as a list of them. */
function leadwayMessage(body: unknown): string | undefined {
	if (body !== null && typeof body === 'object' && Array.isArray((body as { message?: unknown }).message)) {
		const parts = (body as { message: unknown[] }).message.filter((part) => typeof part === 'string');
		if (parts.length > 0) return parts.join('; ');
	}
	return messageFromBody(body, ['message', 'error']);
}

/** The one client of the Leadway API. */
export const leadwayApi = createApiClient<LeadwayCredentials>({
	apiName: 'Leadway',
	credentialType: 'leadwayApi',
	// Token and API Version become headers; Leadway refuses a request without a version.
	credentialRules: {
		urlFields: { baseUrl: 'Base URL' },
		headerFields: { accessToken: 'Token', apiVersion: 'API Version' },
		requiredFields: ['apiVersion'],
	},
	errorMessage: leadwayMessage,
	fixes: {
		400: 'Leadway refused the request. Check the Conversation ID, Contact ID and Location ID, and send at most 5 files per request (1 with Group SMS).',
		401: 'Check the token and the API Version in the Leadway credential: the token is missing, wrong or expired.',
		403: 'The token may not act on this location or conversation. Check the Location ID and the token scopes.',
		404: 'Check the Conversation ID, Contact ID and Location ID: Leadway did not find them.',
		413: 'Leadway accepts files of at most 5 MB each. Compress or split the file before this node.',
		415: `Leadway accepts only these file types: ${LEADWAY_EXTENSIONS.join(', ')}. Convert the file first.`,
		422: 'Leadway could not process a parameter. Check the values named in the message.',
	},
});

/** Where attachment bytes live: Leadway's own host (with the token) or a file host its URLs name (without). */
export const LEADWAY_FILES = fileServerTarget(
	'Leadway',
	'leadwayApi',
	'The attachment URL may have expired or the file was removed. Check the message in Leadway.',
);
