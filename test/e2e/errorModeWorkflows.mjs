/**
 * Workflows that run every node of the package under each of n8n's On Error settings in a
 * real n8n: per vendor, a Code node makes three files, the middle one of which the node
 * refuses before sending; the node's main output goes to "<Vendor> Uploaded" and, with
 * Continue (using error output), its error output to "<Vendor> Failed".
 */
import { CREDENTIAL_IDS } from '../../scripts/sandbox.mjs';

export const ERROR_MODES = Object.freeze(['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput']);

// A 1×1 PNG, so the image is a real one.
const PNG_1X1 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const base64 = (text) => Buffer.from(text).toString('base64');
const CSV = ['contacts.csv', 'text/csv', base64('name,email\nAda,ada@example.com\n')];
const PDF = ['invoice.pdf', 'application/pdf', base64('%PDF-1.4\n%%EOF\n')];
const PHOTO = ['photo.png', 'image/png', PNG_1X1];

/** Per vendor: the node, its parameters, the three files (the second refused) and what the refusal says. */
export const VENDORS = Object.freeze({
	Haptik: {
		type: 'haptik',
		credentials: { haptikApi: { id: CREDENTIAL_IDS.haptik, name: 'Haptik Sandbox' } },
		parameters: () => ({ resource: 'file', operation: 'send', authId: 'user-7781', businessId: '1234' }),
		files: [PHOTO, ['setup.exe', 'application/octet-stream', base64('MZ')], CSV],
		refusal: /extension "\.exe", which Haptik does not accept/,
		uploadsOf: (services) => services.haptik.double.uploads.length,
	},
	Invent: {
		type: 'invent',
		credentials: { inventApi: { id: CREDENTIAL_IDS.invent, name: 'Invent Sandbox' } },
		parameters: ({ inventContactId }) => ({ resource: 'contactFile', operation: 'upload', contactId: inventContactId }),
		files: [PHOTO, ['empty.txt', 'text/plain', ''], CSV],
		refusal: /is empty \(0 bytes\)/,
		uploadsOf: (services) => services.invent.double.files.length,
	},
	CityPay: {
		type: 'cityPay',
		credentials: { cityPayApi: { id: CREDENTIAL_IDS.citypay, name: 'CityPay Sandbox' } },
		parameters: () => ({ resource: 'attachment', operation: 'upload' }),
		files: [PHOTO, ['in\tvoice.pdf', 'application/pdf', PDF[2]], CSV],
		refusal: /control character/,
		uploadsOf: (services) => services.citypay.double.requestsTo('POST', /^\/attachments$/).length,
	},
	Leadway: {
		type: 'leadway',
		credentials: { leadwayApi: { id: CREDENTIAL_IDS.leadway, name: 'Leadway Sandbox' } },
		parameters: () => ({ resource: 'conversation', operation: 'upload', conversationId: 'conv_example_1' }),
		files: [PHOTO, ['setup.exe', 'application/octet-stream', base64('MZ')], PDF],
		refusal: /extension "\.exe", which Leadway does not accept/,
		uploadsOf: (services) => services.leadway.double.uploads.length,
	},
});

/** Node names of one vendor's branch. */
export const branch = (vendor) => ({
	files: `${vendor} Files`,
	node: `${vendor} Upload`,
	uploaded: `${vendor} Uploaded`,
	failed: `${vendor} Failed`,
});

const TAGS = ['first', 'second', 'third'];

function makeFilesCode(files) {
	// runOnceForAllItems: three items, each with its file in `data`.
	return [
		`const files = ${JSON.stringify(files)};`,
		`const tags = ${JSON.stringify(TAGS)};`,
		'return files.map(([fileName, mimeType, data], index) => ({',
		'  json: { tag: tags[index], fileName },',
		'  binary: { data: { data, mimeType, fileName } },',
		'}));',
	].join('\n');
}

/** The workflow id for a mode and, for Stop Workflow (one vendor per workflow), a vendor. */
export function errorModeWorkflowId(mode, vendor = 'All') {
	return `em${ERROR_MODES.indexOf(mode)}${vendor}`.padEnd(16, '0').slice(0, 16);
}

/**
 * One workflow for `mode` holding the branches of `vendors`. Stop Workflow needs one vendor per
 * workflow (the first refusal ends the run); the Continue settings run every branch in one.
 */
export function errorModeWorkflow(mode, vendors, context) {
	const trigger = 'Start';
	const nodes = [
		{ id: 'em-trigger', name: trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const connections = { [trigger]: { main: [[]] } };
	const link = (node) => ({ node, type: 'main', index: 0 });
	for (const [row, vendor] of vendors.entries()) {
		const spec = VENDORS[vendor];
		const names = branch(vendor);
		const y = row * 200;
		nodes.push(
			{
				id: `em-${vendor}-files`,
				name: names.files,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, y],
				parameters: { mode: 'runOnceForAllItems', jsCode: makeFilesCode(spec.files) },
			},
			{
				id: `em-${vendor}-node`,
				name: names.node,
				type: `n8n-nodes-crm-attachments.${spec.type}`,
				typeVersion: 1,
				position: [440, y],
				parameters: { ...spec.parameters(context), requestOptions: { concurrency: 1 } },
				credentials: spec.credentials,
				onError: mode,
			},
			{ id: `em-${vendor}-ok`, name: names.uploaded, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, y], parameters: {} },
		);
		connections[trigger].main[0].push(link(names.files));
		connections[names.files] = { main: [[link(names.node)]] };
		connections[names.node] = { main: [[link(names.uploaded)]] };
		if (mode === 'continueErrorOutput') {
			nodes.push({
				id: `em-${vendor}-failed`,
				name: names.failed,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [660, y + 100],
				parameters: {},
			});
			connections[names.node].main.push([link(names.failed)]);
		}
	}
	return {
		id: errorModeWorkflowId(mode, vendors.length === 1 ? vendors[0] : 'All'),
		name: `On Error: ${mode} (${vendors.join(', ')})`,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Every error-mode workflow: Stop Workflow once per vendor, each Continue setting once for all. */
export function errorModeWorkflows(context) {
	const vendors = Object.keys(VENDORS);
	return ERROR_MODES.flatMap((mode) =>
		mode === 'stopWorkflow'
			? vendors.map((vendor) => ({ mode, vendors: [vendor], workflow: errorModeWorkflow(mode, [vendor], context) }))
			: [{ mode, vendors, workflow: errorModeWorkflow(mode, vendors, context) }],
	);
}
