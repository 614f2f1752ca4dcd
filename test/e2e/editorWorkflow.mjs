/**
 * The workflow the editor test opens: one node for each panel issue 13 changed, with the ID
 * parameters left unset, so that the same workflow opens in a build from before the resource
 * locators (for the "before" screenshots).
 */
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import { CREDENTIAL_IDS } from '../../scripts/sandbox.mjs';

const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

export const WORKFLOW_ID = 'edIssue13Panels1';
const credentials = {
	invent: { inventApi: { id: CREDENTIAL_IDS.invent, name: 'Invent Sandbox' } },
	citypay: { cityPayApi: { id: CREDENTIAL_IDS.citypay, name: 'CityPay Sandbox' } },
};
const type = (name) => `${PACKAGE.name}.${name}`;
const requestOptions = { retryDelay: 1000, timeout: 300000 };

const NODES = [
	{ id: 'ed13-0000-trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	{
		id: 'ed13-0000-citypay-get',
		name: 'CityPay Get',
		type: type('cityPay'),
		typeVersion: 1,
		position: [240, -200],
		parameters: { resource: 'attachment', operation: 'get' },
		credentials: credentials.citypay,
	},
	{
		id: 'ed13-0000-citypay-upload',
		name: 'CityPay Upload',
		type: type('cityPay'),
		typeVersion: 1,
		position: [240, 0],
		parameters: { resource: 'attachment', operation: 'upload', binaryPropertyName: 'data', options: {}, requestOptions },
		credentials: credentials.citypay,
	},
	{
		id: 'ed13-0000-invent-upload',
		name: 'Invent Upload',
		type: type('invent'),
		typeVersion: 1,
		position: [240, 200],
		parameters: { resource: 'contactFile', operation: 'upload' },
		credentials: credentials.invent,
	},
	{
		id: 'ed13-0000-invent-create',
		name: 'Invent Create Contact',
		type: type('invent'),
		typeVersion: 1,
		position: [240, 400],
		parameters: {
			resource: 'contact',
			operation: 'create',
			channel: { email: 'ada@example.com', contact_id: 'crm-42' },
			segmentIds: 'seg_1',
			requestOptions,
		},
		credentials: credentials.invent,
	},
];
export const WORKFLOW = {
	id: WORKFLOW_ID,
	name: 'Issue 13: resource locators and panels',
	active: false,
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: NODES,
	// Only CityPay Get runs from Start: the saved workflow is executed headless at the end.
	connections: { Start: { main: [[{ node: 'CityPay Get', type: 'main', index: 0 }]] } },
};
export const nodeId = (name) => NODES.find((node) => node.name === name).id;
