/**
 * Runs a node's list search (the "From List" of a resource locator) the way n8n's editor
 * backend does: the node's `methods.listSearch` function called on n8n-core's
 * LoadOptionsContext (see `loadOptionsContext`), for a node with the parameters the panel shows.
 */
import type { ICredentialDataDecryptedObject, INodeListSearchResult } from 'n8n-workflow';

import { loadOptionsContext } from './engine';
import { recordForLeakScan, secretsOf } from './leakScan';
import type { LoadedPackage } from './packageLoader';

export interface ListSearchOptions {
	pkg: LoadedPackage;
	/** Node name as in package.json's n8n block, e.g. `cityPay`. */
	type: string;
	parameters: Record<string, unknown>;
	/** The locator parameter whose list is searched. */
	parameter: string;
	method: string;
	filter?: string;
	paginationToken?: string;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

export async function searchList(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const { pkg, type, parameters, parameter, method, filter, paginationToken, credentials } = options;
	const search = pkg.nodeTypes.get(`${pkg.packageName}.${type}`)?.methods?.listSearch?.[method];
	if (!search) throw new Error(`${type} has no list search ${method}`);
	const context = loadOptionsContext({ pkg, node: { type, parameters }, credentials, parameter });
	// What the editor shows the user, result or error, is recorded for the secrets check.
	const secrets = Object.entries(credentials).flatMap(([name, data]) => secretsOf(pkg.credentialTypes.get(name), data));
	try {
		const result = await search.call(context, filter, paginationToken);
		recordForLeakScan('listSearch', secrets, [result]);
		return result;
	} catch (error) {
		const shown = error as Error & { description?: string };
		recordForLeakScan('listSearch', secrets, [shown.message, shown.description]);
		throw error;
	}
}
