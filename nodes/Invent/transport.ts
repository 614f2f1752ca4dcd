import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InventApi } from '../../credentials/InventApi.credentials';
import { createApiClient, credentialProbe, messageFromBody } from '../shared/transport';
import { fileDownloader, fileServerTarget } from '../shared/binary';
import type { FilePlace } from '../shared/node';
import { readPages } from '../shared/node';
import { MAX_PAGE_SIZE, fileNameAndSize, readListPage } from './rules';

/** The one client of the Invent API. */
export const inventApi = createApiClient<{ baseUrl: string }>({
	apiName: 'Invent',
	credentialType: 'inventApi',
	credentialRules: { urlFields: { baseUrl: 'Base URL' }, headerFields: { apiKey: 'API Key' }, secretFields: ['apiKey'] },
	errorMessage: ['message', 'error'],
	fixes: {
		400: 'Invent refused a parameter. Check the values named in the message.',
		401: 'Check the API key in the Invent credential: it is missing, wrong or revoked.',
		404: 'Check the Organization ID and the Contact ID: Invent did not find them for this API key.',
	},
	jsonApi: true,
});

/** The credential dialog's test: lists one contact of the key's own organization, a cheap read. */
export const testInventCredential = credentialProbe({
	credentialRules: inventApi.credentialRules,
	authenticate: new InventApi().authenticate,
	request: () => ({ path: '/orgs/c/contacts', qs: { take: 1 } }),
	fixes: {
		401: 'Invent refused the API key: it is missing, wrong or revoked. Paste a current key from your Invent organization settings.',
		403: "Invent knows the API key but does not let it list contacts. Check the key's permissions in Invent.",
		404: 'No Invent API answered at this Base URL. Check it; the default is https://api.useinvent.com.',
	},
	errorMessage: (body) => messageFromBody(body, ['message', 'error']),
});

/** A contact's files: the list's path, and the contact as the user gave it (for messages). */
export interface ContactFiles {
	path: string;
	contactId: string;
}

/**
 * Reads a contact's files (`GET …/contacts/{id}/files`, `page`/`take`), up to `limit` of
 * those `matches` keeps (every file when left out). Without `matches` each page asks only for
 * what the Limit still misses (in pages of one size); with it, pages of 100 are read until
 * the Limit is matched or the list ends. Matching is done here, over what Invent returns.
 */
export async function readContactFiles(
	context: IExecuteFunctions,
	itemIndex: number,
	{ path }: ContactFiles,
	limit: number,
	matches?: (file: IDataObject) => boolean,
): Promise<IDataObject[]> {
	const session = await inventApi.session(context, itemIndex);
	// Page numbers count pages of one size: `take` stays the same on every page.
	const take = matches ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit);
	return await readPages<number>(context.getNode(), itemIndex, limit, {
		apiName: 'Invent',
		noun: 'files',
		maxPageSize: MAX_PAGE_SIZE,
		pageName: (page) => `page ${page}`,
		readPage: async ({ cursor: page = 1 }) => {
			const response = await session.request({ method: 'GET', path, qs: { page, take }, answer: 'list' });
			const { records, hasMore } = readListPage(context.getNode(), response, page, take, itemIndex);
			return { items: matches ? records.filter(matches) : records, next: hasMore ? page + 1 : undefined };
		},
	});
}

/** A contact's files as If File Exists looks at them: every page, read once per run. */
export function contactFilesPlace(context: IExecuteFunctions, itemIndex: number, files: ContactFiles): FilePlace {
	return {
		apiName: 'Invent',
		key: files.path,
		shownAs: `on contact "${files.contactId}"`,
		recordNoun: 'file',
		readAll: async () => await readContactFiles(context, itemIndex, files, Infinity),
		nameAndSize: fileNameAndSize,
	};
}

/** Where file bytes live: Invent's own host or a file host it names in `file_url`. */
const INVENT_FILES = fileServerTarget(
	'Invent',
	'inventApi',
	"The file URL may have expired or the file was removed. Run the node again to get a fresh file URL from Invent's file list.",
	inventApi.credentialRules.secretFields,
);

/**
 * Downloads a file's `file_url` into a binary field, streamed. The API key goes only to the
 * credential's own origin: a file on another host, or a redirect to one, is fetched without it.
 */
export const downloadContactFile = fileDownloader(inventApi, INVENT_FILES);
