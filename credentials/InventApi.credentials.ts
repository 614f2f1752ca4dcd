import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class InventApi implements ICredentialType {
	name = 'inventApi';

	displayName = 'Invent API';

	icon: Icon = { light: 'file:../icons/invent.svg', dark: 'file:../icons/invent.dark.svg' };

	documentationUrl = 'https://docs.useinvent.com';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'An API key from your Invent organization settings',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.useinvent.com',
			description: 'Change only to reach a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Lists one contact of the key's own organization: cheap, read-only, and refused (401) for a bad key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			// A redirect fails the test instead of carrying the token to wherever it points.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			url: '/orgs/c/contacts',
			qs: { take: 1 },
		},
	};
}
