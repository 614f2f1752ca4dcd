import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { createApiClient } from '../shared/apiClient';
import { credentialProbe } from '../shared/credentialProbe';
import type { DownloadNaming } from '../shared/download';
import { downloadToBinary, fileServerTarget } from '../shared/download';
import { messageFromBody } from '../shared/errors';

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
	request: (data) => ({ path: '/attachments', qs: { limit: 1 }, headers: { Authorization: `Bearer ${String(data.token)}` } }),
	fixes: {
		401: 'CityPay refused the Token: it is missing, wrong or revoked. Paste a current API token from CityPay.',
		403: 'CityPay knows the Token but does not let it list attachments. Check the token\'s permissions in CityPay.',
		404: 'No CityPay API answered at this Base URL. Check it; the default is https://api.protocol.chat/v1.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

/** Where attachment bytes live: CityPay's own host or a file host it names in `file_url`. */
const CITYPAY_FILES = {
	...fileServerTarget(
		'CityPay',
		'cityPayApi',
		'The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from CityPay.',
	),
	secretFields: cityPayApi.credentialRules.secretFields,
};

/**
 * Downloads an attachment's `file_url` into a binary field, streamed. The Bearer token goes
 * only to the credential's own origin: a file on another host, or a redirect to one, is
 * fetched without it.
 */
export async function downloadAttachmentFile(
	context: IExecuteFunctions,
	itemIndex: number,
	fileUrl: string,
	naming: DownloadNaming,
): Promise<IBinaryData> {
	const { credentials, policy } = await cityPayApi.session(context, itemIndex);
	return await downloadToBinary(context, itemIndex, { files: CITYPAY_FILES, baseUrl: credentials.baseUrl, policy }, fileUrl, naming);
}
