/**
 * End to end, adaptive concurrency in a real n8n 2.41.1: the packed package installed as a
 * community package, a batch of files read from disk and uploaded by CityPay at default
 * settings to a server that allows few uploads per window and answers 429 with Retry-After
 * beyond them (the benchmark's sink, in this process). Every file must arrive exactly once,
 * every item succeed, in input order and paired, the node having backed off and waited
 * rather than failed.
 */
import { randomBytes, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startSink } from '../../scripts/bench/sink.mjs';
import { credentialsFor, uploaders, workflow } from '../../scripts/bench/workflows.mjs';
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

const FILES = 24;
const LIMIT = { requests: 8, windowMs: 2000 };

describe('Adaptive concurrency in real n8n', () => {
	let tmp;
	let userFolder;
	let filesDir;
	let sink;
	const files = [];

	beforeAll(async () => {
		await prepareN8n();
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-adaptive-'));
		userFolder = path.join(tmp, 'user');
		filesDir = path.join(tmp, 'files');
		fs.mkdirSync(filesDir, { recursive: true });
		for (let i = 0; i < FILES; i++) {
			const bytes = randomBytes(2048 + i);
			const file = path.join(filesDir, `file-${String(i).padStart(2, '0')}.bin`);
			fs.writeFileSync(file, bytes);
			files.push({ name: path.basename(file), sha256: createHash('sha256').update(bytes).digest('hex') });
		}
		sink = await startSink();
		const sinkUrl = `http://127.0.0.1:${sink.port}`;
		const tarball = await packPackage(REPO_ROOT, path.join(tmp, 'pack'));
		await installCommunityPackage(userFolder, tarball);
		const credentialFile = path.join(tmp, 'credentials.json');
		fs.writeFileSync(credentialFile, JSON.stringify(credentialsFor(sinkUrl)));
		await importCredentials(userFolder, credentialFile);
		const workflowFile = path.join(tmp, 'workflows.json');
		fs.writeFileSync(
			workflowFile,
			JSON.stringify([workflow('e2eAdaptiveCityPay', 'E2E: rate-limited batch → CityPay', `${filesDir}/*.bin`, [uploaders(sinkUrl).cityPay()])]),
		);
		await importWorkflow(userFolder, workflowFile);
		await fetch(`${sinkUrl}/_bench/config`, { method: 'POST', body: JSON.stringify({ rateLimit: LIMIT }) });
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await stopAll();
		await sink?.close();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	});

	test('CityPay at default settings: every item uploaded once, in order, after waiting out the 429s', async () => {
		const run = await executeWorkflow(userFolder, 'e2eAdaptiveCityPay', {
			env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RESTRICT_FILE_ACCESS_TO: filesDir, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
		});
		const state = await (await fetch(`http://127.0.0.1:${sink.port}/_bench/requests`)).json();

		// The limit was hit (the node had to back off) and yet nothing failed.
		expect(state.throttled).toBeGreaterThan(0);
		const output = run.data.resultData.runData.CityPay[0].data.main[0];
		expect(output).toHaveLength(FILES);
		expect(output.map((item) => item.json.error)).toEqual(files.map(() => undefined));
		expect(output.map((item) => item.json.filename)).toEqual(files.map((file) => file.name));
		expect(output.map((item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem).item)).toEqual(
			files.map((_, index) => index),
		);
		// Every file arrived exactly once, whole.
		expect(state.requests.map((request) => request.error)).toEqual(files.map(() => undefined));
		expect(state.requests.flatMap((request) => request.files.map((file) => file.sha256)).sort()).toEqual(
			files.map((file) => file.sha256).sort(),
		);
	});
});
