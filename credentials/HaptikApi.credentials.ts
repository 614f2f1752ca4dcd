import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the Haptik node's `haptikApiTest` (see `testedBy`): Haptik has no read-only
 * route, and a declarative test cannot tell its 401 (bad token) from the 403/400 a
 * probe gets once the token is accepted.
 */
export class HaptikApi implements ICredentialType {
	name = 'haptikApi';

	displayName = 'Haptik API';

	icon: Icon = { light: 'file:../icons/haptik.svg', dark: 'file:../icons/haptik.dark.svg' };

	documentationUrl = 'https://docs.haptik.ai/bot-as-an-api/how-to-send-file-to-haptik-using-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			// Haptik gives each account its own URL; staging is only the documented example.
			default: 'https://staging-messenger.haptikapi.com',
			placeholder: 'https://staging-messenger.haptikapi.com',
			hint: "Pre-filled with Haptik's staging server. For production, use the URL Haptik gave your account.",
			description:
				'The Haptik API URL for your account, as Haptik gave it to you (the full file upload URL from the dashboard works too)',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The token Haptik gave you, sent in the Authorization header as a Bearer token',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: 'The client ID of your Haptik account, sent in the client-id header',
		},
	];

	// A function rather than a `={{ $credentials… }}` template, which n8n would run through its
	// expression engine for every request. The node's credential test applies it too, so the
	// headers are written only here.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.token)}`,
				'client-id': String(credentials.clientId),
			},
		};
	}
}
