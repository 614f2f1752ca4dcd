/**
 * Runs workflows the way n8n does: n8n-core's WorkflowExecute with the real node classes,
 * credentials applied through each credential type's own `authenticate` function, and binary
 * data stored by n8n's BinaryDataService (filesystem or default mode).
 */
import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
	IExecuteData,
	ICredentials,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { recordForLeakScan, secretsOf } from './leakScan';
import type { LoadedPackage } from './packageLoader';
import { testTmpDir } from './testTmp';

export type BinaryMode = 'filesystem' | 'default';

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silentLogger;
	},
};

/** Points n8n's binary data service at a fresh folder, in the given mode. */
export async function useBinaryDataMode(mode: BinaryMode): Promise<{ storagePath: string; cleanup(): void }> {
	const storagePath = mkdtempSync(path.join(testTmpDir(), 'binary-'));
	const config = Object.assign(Object.create(BinaryDataConfig.prototype) as BinaryDataConfig, {
		mode,
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'test-signing-secret',
		dbMaxFileSize: 512,
	});
	const errorReporter = { error() {}, warn() {}, info() {} } as unknown as ErrorReporter;
	const service = new BinaryDataService(config, errorReporter, silentLogger as never);
	await service.init();
	Container.set(BinaryDataConfig, config);
	Container.set(ErrorReporter, errorReporter);
	Container.set(BinaryDataService, service);
	return { storagePath, cleanup: () => rmSync(storagePath, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------
// Input: a node that emits items with files, the way Read/Write Files from Disk does
// (through helpers.prepareBinaryData, so the bytes land in binary storage).

export interface FixtureFile {
	/** Binary property name; `data` when omitted. */
	property?: string;
	fileName: string;
	/** Omit to let n8n detect it, as Read File does. */
	mimeType?: string;
	content: Buffer;
}

export interface FixtureItem {
	json?: IDataObject;
	files?: FixtureFile[];
}

const fixtures = new Map<string, FixtureItem[]>();
let fixtureCounter = 0;

class FileSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'File Source',
		name: 'fileSource',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'File Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Fixture', name: 'fixture', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('fixture', 0) as string;
		const items = fixtures.get(key) ?? [];
		const output: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const binary: INodeExecutionData['binary'] = {};
			for (const file of item.files ?? []) {
				binary[file.property ?? 'data'] = await this.helpers.prepareBinaryData(
					file.content,
					file.fileName,
					file.mimeType,
				);
			}
			output.push({
				json: item.json ?? {},
				...(item.files?.length ? { binary } : {}),
				pairedItem: { item: index },
			});
		}
		return [output];
	}
}

// ---------------------------------------------------------------------------

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Map<string, INodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return NodeHelpers.getVersionedNodeType(type, version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Applies credential type defaults the way n8n does before a node sees the data. */
export function withCredentialDefaults(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const filled: ICredentialDataDecryptedObject = {};
	for (const property of credentialType.properties) {
		if (property.default !== undefined) filled[property.name] = property.default as never;
	}
	return { ...filled, ...data };
}

/** Credentials kept in memory; `authenticate` calls the credential type's function, as n8n's credentials helper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Calls of getDecrypted: each is a database read and a decryption in real n8n. */
	reads = 0;

	constructor(
		private readonly credentialTypes: Map<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	private credentialType(typeName: string): ICredentialType {
		const type = this.credentialTypes.get(typeName);
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		return type;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		_workflow?: Workflow,
		_node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialType(typeName);
		// Every credential of the package authenticates with a function (see credentials/), which
		// n8n calls as it is; any other kind fails here rather than go out unauthenticated.
		if (typeof authenticate !== 'function') throw new Error(`Credential type ${typeName} has no authenticate function`);
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode?: WorkflowExecuteMode,
		_executeData?: IExecuteData,
		_raw?: boolean,
		_expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.reads++;
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return withCredentialDefaults(this.credentialType(type), data);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.credentialType(type).properties;
	}
}

let executionCounter = 0;

/** The pieces of additional data WorkflowExecute and the node contexts read in a run. */
export function buildAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
	executionId = `test-${++executionCounter}`,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId: 'test-workflow',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		logAiEvent() {},
		async executeWorkflow() {
			throw new Error('sub-workflows are not used in tests');
		},
		async getRunExecutionData() {
			return undefined;
		},
		async getRuntimeCredential() {
			return undefined;
		},
		async startRunnerTask() {
			throw new Error('task runners are not used in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeUnderTest {
	/** Node name as in package.json's n8n block, e.g. `invent`. */
	type: string;
	parameters: Record<string, unknown>;
	/** Continue On Fail: shorthand for `onError: 'continueRegularOutput'`. */
	continueOnFail?: boolean;
	/** The node's On Error setting; n8n's default is `stopWorkflow`. */
	onError?: OnErrorSetting;
}

export type OnErrorSetting = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	pkg: LoadedPackage;
	node: NodeUnderTest;
	input: FixtureItem[];
	/** Credential data by credential type name; defaults are applied as n8n does. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Called once the run has started, with what cancels it (as Stop in the editor does). */
	onStart?: (cancel: () => void) => void;
}

export interface RunResult {
	/** What the node under test output (first output). */
	items: INodeExecutionData[];
	/** What it sent to its error output (only with `onError: 'continueErrorOutput'`). */
	errorItems: INodeExecutionData[];
	/** The node's error when the run stopped on it. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
	/** How often n8n read (decrypted) a credential during the run. */
	credentialReads: number;
}

const NODE_NAME = 'Node Under Test';

/** The node types a test workflow knows, and the node under test as the workflow holds it (with its credentials). */
function nodeUnderTest(pkg: LoadedPackage, node: NodeUnderTest): { nodeTypes: TestNodeTypes; node: INode } {
	const types = new Map(pkg.nodeTypes);
	types.set('test.fileSource', new FileSource());
	const nodeTypes = new TestNodeTypes(types);
	const fullType = `${pkg.packageName}.${node.type}`;
	const credentials: INode['credentials'] = {};
	for (const { name } of nodeTypes.getByNameAndVersion(fullType).description.credentials ?? []) {
		credentials[name] = { id: `${name}-id`, name: `${name} account` };
	}
	return {
		nodeTypes,
		node: {
			id: 'under-test',
			name: NODE_NAME,
			type: fullType,
			typeVersion: 1,
			position: [200, 0],
			parameters: node.parameters as INode['parameters'],
			credentials,
			onError: node.onError ?? (node.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow'),
		},
	};
}

/** Runs `File Source → node under test` through WorkflowExecute and returns the node's output. */
export async function runNode({ pkg, node, input, credentials, onStart }: RunOptions): Promise<RunResult> {
	const fixtureKey = `fixture-${++fixtureCounter}`;
	fixtures.set(fixtureKey, input);

	const { nodeTypes, node: nodeInWorkflow } = nodeUnderTest(pkg, node);
	const nodes: INode[] = [
		{
			id: 'source',
			name: 'File Source',
			type: 'test.fileSource',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fixture: fixtureKey },
		},
		nodeInWorkflow,
	];
	const connections = {
		'File Source': { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const workflow = new Workflow({ id: 'test-workflow', nodes, connections, active: false, nodeTypes });
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;

	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, credentials);
	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const additionalData = buildAdditionalData(credentialsHelper, hooks, executionId);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	try {
		const running = workflowExecute.processRunExecutionData(workflow);
		onStart?.(() => running.cancel());
		const run = await running;
		const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
		const sourceError = run.data.resultData.runData['File Source']?.[0]?.error;
		if (sourceError) throw sourceError;
		const result: RunResult = {
			items: taskData?.data?.main?.[0] ?? [],
			errorItems: taskData?.data?.main?.[1] ?? [],
			error: (taskData?.error ?? run.data.resultData.error) as RunResult['error'],
			run,
			credentialReads: credentialsHelper.reads,
		};
		// Everything the user sees of this run: output items, the error (message, description,
		// serialized), and the run data n8n stores and shows in the execution view.
		recordForLeakScan(
			'runNode',
			Object.entries(credentials).flatMap(([type, data]) => secretsOf(pkg.credentialTypes.get(type), data)),
			[result.items, result.errorItems, result.error?.message, result.error?.description, result.error, run.data.resultData],
		);
		return result;
	} finally {
		fixtures.delete(fixtureKey);
	}
}

/** Reads a binary property of an output item back through the binary data service. */
export async function readOutputBinary(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`Output item has no binary property ${property}`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/**
 * The editor's context for a node's list search or load options (n8n-core's LoadOptionsContext),
 * with the node's parameters as the editor has them and credentials applied as in a run.
 */
export function loadOptionsContext({
	pkg,
	node,
	credentials,
	parameter = 'conversationId',
}: Omit<RunOptions, 'input'> & { parameter?: string }): LoadOptionsContext {
	const { nodeTypes, node: editorNode } = nodeUnderTest(pkg, node);
	const workflow = new Workflow({ id: 'test-workflow', nodes: [editorNode], connections: {}, active: false, nodeTypes });
	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, credentials);
	const additionalData = buildAdditionalData(credentialsHelper);
	// The editor sends the node's current parameters along with a list search.
	additionalData.currentNodeParameters = editorNode.parameters;
	return new LoadOptionsContext(workflow, editorNode, additionalData, `parameters.${parameter}`);
}
