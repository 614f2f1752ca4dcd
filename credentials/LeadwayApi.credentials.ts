import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the Leadway node's `leadwayApiTest` (see `testedBy`): a declarative test can only
 * show a bare error code for an unreachable host; the node's probe says what to check.
 */
export class LeadwayApi implements ICredentialType {
	name = 'leadwayApi';

	displayName = 'Leadway API';

	icon: Icon = { light: 'file:../icons/leadway.svg', dark: 'file:../icons/leadway.dark.svg' };

	documentationUrl = 'https://developers.leadwaycrm.com';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A private integration token or an OAuth access token from the Leadway portal',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			required: true,
			default: '2021-07-28',
			description: 'Sent as the Version header on every request. Change only when Leadway asks for another version.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://services.leadconnectorhq.com',
			hint: "Leadway's API is served by LeadConnector, so this default is Leadway's own server",
			description: 'Change only to reach a proxy or a test server',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			description:
				'The sub-account (location) to use when a node leaves Location ID empty. When set, the credential test reads this location.',
		},
	];

	// Leadway (LeadConnector): every request needs the Bearer token and the Version header (API docs).
	// A function rather than a `={{ $credentials… }}` template, which n8n would run through its
	// expression engine for every request. The node's credential test applies it too, so the
	// headers are written only here.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
				Version: String(credentials.apiVersion),
			},
		};
	}
}
