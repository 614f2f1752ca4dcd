// The workflows and credentials the benchmark imports into n8n: every workflow is
// Manual Trigger → Read/Write Files from Disk → the uploader under test.

const PACKAGE = 'n8n-nodes-crm-attachments';
export const READ_NODE = 'Read File';
export const FLOOR_NODE = 'Read Binary';
export const TOKEN = 'bench-token';

export const CREDENTIALS = {
	inventApi: { id: 'benchInventCred', name: 'Bench Invent' },
	cityPayApi: { id: 'benchCityPayCred', name: 'Bench CityPay' },
	haptikApi: { id: 'benchHaptikCred', name: 'Bench Haptik' },
	leadwayApi: { id: 'benchLeadwayCred', name: 'Bench Leadway' },
	// For the HTTP Request node sending the token from a credential, as our nodes do.
	httpHeaderAuth: { id: 'benchHeaderAuthCred', name: 'Bench Header Auth' },
};

/** Credentials pointing at the sink (`n8n import:credentials` encrypts `data`). */
export function credentialsFor(sinkUrl) {
	const data = {
		inventApi: { apiKey: TOKEN, baseUrl: sinkUrl },
		cityPayApi: { token: TOKEN, baseUrl: `${sinkUrl}/v1` },
		haptikApi: { baseUrl: sinkUrl, token: TOKEN, clientId: 'bench-client' },
		leadwayApi: { accessToken: TOKEN, apiVersion: '2021-07-28', baseUrl: sinkUrl, locationId: 'bench-location' },
		httpHeaderAuth: { name: 'Authorization', value: `Bearer ${TOKEN}` },
	};
	return Object.entries(CREDENTIALS).map(([type, { id, name }]) => ({ id, name, type, data: data[type] }));
}

function credentialRef(type) {
	return { [type]: { ...CREDENTIALS[type] } };
}

/** Our node `name` of type `type` with `parameters` and the credential of `credentialType`. */
function ourNode(name, type, credentialType, parameters, settings = {}) {
	return { ...settings, name, type: `${PACKAGE}.${type}`, typeVersion: 1, parameters, credentials: credentialRef(credentialType) };
}

const requestOptions = (concurrency) => (concurrency === undefined ? {} : { concurrency });

function inventUpload(concurrency) {
	return ourNode('Invent', 'invent', 'inventApi', {
		resource: 'contactFile',
		operation: 'upload',
		organizationId: 'c',
		contactId: 'bench-contact',
		inputType: 'binary',
		binaryPropertyName: 'data',
		options: {},
		requestOptions: requestOptions(concurrency),
	});
}

function cityPayUpload(concurrency, settings = {}) {
	const parameters = { resource: 'attachment', operation: 'upload', binaryPropertyName: 'data', options: {}, requestOptions: requestOptions(concurrency) };
	return ourNode('CityPay', 'cityPay', 'cityPayApi', parameters, settings);
}

/**
 * n8n's own HTTP Request node doing CityPay's upload: multipart, the file in field `file`.
 * `settings`: node settings such as { onError } or { retryOnFail, maxTries, waitBetweenTries }.
 * `withCredential`: the token from a Header Auth credential (read for every item, as our
 * nodes read theirs) instead of a header typed into the node.
 */
function httpRequestUpload(sinkUrl, settings = {}, { withCredential = false } = {}) {
	const auth = withCredential
		? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }
		: { sendHeaders: true, headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }] } };
	return {
		...settings,
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sinkUrl}/v1/attachments`,
			...auth,
			sendBody: true,
			contentType: 'multipart-form-data',
			bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' }] },
			options: {},
		},
		...(withCredential ? { credentials: credentialRef('httpHeaderAuth') } : {}),
	};
}

function haptikSend() {
	return ourNode('Haptik', 'haptik', 'haptikApi', {
		resource: 'file',
		operation: 'send',
		authId: 'bench-user',
		businessId: '1234',
		binaryPropertyName: 'data',
		messageType: 'auto',
		options: {},
	});
}

function leadwayUpload() {
	return ourNode('Leadway', 'leadway', 'leadwayApi', {
		resource: 'conversation',
		operation: 'upload',
		conversationId: 'bench-conversation',
		filesFrom: 'named',
		binaryPropertyName: 'data',
		options: {},
	});
}

/**
 * The nodes under test, by name: the uploads (one file per item in binary field `data`) and the
 * downloads (CityPay's Download, and the HTTP Request node fetching the same file).
 */
export function uploaders(sinkUrl) {
	return {
		invent: inventUpload,
		cityPay: cityPayUpload,
		httpRequest: (settings, options) => httpRequestUpload(sinkUrl, settings, options),
		cityPayDownload: (attachmentId) =>
			ourNode('CityPay', 'cityPay', 'cityPayApi', { resource: 'attachment', operation: 'download', attachmentId, binaryPropertyName: 'data' }),
		httpDownload: (fileUrl) => ({
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: { method: 'GET', url: fileUrl, options: { response: { response: { responseFormat: 'file' } } } },
		}),
		haptik: haptikSend,
		leadway: leadwayUpload,
	};
}

/** The bench's own node (./floorNode, installed into the user folder's .n8n/custom): reads each file through n8n's binary helpers and drops it. */
export function floorReader() {
	return { name: FLOOR_NODE, type: 'CUSTOM.benchReadBinary', typeVersion: 1, parameters: { binaryPropertyName: 'data' } };
}

/** Manual Trigger → Read File (`fileSelector`, a path or glob) → each of `targets` (in parallel branches). */
export function workflow(id, name, fileSelector, targets = []) {
	const nodes = [
		{ id: `${id}-trigger`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: `${id}-read`,
			name: READ_NODE,
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [220, 0],
			parameters: { operation: 'read', fileSelector, options: {} },
		},
		...targets.map((node, i) => ({ id: `${id}-up${i}`, position: [440, i * 200], ...node })),
	];
	const connections = {
		Start: { main: [[{ node: READ_NODE, type: 'main', index: 0 }]] },
		...(targets.length > 0 && {
			[READ_NODE]: { main: [targets.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		}),
	};
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Manual Trigger → `target` (a node that needs no input item, such as a download). */
export function triggerWorkflow(id, name, target) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: `${id}-trigger`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			...(target ? [{ id: `${id}-node`, position: [220, 0], ...target }] : []),
		],
		connections: target ? { Start: { main: [[{ node: target.name, type: 'main', index: 0 }]] } } : {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
