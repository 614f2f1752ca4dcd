import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ILoadOptionsFunctions } from 'n8n-workflow';

import type { CredentialFieldRules } from './credentialChecks';
import { assertCredentialFields } from './credentialChecks';
import type { ExpectedAnswer, RefusalWording, UncertainOutcome } from './errors';
import { describeRefusalWith } from './errors';
import { readOncePerRun } from './perRun';
import { joinUrl } from './urls';
import type { ApiRequest, ApiResponse, ApiTarget, RequestContext, StreamedBody } from './request';
import { sendApiRequest } from './request';
import type { RequestPolicy } from './requestOptions';
import { DEFAULT_REQUEST_POLICY, getRequestPolicy } from './requestOptions';

/** One vendor API, described as data: everything its client needs to know. */
export interface ApiDescription {
	/** The API's name as the user sees it, in messages. */
	apiName: string;
	credentialType: string;
	/** Checked before any request. Every credential of this package names its API address `baseUrl`. */
	credentialRules: Omit<CredentialFieldRules, 'apiName'>;
	/** Where the API puts its message in a refusal: JSON fields to try in order, or a reader. */
	errorMessage: RefusalWording['errorMessage'];
	/** The fix to suggest per HTTP status; any other status gets a generic one. */
	fixes: RefusalWording['fixes'];
	/** The API speaks JSON: every request asks for a JSON answer. */
	jsonApi?: boolean;
	/** The request URL from the credential's Base URL and a path; both joined by default. */
	url?: (baseUrl: string, path: string) => string;
}

/** One request as an operation states it; the client adds address, credential and Request Options. */
export interface ClientRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	/** A JSON body. */
	body?: IDataObject;
	/** Form fields, sent as application/x-www-form-urlencoded (as curl -d does). */
	form?: Record<string, string>;
	/** A body built afresh for each attempt, such as a multipart form or a JSON body with a file inside. */
	streamed?: StreamedBody;
	/** For a request with an effect: what the user is told when it may or may not have happened. */
	ifUnsure?: UncertainOutcome;
	/** The API may answer with no body at all (a delete). */
	emptyAnswerOk?: boolean;
	/** What a 2xx answer must be: a JSON object (the default), or a list of them (or an object holding one). */
	answer?: ExpectedAnswer;
}

/** One item's use of an API: its checked credential, its Request Options, and a way to send. */
export interface ApiSession<Credentials> {
	credentials: Credentials;
	policy: RequestPolicy;
	request(request: ClientRequest): Promise<ApiResponse>;
}

export interface ApiClient<Credentials> {
	/** The credential rules, with the API's name, for checks outside a workflow run (a credential test). */
	credentialRules: CredentialFieldRules;
	/** The credential type the client reads, as n8n names it. */
	credentialType: string;
	/** Reads and checks the credential once, for an item that sends several requests. */
	session(context: IExecuteFunctions, itemIndex: number): Promise<ApiSession<Credentials>>;
	/** Sends one request for an item. */
	request(context: IExecuteFunctions, itemIndex: number, request: ClientRequest): Promise<ApiResponse>;
	/** Sends one request for the editor (a list search), with the default Request Options. */
	listRequest(context: ILoadOptionsFunctions, request: ClientRequest): Promise<ApiResponse>;
}

/** The body part of an ApiRequest. Streamed bodies are built afresh for each attempt: they can be read once. */
function bodyOf(request: ClientRequest): Pick<ApiRequest, 'body' | 'buildBody' | 'headers'> {
	const { body, form, streamed } = request;
	if (streamed) return streamed;
	if (form) {
		return {
			body: new URLSearchParams(form).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		};
	}
	return { body };
}

/** The node's credential by type, read once per node run (see readOncePerRun). */
const credentialsOfRun = readOncePerRun<IDataObject>();

/**
 * The node's credential, read once per node run, as n8n's own nodes do: each read is a
 * database query, a decryption and an expression pass in n8n, a large share of a small
 * upload's cost.
 */
async function runCredentials<Credentials>(context: RequestContext, credentialType: string, itemIndex: number): Promise<Credentials> {
	return (await credentialsOfRun(context, credentialType, async () => await context.getCredentials(credentialType, itemIndex))) as Credentials;
}

/** The one client of a vendor API, built from its description. */
export function createApiClient<Credentials extends { baseUrl: string }>(description: ApiDescription): ApiClient<Credentials> {
	const { apiName, credentialType, jsonApi, url = joinUrl } = description;
	const credentialRules: CredentialFieldRules = { apiName, ...description.credentialRules };
	const describeRefusal = describeRefusalWith({ apiName, errorMessage: description.errorMessage, fixes: description.fixes });
	const target: ApiTarget = { apiName, credentialType, describeRefusal, secretFields: credentialRules.secretFields };

	async function open(
		context: RequestContext,
		itemIndex: number,
		policyOf: () => RequestPolicy,
	): Promise<ApiSession<Credentials>> {
		const credentials = await runCredentials<Credentials>(context, credentialType, itemIndex);
		assertCredentialFields(context, itemIndex, credentials, credentialRules);
		const policy = policyOf();
		const send = async (request: ClientRequest) =>
			await sendApiRequest(
				context,
				target,
				{
					method: request.method,
					url: url(credentials.baseUrl, request.path),
					qs: request.qs,
					...bodyOf(request),
					...(jsonApi ? { json: true } : {}),
					policy,
					ifUnsure: request.ifUnsure,
					emptyAnswerOk: request.emptyAnswerOk,
					answer: request.answer,
					credentials,
				},
				itemIndex,
			);
		return { credentials, policy, request: send };
	}

	const session = async (context: IExecuteFunctions, itemIndex: number) =>
		await open(context, itemIndex, () => getRequestPolicy(context, itemIndex));

	return {
		credentialRules,
		credentialType,
		session,
		request: async (context, itemIndex, request) => await (await session(context, itemIndex)).request(request),
		// A list search has no items; errors name item 0, the item the editor shows.
		listRequest: async (context, request) =>
			await (await open(context, 0, () => DEFAULT_REQUEST_POLICY)).request(request),
	};
}
