import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				Version: '={{$credentials.apiVersion}}',
			},
		},
	};

	// Reads the default location when one is set (proves the token can reach it), else one
	// conversation of the token's own location: both cheap, read-only, and refused (401) for a bad token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			// A redirect fails the test instead of carrying the token to wherever it points.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			url: '={{ ($credentials.locationId || "").trim() ? "/locations/" + encodeURIComponent($credentials.locationId.trim()) : "/conversations/search?limit=1" }}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Leadway refused the request. Check the API Version (for example 2021-07-28): one line, exactly as Leadway documents it.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Leadway refused the token: it is wrong, expired or revoked. Paste a current token.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The token works but may not read this location. Check the Location ID and the token scopes.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Leadway did not find the Location ID. Check it, or leave it empty.',
				},
			},
		],
	};
}
