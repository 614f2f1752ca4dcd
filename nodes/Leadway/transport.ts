import { LeadwayApi } from '../../credentials/LeadwayApi.credentials';
import { apiFileDownload } from '../shared/binary';
import { createApiClient, credentialProbe, messageFromBody } from '../shared/transport';
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
		secretFields: ['accessToken'],
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

/**
 * The credential dialog's test: reads the default location when one is set (proving the token
 * can reach it), else searches one conversation of the token's own location. Both cheap reads.
 */
export const testLeadwayCredential = credentialProbe({
	credentialRules: leadwayApi.credentialRules,
	authenticate: new LeadwayApi().authenticate,
	pathIdFields: { locationId: 'Location ID' },
	request: (data) => {
		const locationId = String(data.locationId ?? '').trim();
		return {
			path: locationId ? `/locations/${encodeURIComponent(locationId)}` : '/conversations/search',
			qs: locationId ? undefined : { limit: 1 },
		};
	},
	fixes: {
		400: 'Check the API Version (for example 2021-07-28): one line, exactly as Leadway documents it.',
		401: 'Leadway refused the token: it is wrong, expired or revoked. Paste a current private integration or OAuth token.',
		403: 'The token works but may not read this location. Check the Location ID and the token scopes (locations.readonly, conversations.readonly).',
		404: 'Leadway did not find the Location ID. Check it, or leave it empty.',
	},
	errorMessage: leadwayMessage,
});

/**
 * Downloads an attachment URL into a binary field, streamed. Its bytes live on Leadway's own
 * host (fetched with the token) or a file host its URLs name (fetched without).
 */
export const downloadLeadwayFile = apiFileDownload(
	leadwayApi,
	'leadwayApi',
	'The attachment URL may have expired or the file was removed. Check the message in Leadway.',
);
