import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { assertCredentialFields } from '../shared/credentialChecks';
import { defaultFixForStatus, messageFromBody } from '../shared/errors';
import type { JsonFileBody } from '../shared/jsonFileBody';
import type { ApiResponse, ApiTarget, UncertainOutcome } from '../shared/request';
import { sendApiRequest } from '../shared/request';
import { getRequestPolicy } from '../shared/requestOptions';
import { getPathId, joinUrl } from '../shared/parameters';

const INVENT: ApiTarget = {
	apiName: 'Invent',
	credentialType: 'inventApi',
	describeRefusal(statusCode, body) {
		const message = messageFromBody(body, ['message', 'error']) ?? `Invent answered HTTP ${statusCode}`;
		const fixes: Record<number, string> = {
			400: 'Invent refused a parameter. Check the values named in the message.',
			401: 'Check the API key in the Invent credential: it is missing, wrong or revoked.',
			404: 'Check the Organization ID and the Contact ID: Invent did not find them for this API key.',
		};
		return { message, description: fixes[statusCode] ?? defaultFixForStatus(statusCode, 'Invent') };
	},
};

/** The path prefix of every org-scoped route; `c` is the key's own organization. */
export function organizationPath(context: IExecuteFunctions, itemIndex: number): string {
	return `/orgs/${getPathId(context, 'organizationId', 'Organization ID', itemIndex)}`;
}

/** The one place Invent requests are made. */
export async function inventRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	method: IHttpRequestMethods,
	path: string,
	{
		body,
		fileBody,
		qs,
		ifUnsure,
	}: {
		body?: IDataObject;
		/** A JSON body carrying a file, streamed instead of `body`. */
		fileBody?: JsonFileBody;
		qs?: IDataObject;
		ifUnsure?: UncertainOutcome;
	} = {},
): Promise<ApiResponse> {
	const credentials = await context.getCredentials<{ baseUrl: string }>('inventApi', itemIndex);
	assertCredentialFields(context, itemIndex, credentials, {
		apiName: 'Invent',
		urlFields: { baseUrl: 'Base URL' },
		headerFields: { apiKey: 'API Key' },
	});
	// A plain JSON body can be sent again as it is; a streamed one is opened afresh for each attempt.
	return await sendApiRequest(
		context,
		INVENT,
		{
			method,
			url: joinUrl(credentials.baseUrl, path),
			...(fileBody
				? {
						headers: { 'Content-Type': 'application/json', 'Content-Length': String(fileBody.contentLength) },
						buildBody: async () => await fileBody.open(),
					}
				: { body }),
			qs,
			json: true,
			ifUnsure,
			policy: getRequestPolicy(context, itemIndex),
		},
		itemIndex,
	);
}
