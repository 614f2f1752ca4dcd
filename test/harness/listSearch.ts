/**
 * Runs a node's list search (the "From List" of a resource locator) the way n8n's editor
 * backend does: the node's `methods.listSearch` function called on n8n-core's
 * LoadOptionsContext, for a node with the parameters the panel currently shows.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, INodeListSearchResult } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { buildAdditionalData, TestCredentialsHelper, TestNodeTypes } from './engine';
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
	const fullType = `${pkg.packageName}.${type}`;
	const nodeTypes = new TestNodeTypes(new Map(pkg.nodeTypes));
	const nodeType = nodeTypes.getByNameAndVersion(fullType);
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`${type} has no list search ${method}`);

	const node: INode = {
		id: 'under-test',
		name: 'Node Under Test',
		type: fullType,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		credentials: Object.fromEntries(
			(nodeType.description.credentials ?? []).map(({ name }) => [name, { id: `${name}-id`, name: `${name} account` }]),
		),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData(new TestCredentialsHelper(pkg.credentialTypes, credentials));
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${parameter}`);
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
