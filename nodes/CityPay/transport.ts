import { CityPayApi } from '../../credentials/CityPayApi.credentials';
import { apiFileDownload } from '../shared/binary';
import { createApiClient, credentialProbe, messageFromBody } from '../shared/transport';

/** The one client of the CityPay API. */
export const cityPayApi = createApiClient<{ baseUrl: string }>({
	apiName: 'CityPay',
	credentialType: 'cityPayApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { token: 'Token' }, secretFields: ['token'] },
	// CityPay: errors carry `{ type, message, documentation_url? }` (API docs).
	errorMessage: ['message', 'error'],
	fixes: {
		400: 'CityPay refused a parameter. Check the values named in the message.',
		401: 'Check the Token in the CityPay credential: it is missing, wrong or revoked.',
		404: 'Check the Attachment ID: CityPay did not find it for this token. It may have been deleted.',
	},
});

/** The credential dialog's test: lists one attachment, a cheap read. */
export const testCityPayCredential = credentialProbe({
	credentialRules: cityPayApi.credentialRules,
	authenticate: new CityPayApi().authenticate,
	request: () => ({ path: '/attachments', qs: { limit: 1 } }),
	fixes: {
		401: 'CityPay refused the Token: it is missing, wrong or revoked. Paste a current API token from CityPay.',
		403: 'CityPay knows the Token but does not let it list attachments. Check the token\'s permissions in CityPay.',
		404: 'No CityPay API answered at this Base URL. Check it; the default is https://api.protocol.chat/v1.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

/**
 * Downloads an attachment's `file_url` into a binary field, streamed. Its bytes live on
 * CityPay's own host or a file host CityPay names; the Bearer token goes only to CityPay's.
 */
export const downloadAttachmentFile = apiFileDownload(
	cityPayApi,
	'cityPayApi',
	'The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from CityPay.',
);
