import { InventApi } from '../../credentials/InventApi.credentials';
import { apiFileDownload } from '../shared/binary';
import { createApiClient, credentialProbe, messageFromBody } from '../shared/transport';

/** The one client of the Invent API. */
export const inventApi = createApiClient<{ baseUrl: string }>({
	apiName: 'Invent',
	credentialType: 'inventApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { apiKey: 'API Key' }, secretFields: ['apiKey'] },
	errorMessage: ['message', 'error'],
	fixes: {
		400: 'Invent refused a parameter. Check the values named in the message.',
		401: 'Check the API key in the Invent credential: it is missing, wrong or revoked.',
		404: 'Check the Organization ID and the Contact ID: Invent did not find them for this API key.',
	},
	jsonApi: true,
});

/** The credential dialog's test: lists one contact of the key's own organization, a cheap read. */
export const testInventCredential = credentialProbe({
	credentialRules: inventApi.credentialRules,
	authenticate: new InventApi().authenticate,
	request: () => ({ path: '/orgs/c/contacts', qs: { take: 1 } }),
	fixes: {
		401: 'Invent refused the API key: it is missing, wrong or revoked. Paste a current key from your Invent organization settings.',
		403: "Invent knows the API key but does not let it list contacts. Check the key's permissions in Invent.",
		404: 'No Invent API answered at this Base URL. Check it; the default is https://api.useinvent.com.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

/**
 * Downloads a file's `file_url` into a binary field, streamed. Its bytes live on Invent's own
 * host or a file host Invent names; the API key goes only to Invent's.
 */
export const downloadContactFile = apiFileDownload(
	inventApi,
	'inventApi',
	"The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from Invent's file list.",
);
