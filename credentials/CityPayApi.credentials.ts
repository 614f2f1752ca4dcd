import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CityPayApi implements ICredentialType {
	name = 'cityPayApi';

	displayName = 'CityPay API';

	icon: Icon = { light: 'file:../icons/citypay.svg', dark: 'file:../icons/citypay.dark.svg' };

	documentationUrl = 'https://protocol.chat/attachments';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your CityPay API token, which the node sends to CityPay as a Bearer token',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.protocol.chat/v1',
			hint: "CityPay's API and its docs are served by protocol.chat, so this default is CityPay's own server",
			description: 'Change only to reach a proxy or a test server. The token is only ever sent to this host.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.token}}',
			},
		},
	};

	// Lists one attachment: cheap, read-only, and refused (401) for a bad token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			// A redirect fails the test instead of carrying the token to wherever it points.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			url: '/attachments',
			qs: { limit: 1 },
		},
	};
}
