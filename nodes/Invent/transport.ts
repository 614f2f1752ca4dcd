import { createApiClient } from '../shared/apiClient';

/** The one client of the Invent API. */
export const inventApi = createApiClient<{ baseUrl: string }>({
	apiName: 'Invent',
	credentialType: 'inventApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { apiKey: 'API Key' } },
	errorMessage: ['message', 'error'],
	fixes: {
		400: 'Invent refused a parameter. Check the values named in the message.',
		401: 'Check the API key in the Invent credential: it is missing, wrong or revoked.',
		404: 'Check the Organization ID and the Contact ID: Invent did not find them for this API key.',
	},
	jsonApi: true,
});
