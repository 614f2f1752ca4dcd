/**
 * Runs a credential type's test the way n8n's credentials tester does when the user
 * clicks "Test" in the credential dialog: a declarative `test` request goes through
 * n8n-core's RoutingNode; a node's `testedBy` function gets a CredentialTestContext.
 */
import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunction,
	INode,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { buildAdditionalData, TestCredentialsHelper, withCredentialDefaults } from './engine';
import { recordForLeakScan, secretsOf } from './leakScan';
import type { LoadedPackage } from './packageLoader';

function findTestFunction(pkg: LoadedPackage, credentialTypeName: string): ICredentialTestFunction | undefined {
	for (const nodeType of pkg.nodeTypes.values()) {
		for (const { name, testedBy } of nodeType.description.credentials ?? []) {
			if (name === credentialTypeName && typeof testedBy === 'string') {
				return nodeType.methods?.credentialTest?.[testedBy];
			}
		}
	}
	return undefined;
}

/** The credential dialog's "Test" button; what it shows the user is recorded for the secrets check. */
export async function testCredential(
	pkg: LoadedPackage,
	credentialTypeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const result = await runCredentialTest(pkg, credentialTypeName, data);
	recordForLeakScan('testCredential', secretsOf(pkg.credentialTypes.get(credentialTypeName), data), [result]);
	return result;
}

async function runCredentialTest(
	pkg: LoadedPackage,
	credentialTypeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const credentialType = pkg.credentialTypes.get(credentialTypeName);
	if (!credentialType) throw new Error(`Unknown credential type ${credentialTypeName}`);
	const credentials: ICredentialsDecrypted = {
		id: 'credential-under-test',
		name: 'Credential under test',
		type: credentialTypeName,
		data: withCredentialDefaults(credentialType, data),
	};

	if (!credentialType.test) {
		const testFunction = findTestFunction(pkg, credentialTypeName);
		if (!testFunction) return { status: 'Error', message: 'No testing function found for this credential.' };
		const helper = new TestCredentialsHelper(pkg.credentialTypes, { [credentialTypeName]: credentials.data! });
		return await testFunction.call(new CredentialTestContext(buildAdditionalData(helper)), credentials);
	}

	const testRequest = credentialType.test;
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialTypeName, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' },
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialTypeName]: { id: credentials.id, name: credentials.name } },
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(nodeType),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const helper = new TestCredentialsHelper(pkg.credentialTypes, { [credentialTypeName]: credentials.data! });
	const additionalData = buildAdditionalData(helper);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, nodeType, credentials).runNode();
	} catch (error) {
		const response = (error as { cause?: { response?: { status: number; statusText?: string } } }).cause
			?.response;
		if (response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
		const code = (error as { cause?: { code?: string } }).cause?.code;
		return { status: 'Error', message: code ?? (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
