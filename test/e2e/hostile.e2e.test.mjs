/**
 * End to end, unlucky conditions in a real n8n 2.41.1: the packed package installed as a
 * community package and run by `n8n execute` against servers on 127.0.0.1 that misbehave on
 * purpose: an API that echoes the token in its 401, one that asks to wait eleven days, one
 * that trickles its answer, a file host that stalls mid-file, and an API that refuses one
 * file of a batch under Stop Workflow. Every run must end, blame the right party, and show
 * no secret anywhere n8n keeps or prints it.
 */
import { createServer } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import busboy from 'busboy';

import { prepareN8n, REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installCommunityPackage,
	packPackage,
	stopAll,
} from '../../scripts/n8n-local/run.mjs';

// Jest sets NODE_ENV=test, which puts n8n into its own test mode.
delete process.env.NODE_ENV;

const PACKAGE = 'n8n-nodes-crm-attachments';
const ENV = { N8N_EXPRESSION_ENGINE: 'legacy' };
const ECHOED_TOKEN = 'cp_e2e_echoed_secret_4711';
const TOKEN = 'cp_e2e_plain_token_0815';
const TIMEOUT_MS = 1500;
/** Stop Workflow batch: the API refuses this one file; the ones before it are stored. */
const BATCH = ['a.txt', 'b.txt', 'c.txt', 'refused.txt', 'e.txt', 'f.txt'];

/** A server on 127.0.0.1 with a route table: path prefix → handler. */
async function startServer(routes) {
	const sockets = new Set();
	const server = createServer((request, response) => {
		const route = Object.keys(routes).find((prefix) => request.url.startsWith(prefix));
		if (!route) {
			response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
			return;
		}
		routes[route](request, response);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** Reads a multipart upload strictly and returns its file parts' names. */
function uploadedFileNames(request) {
	return new Promise((resolve, reject) => {
		const names = [];
		const parser = busboy({ headers: request.headers, defParamCharset: 'utf8' });
		parser.on('file', (_field, stream, info) => {
			names.push(info.filename);
			stream.resume();
		});
		parser.on('error', reject);
		parser.on('close', () => resolve(names));
		request.pipe(parser);
	});
}

const json = (response, status, body, headers = {}) =>
	response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** Code node output: one item per file name, the file in `data`. */
function filesCode(names) {
	return [
		`const names = ${JSON.stringify(names)};`,
		'return names.map((fileName) => ({',
		'  json: { fileName },',
		"  binary: { data: { data: Buffer.from(`file ${fileName}\\n`).toString('base64'), mimeType: 'text/plain', fileName } },",
		'}));',
	].join('\n');
}

const credential = (id, baseUrl, token = TOKEN) => ({ id, name: id, type: 'cityPayApi', data: { token, baseUrl } });
const credentialRef = (id) => ({ cityPayApi: { id, name: id } });

function cityPayNode(name, credentialId, parameters, onError, position) {
	return {
		id: name.replace(/\W/g, '-'),
		name,
		type: `${PACKAGE}.cityPay`,
		typeVersion: 1,
		position,
		parameters: { resource: 'attachment', ...parameters },
		credentials: credentialRef(credentialId),
		onError,
	};
}

/** Manual Trigger → a Code node with one item per file → each of `nodes`. */
function workflowOf(id, files, nodes) {
	const code = { id: `${id}-code`, name: 'Files', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { mode: 'runOnceForAllItems', jsCode: filesCode(files) } };
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, code, ...nodes],
		connections: {
			Start: { main: [[{ node: 'Files', type: 'main', index: 0 }]] },
			Files: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
	};
}

const outputOf = (run, nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];

describe('Unlucky conditions in real n8n', () => {
	let tmp;
	let userFolder;
	let api;
	let fileHost;
	const stored = [];
	const trickles = new Set();

	beforeAll(async () => {
		await prepareN8n();
		api = await startServer({
			// Refuses every token and names it in the refusal, as some APIs do.
			'/echo/': (request, response) => {
				request.resume();
				json(response, 401, { message: `Invalid token "${ECHOED_TOKEN}"`, token: ECHOED_TOKEN });
			},
			// Asks for a wait of eleven days.
			'/limit/': (request, response) => {
				request.resume();
				json(response, 429, { message: 'Too many requests' }, { 'retry-after': '999999' });
			},
			// Sends the head of its answer, then one byte every 400 ms.
			'/slow/': (request, response) => {
				request.resume();
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
				const timer = setInterval(() => response.write(' '), 400);
				trickles.add(timer);
				response.on('close', () => {
					clearInterval(timer);
					trickles.delete(timer);
				});
			},
			// Stores uploads, refuses the one named refused.txt.
			'/store/': async (request, response) => {
				if (request.method !== 'POST') return json(response, 404, { message: 'not found' });
				const names = await uploadedFileNames(request);
				if (names.includes('refused.txt')) return json(response, 400, { message: 'This file type is not allowed' });
				const [fileName] = names;
				stored.push(fileName);
				json(response, 201, { id: `att_${stored.length}`, filename: fileName });
			},
		});
		// A file host that declares 1,000 bytes, sends 10 and then nothing.
		fileHost = await startServer({
			'/files/': (request, response) => {
				response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '1000' });
				response.write('%PDF-1.4\n%');
			},
		});

		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-hostile-'));
		userFolder = path.join(tmp, 'user');
		await installCommunityPackage(userFolder, await packPackage(REPO_ROOT, path.join(tmp, 'pack')));
		const credentials = [
			credential('hostileEcho00001', `${api.url}/echo/v1`, ECHOED_TOKEN),
			credential('hostileLimit0001', `${api.url}/limit/v1`),
			credential('hostileSlow00001', `${api.url}/slow/v1`),
			credential('hostileStore0001', `${api.url}/store/v1`),
		];
		fs.writeFileSync(path.join(tmp, 'credentials.json'), JSON.stringify(credentials));
		await importCredentials(userFolder, path.join(tmp, 'credentials.json'));

		const timeout = { requestOptions: { timeout: TIMEOUT_MS } };
		const workflows = [
			workflowOf('hostileContinue1', ['one.txt'], [
				cityPayNode('Echoed Token', 'hostileEcho00001', { operation: 'get', attachmentId: { __rl: true, mode: 'id', value: 'att_1' } }, 'continueRegularOutput', [440, 0]),
				cityPayNode('Eleven Days', 'hostileLimit0001', { operation: 'get', attachmentId: { __rl: true, mode: 'id', value: 'att_1' } }, 'continueRegularOutput', [440, 200]),
				cityPayNode('Trickled Answer', 'hostileSlow00001', { operation: 'get', attachmentId: { __rl: true, mode: 'id', value: 'att_1' }, ...timeout }, 'continueRegularOutput', [440, 400]),
				cityPayNode(
					'Stalled File Host',
					'hostileStore0001',
					{ operation: 'upload', inputType: 'url', fileUrl: `${fileHost.url}/files/report.pdf?signature=s3cr3t`, ...timeout },
					'continueRegularOutput',
					[440, 600],
				),
			]),
			workflowOf('hostileStopEcho1', ['one.txt'], [
				cityPayNode('Echoed Token', 'hostileEcho00001', { operation: 'upload' }, 'stopWorkflow', [440, 0]),
			]),
			workflowOf('hostileStopBatch', BATCH, [
				cityPayNode('Upload Batch', 'hostileStore0001', { operation: 'upload', requestOptions: { concurrency: 1 } }, 'stopWorkflow', [440, 0]),
			]),
		];
		fs.writeFileSync(path.join(tmp, 'workflows.json'), JSON.stringify(workflows));
		await importWorkflow(userFolder, path.join(tmp, 'workflows.json'));
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await stopAll();
		for (const timer of trickles) clearInterval(timer);
		await api?.close();
		await fileHost?.close();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	});

	test('each failure ends the run in time, names the right party, and shows no token', async () => {
		const run = await executeWorkflow(userFolder, 'hostileContinue1', { env: ENV });
		const errorOf = (nodeName) => {
			const items = outputOf(run, nodeName);
			expect(items).toHaveLength(1);
			expect(items[0].pairedItem).toEqual({ item: 0 });
			return items[0].json;
		};

		const echoed = errorOf('Echoed Token');
		expect(echoed.error).toMatch(/Invalid token/);
		expect(JSON.stringify(echoed)).not.toContain(ECHOED_TOKEN);

		const limited = errorOf('Eleven Days');
		expect(`${limited.error} ${limited.details}`).toMatch(/999999 s|11 days|after \d{4}-\d\d-\d\dT/);

		const trickled = errorOf('Trickled Answer');
		expect(trickled.error).toMatch(new RegExp(`CityPay.*${TIMEOUT_MS} ms`));

		const stalled = errorOf('Stalled File Host');
		expect(stalled.error).toContain(fileHost.url.replace('http://', ''));
		expect(stalled.error).not.toMatch(/CityPay did not answer/);
		expect(JSON.stringify(stalled)).not.toContain('s3cr3t');
		expect(stored).toEqual([]);
		// Everything n8n keeps of the run, not only the items.
		expect(JSON.stringify(run)).not.toContain(ECHOED_TOKEN);
	}, 5 * 60 * 1000);

	test('Stop Workflow: the stored execution error shows no echoed token', async () => {
		const failure = await executeWorkflow(userFolder, 'hostileStopEcho1', { env: ENV }).then(
			() => undefined,
			(error) => error,
		);
		expect(failure?.run?.status).toBe('error');
		const nodeError = failure.run.data.resultData.runData['Echoed Token'][0].error;
		expect(nodeError.message).toMatch(/Invalid token/);
		expect(JSON.stringify(failure.run)).not.toContain(ECHOED_TOKEN);
		// n8n's own output of the failed run, as a user's terminal or log shows it.
		expect(failure.message).not.toContain(ECHOED_TOKEN);
	}, 5 * 60 * 1000);

	test('Stop Workflow: the error says which items were already uploaded', async () => {
		const failure = await executeWorkflow(userFolder, 'hostileStopBatch', { env: ENV }).then(
			() => undefined,
			(error) => error,
		);
		expect(failure?.run?.status).toBe('error');
		const nodeError = failure.run.data.resultData.runData['Upload Batch'][0].error;
		expect(nodeError.message).toMatch(/This file type is not allowed/);
		// Concurrency 1: the three files before the refused one were stored, none after it.
		expect(stored).toEqual(['a.txt', 'b.txt', 'c.txt']);
		expect(nodeError.description).toMatch(/3 other items/);
		expect(nodeError.description).toMatch(/items 0–2/);
	}, 5 * 60 * 1000);
});
