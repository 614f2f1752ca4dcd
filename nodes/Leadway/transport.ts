import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertCredentialFields } from '../shared/credentialChecks';
import { defaultFixForStatus, messageFromBody } from '../shared/errors';
import type { MultipartBody } from '../shared/multipart';
import { joinUrl } from '../shared/parameters';
import type { ApiResponse, ApiTarget } from '../shared/request';
import { sendApiRequest } from '../shared/request';
import { getRequestPolicy } from '../shared/requestOptions';

export interface LeadwayCredentials {
	accessToken: string;
	apiVersion: string;
	baseUrl: string;
	locationId?: string;
}

/** Leadway: allowed upload types (API docs, upload files). */
export const LEADWAY_EXTENSIONS = [
	'jpg',
	'jpeg',
	'png',
	'mp4',
	'mpeg',
	'zip',
	'rar',
	'pdf',
	'doc',
	'docx',
	'txt',
	'mp3',
	'wav',
] as const;

/** Leadway: at most 5 MB per file (API docs). */
export const LEADWAY_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Leadway: at most 5 files per upload request (API docs). */
export const LEADWAY_MAX_FILES_PER_REQUEST = 5;

/** Leadway answers validation errors either as one message or as a list of them. */
function leadwayMessage(body: unknown): string | undefined {
	if (body !== null && typeof body === 'object' && Array.isArray((body as { message?: unknown }).message)) {
		const parts = ((body as { message: unknown[] }).message).filter((part) => typeof part === 'string');
		if (parts.length > 0) return parts.join('; ');
	}
	return messageFromBody(body, ['message', 'error']);
}

const LEADWAY: ApiTarget = {
	apiName: 'Leadway',
	credentialType: 'leadwayApi',
	describeRefusal(statusCode, body) {
		const message = leadwayMessage(body) ?? `Leadway answered HTTP ${statusCode}`;
		const fixes: Record<number, string> = {
			400: 'Leadway refused the request. Check the Conversation ID, Contact ID and Location ID, and send at most 5 files per request (1 with Group SMS).',
			401: 'Check the token and the API Version in the Leadway credential: the token is missing, wrong or expired.',
			403: 'The token may not act on this location or conversation. Check the Location ID and the token scopes.',
			404: 'Check the Conversation ID, Contact ID and Location ID: Leadway did not find them.',
			413: 'Leadway accepts files of at most 5 MB each. Compress or split the file before this node.',
			415: `Leadway accepts only these file types: ${LEADWAY_EXTENSIONS.join(', ')}. Convert the file first.`,
			422: 'Leadway could not process a parameter. Check the values named in the message.',
		};
		return { message, description: fixes[statusCode] ?? defaultFixForStatus(statusCode, 'Leadway') };
	},
};

function refuseCredentialField(context: IExecuteFunctions, itemIndex: number, field: string, problem: string): never {
	throw new NodeOperationError(context.getNode(), `${field} in the Leadway credential ${problem} (item ${itemIndex})`, {
		itemIndex,
		description: `Edit the Leadway credential and fix ${field}.`,
	});
}

/**
 * The Leadway credential, checked. Token and API Version become HTTP headers: a line break
 * in them would split the header (header injection), so they are refused here, by name
 * and never by value, before any request is made.
 */
export async function getLeadwayCredentials(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<LeadwayCredentials> {
	const credentials = await context.getCredentials<LeadwayCredentials>('leadwayApi', itemIndex);
	const apiVersion = String(credentials.apiVersion ?? '');
	if (/[\r\n]/.test(apiVersion)) {
		refuseCredentialField(context, itemIndex, 'API Version', 'contains a line break; it must be one line such as 2021-07-28');
	}
	if (apiVersion.trim() === '') {
		refuseCredentialField(context, itemIndex, 'API Version', 'is empty; Leadway needs it (for example 2021-07-28)');
	}
	if (/[\r\n]/.test(String(credentials.accessToken ?? ''))) {
		refuseCredentialField(context, itemIndex, 'Token', 'contains a line break; paste the token again as one line');
	}
	assertCredentialFields(context, itemIndex, { ...credentials }, {
		apiName: 'Leadway',
		urlFields: { baseUrl: 'Base URL' },
		headerFields: { accessToken: 'Token', apiVersion: 'API Version' },
	});
	return credentials;
}

/**
 * The one place Leadway requests are made: a multipart POST to a Leadway path. The form is
 * built again for each attempt, as its files stream into the request and can be read once.
 */
export async function leadwayMultipartRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
	buildBody: () => Promise<MultipartBody>,
): Promise<ApiResponse> {
	const credentials = await getLeadwayCredentials(context, itemIndex);
	return await sendApiRequest(
		context,
		LEADWAY,
		{
			method: 'POST',
			url: joinUrl(credentials.baseUrl, path),
			buildBody,
			json: false,
			policy: getRequestPolicy(context, itemIndex),
			ifUnsure: {
				outcome: 'The files may or may not have arrived in Leadway',
				check: 'Check the conversation in Leadway before running this item again, so the files are not sent twice.',
			},
		},
		itemIndex,
	);
}
