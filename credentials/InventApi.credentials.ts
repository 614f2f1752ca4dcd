import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the Invent node's `inventApiTest` (see `testedBy`): a declarative test can only
 * show a bare error code for an unreachable host; the node's probe says what to check.
 */
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

	// A function rather than a `={{ $credentials… }}` template, which n8n would run through its
	// expression engine for every request. The node's credential test applies it too, so the
	// headers are written only here.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey)}`,
			},
		};
	}
}
