/**
 * The nodes as AI-agent tools, driven the way an agent would drive them but with no language
 * model: a real n8n 2.41.1 with the packed package installed, one published workflow in which
 * n8n's MCP Server Trigger serves our nodes as tools (`<package>.<node>Tool`, their arguments
 * given by `$fromAI()`), and a real MCP client (@modelcontextprotocol/sdk) that lists the tools
 * and calls them with JSON arguments only. Files reach the upload tools by URL, from the
 * sandbox's file host; the sandbox APIs show what arrived.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import { n8nCli } from '../../scripts/n8n-local/run.mjs';
import { CREDENTIAL_IDS } from '../../scripts/sandbox.mjs';
import { N8N_ENV, PACKAGE, startPackageInN8n } from './packageInN8n.mjs';

const require = createRequire(import.meta.url);
const MCP_PATH = 'crm-attachments';
const WORKFLOW_ID = 'mcpCrmAttach0001';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const log = (msg) => process.stderr.write(`[mcp e2e] ${msg}\n`);
const fixture = (name) => fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', name));

/** A parameter's description as the built node declares it (also inside collections), for `$fromAI()`. */
function parameterDescription(nodeName, parameterName) {
	const file = PACKAGE.n8n.nodes.find((entry) => entry.endsWith(`/${nodeName}.node.js`));
	const NodeClass = Object.values(require(path.join(REPO_ROOT, file))).find((value) => typeof value === 'function');
	const search = (properties) => {
		for (const property of properties) {
			if (property.name === parameterName && property.description) return property.description;
			const inner = property.options?.filter((option) => option.type !== undefined);
			const found = inner?.length ? search(inner) : undefined;
			if (found) return found;
		}
		return undefined;
	};
	const description = search(new NodeClass().description.properties);
	if (!description) throw new Error(`${nodeName} has no described parameter ${parameterName}`);
	return description;
}

/** `={{ $fromAI(key, <our description>, type) }}`: the model fills the value, guided by the node's own text. */
function fromAI(key, nodeName, parameterName, type = 'string') {
	const description = parameterDescription(nodeName, parameterName);
	if (description.includes('"')) throw new Error(`description of ${parameterName} holds a double quote`);
	return `={{ $fromAI('${key}', "${description}", '${type}') }}`;
}

const credential = (type, id, name) => ({ [type]: { id, name } });

/**
 * The MCP client, connected once n8n serves the published workflow's endpoint. n8n answers
 * HTTP before it has activated its published workflows; until then the endpoint is "not
 * registered" (seen once on a busy CI machine), so that answer is retried for up to a minute.
 */
async function connectWhenRegistered(url) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const client = new Client({ name: 'crm-attachments-e2e', version: '1.0.0' });
		try {
			await client.connect(new StreamableHTTPClientTransport(url));
			return client;
		} catch (error) {
			await client.close().catch(() => undefined);
			if (!/not registered/i.test(String(error?.message)) || Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

/** One tool node: our node type with the `Tool` suffix, connected to the trigger as an ai_tool. */
function toolNode(name, node, position, parameters, credentials) {
	return {
		id: `mcp-${name.toLowerCase().replace(/\W+/g, '-')}`,
		name,
		type: `${PACKAGE.name}.${node}Tool`,
		typeVersion: 1,
		position,
		parameters,
		credentials,
	};
}

function mcpWorkflow() {
	const tools = [
		toolNode(
			'Haptik Send File',
			'haptik',
			[0, 300],
			{
				resource: 'file',
				operation: 'send',
				authId: fromAI('auth_id', 'Haptik', 'authId'),
				businessId: fromAI('business_id', 'Haptik', 'businessId'),
				inputType: 'url',
				fileUrl: fromAI('file_url', 'Haptik', 'fileUrl'),
			},
			credential('haptikApi', CREDENTIAL_IDS.haptik, 'Haptik Sandbox'),
		),
		toolNode(
			'CityPay Upload Attachment',
			'cityPay',
			[200, 300],
			{ resource: 'attachment', operation: 'upload', inputType: 'url', fileUrl: fromAI('file_url', 'CityPay', 'fileUrl') },
			credential('cityPayApi', CREDENTIAL_IDS.citypay, 'CityPay Sandbox'),
		),
		toolNode(
			'CityPay List Attachments',
			'cityPay',
			[400, 300],
			{ resource: 'attachment', operation: 'getMany', returnAll: false, limit: fromAI('limit', 'CityPay', 'limit', 'number') },
			credential('cityPayApi', CREDENTIAL_IDS.citypay, 'CityPay Sandbox'),
		),
		toolNode(
			'Leadway Upload Files',
			'leadway',
			[600, 300],
			{
				resource: 'conversation',
				operation: 'upload',
				conversationId: fromAI('conversation_id', 'Leadway', 'conversationId'),
				inputType: 'url',
				fileUrls: fromAI('file_urls', 'Leadway', 'fileUrls'),
			},
			credential('leadwayApi', CREDENTIAL_IDS.leadway, 'Leadway Sandbox'),
		),
		toolNode(
			'Invent Create Contact',
			'invent',
			[800, 300],
			{
				resource: 'contact',
				operation: 'create',
				channel: { name: fromAI('name', 'Invent', 'name'), email: fromAI('email', 'Invent', 'email') },
			},
			credential('inventApi', CREDENTIAL_IDS.invent, 'Invent Sandbox'),
		),
	];
	const trigger = {
		id: 'mcp-trigger',
		name: 'MCP Server Trigger',
		type: '@n8n/n8n-nodes-langchain.mcpTrigger',
		typeVersion: 2,
		position: [400, 0],
		parameters: { path: MCP_PATH },
		webhookId: '7d0c3f7e-1b1a-4b7e-9c55-6f1f0c0de014',
	};
	const connections = Object.fromEntries(
		tools.map((tool) => [tool.name, { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] }]),
	);
	return {
		id: WORKFLOW_ID,
		name: 'CRM attachments as MCP tools',
		active: false,
		nodes: [trigger, ...tools],
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The JSON a tool answered (n8n answers with the output items' JSON, as text). */
function answerOf(result) {
	expect(result.isError).toBeFalsy();
	expect(result.content).toHaveLength(1);
	return JSON.parse(result.content[0].text);
}

describe('the nodes as tools of n8n\'s MCP Server Trigger', () => {
	const started = Date.now();
	let sandbox;
	let n8n;
	let stop;
	let client;
	let files;
	const pdf = fixture('invoice.pdf');
	const png = fixture('logo.png');

	beforeAll(async () => {
		({ sandbox, n8n, stop } = await startPackageInN8n({
			name: 'mcp',
			seed: ({ services }) => {
				files = services.files.double;
				files.addFile('invoice.pdf', pdf, 'application/pdf');
				files.addFile('logo.png', png, 'image/png');
			},
			workflows: () => [mcpWorkflow()],
			// Published before n8n starts, so its production MCP endpoint is registered at startup.
			beforeStart: async (userFolder) => {
				const published = await n8nCli(userFolder, ['publish:workflow', `--id=${WORKFLOW_ID}`], { env: N8N_ENV });
				if (published.code !== 0) {
					throw new Error(`publish:workflow failed:\n${(published.stdout + published.stderr).slice(-3000)}`);
				}
			},
		}));
		try {
			client = await connectWhenRegistered(new URL(`${n8n.url}/mcp/${MCP_PATH}`));
		} catch (error) {
			throw new Error(`${error.message}\nn8n's last output:\n${n8n.logs().slice(-3000)}`);
		}
		log(`n8n ${n8n.url} up in ${(n8n.startupMs / 1000).toFixed(1)} s; MCP client connected`);
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await client?.close().catch(() => undefined);
		await stop?.();
		log(`MCP end-to-end run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}, 60 * 1000);

	test('lists one tool per node, each taking JSON arguments described by the node itself', async () => {
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual([
			'CityPay_List_Attachments',
			'CityPay_Upload_Attachment',
			'Haptik_Send_File',
			'Invent_Create_Contact',
			'Leadway_Upload_Files',
		]);
		// n8n describes a tool by its operation's action and the service.
		expect(byName.Haptik_Send_File.description).toBe('Send a file to a conversation in Haptik');
		expect(byName.CityPay_Upload_Attachment.description).toBe('Upload an attachment in CityPay');
		const haptik = byName.Haptik_Send_File.inputSchema;
		expect(Object.keys(haptik.properties).sort()).toEqual(['auth_id', 'business_id', 'file_url']);
		expect(haptik.required.sort()).toEqual(['auth_id', 'business_id', 'file_url']);
		expect(haptik.properties.file_url.description).toMatch(/^Public http\(s\) URL of the file to send to Haptik, for example https:\/\//);
		expect(haptik.properties.business_id.description).toContain('for example 1234');
		expect(byName.CityPay_List_Attachments.inputSchema.properties.limit.type).toBe('number');
		expect(byName.Leadway_Upload_Files.inputSchema.properties.file_urls.description).toContain('One or more public http(s) URLs');
	});

	test('Haptik: sends a file given by URL', async () => {
		const before = sandbox.services.haptik.double.uploads.length;
		const answer = answerOf(
			await client.callTool({
				name: 'Haptik_Send_File',
				arguments: { auth_id: 'user-7781', business_id: '1234', file_url: `${files.url}/files/invoice.pdf` },
			}),
		);
		const uploads = sandbox.services.haptik.double.uploads.slice(before);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].fields).toMatchObject({ auth_id: 'user-7781', business_id: '1234', message_type: '52' });
		expect(uploads[0].file).toMatchObject({ fileName: 'invoice.pdf', mimeType: 'application/pdf', sha256: sha256(pdf) });
		expect(answer).toEqual([expect.objectContaining({ message_id: uploads[0].messageId })]);
	});

	test('CityPay: uploads a file given by URL, then lists it with Get Many', async () => {
		const citypay = sandbox.services.citypay.double;
		const uploaded = answerOf(
			await client.callTool({ name: 'CityPay_Upload_Attachment', arguments: { file_url: `${files.url}/files/logo.png` } }),
		);
		expect(uploaded).toEqual([expect.objectContaining({ filename: 'logo.png', file_type: 'image/png', file_size: png.length })]);
		const stored = citypay.attachments.find((attachment) => attachment.id === uploaded[0].id);
		expect(stored.sha256).toBe(sha256(png));

		const listed = answerOf(await client.callTool({ name: 'CityPay_List_Attachments', arguments: { limit: 10 } }));
		expect(listed.map((attachment) => attachment.id)).toContain(uploaded[0].id);
		const [request] = citypay.requestsTo('GET', /^\/attachments$/).slice(-1);
		expect(request.query.get('limit')).toBe('10');
	});

	test('Leadway: uploads two files given by URL in one request', async () => {
		const leadway = sandbox.services.leadway.double;
		const before = leadway.uploads.length;
		const answer = answerOf(
			await client.callTool({
				name: 'Leadway_Upload_Files',
				arguments: {
					conversation_id: 'conv_mcp_1',
					file_urls: `${files.url}/files/invoice.pdf, ${files.url}/files/logo.png`,
				},
			}),
		);
		const uploads = leadway.uploads.slice(before);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].fields).toEqual(expect.arrayContaining([['conversationId', 'conv_mcp_1']]));
		expect(uploads[0].files.map((file) => [file.fileName, file.sha256])).toEqual([
			['invoice.pdf', sha256(pdf)],
			['logo.png', sha256(png)],
		]);
		expect(Object.keys(answer[0].uploadedFiles)).toEqual(['invoice.pdf', 'logo.png']);
	});

	test('Invent: creates a contact from JSON arguments', async () => {
		const invent = sandbox.services.invent.double;
		const answer = answerOf(
			await client.callTool({ name: 'Invent_Create_Contact', arguments: { name: 'Ada Lovelace', email: 'ada@example.com' } }),
		);
		const contact = invent.contacts.find((candidate) => candidate.id === answer[0].id);
		expect(contact).toBeDefined();
		expect(JSON.stringify(contact)).toContain('ada@example.com');
	});

	test('the file host got no credential, and a bad URL comes back as an error naming its host', async () => {
		const result = await client.callTool({
			name: 'CityPay_Upload_Attachment',
			arguments: { file_url: `${files.url}/files/missing.pdf` },
		});
		expect(result.isError).toBe(true);
		expect(result.content[0].text).toContain(`The file host ${files.url} answered HTTP 404 for the File URL`);
		for (const request of files.requests) {
			expect(request.headers.authorization).toBeUndefined();
			expect(request.headers['client-id']).toBeUndefined();
			expect(request.headers.version).toBeUndefined();
		}
	});
});
