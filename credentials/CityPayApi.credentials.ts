import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Tested by the CityPay node's `cityPayApiTest` (see `testedBy`): a declarative test can only
 * show a bare error code for an unreachable host; the node's probe says what to check.
 */
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

	// A function rather than a `={{ $credentials… }}` template, which n8n would run through its
	// expression engine for every request. The node's credential test applies it too, so the
	// headers are written only here.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.token)}`,
			},
		};
	}
}
