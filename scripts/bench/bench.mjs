#!/usr/bin/env node
// `npm run bench`: uploads inside real n8n (2.41.1, prepared as `npm run dev` does), ours
// against n8n's HTTP Request node and curl, checked byte for byte at a hashing sink.
// Prints a table and writes it to BENCHMARKS.md. Not part of `npm test` (timings are noisy).
//
//   npm run bench [-- --concurrency 20] [--latency-ms 50] [--big-mb 256] [--small-count 200]
//                 [--small-kb 256] [--repeat 1] [--skip-build] [--keep] [--out BENCHMARKS.md]
//
// --repeat N runs every n8n workflow N times and reports medians.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { cleanNpmEnv, N8N_VERSION, NODE24_VERSION, npmCommand, prepareN8n, REPO_ROOT } from '../n8n-local/prepare.mjs';
import { importCredentials, importWorkflow, installCommunityPackage, packPackage } from '../n8n-local/run.mjs';
import { executeMeasured, nodeTask, runFailure, runSucceeded, timed } from './measure.mjs';
import { renderReport } from './report.mjs';
import { startUrlBench } from './urlUpload.mjs';
import { credentialsFor, READ_NODE, TOKEN, uploaders, workflow } from './workflows.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const MB = 1024 * 1024;

const { values: opts } = parseArgs({
	options: {
		concurrency: { type: 'string', default: '20' },
		'latency-ms': { type: 'string', default: '50' },
		'big-mb': { type: 'string', default: '256' },
		'small-count': { type: 'string', default: '200' },
		'small-kb': { type: 'string', default: '256' },
		repeat: { type: 'string', default: '1' },
		'skip-build': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		out: { type: 'string', default: path.join(REPO_ROOT, 'BENCHMARKS.md') },
	},
});
const config = {
	concurrency: Number(opts.concurrency),
	latencyMs: Number(opts['latency-ms']),
	bigBytes: Number(opts['big-mb']) * MB,
	smallCount: Number(opts['small-count']),
	smallBytes: Number(opts['small-kb']) * 1024,
	repeat: Math.max(1, Number(opts.repeat)),
};

// ---------------------------------------------------------------- helpers

function run(cmd, args, { cwd, label }) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env: cleanNpmEnv(), stdio: ['ignore', process.stderr, process.stderr] });
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code})`))));
	});
}

function median(values) {
	const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Writes `size` random bytes to `file`; returns { file, size, sha256, fileName }. */
function writeRandomFile(file, size, head = Buffer.alloc(0)) {
	const hash = createHash('sha256');
	const fd = fs.openSync(file, 'w');
	try {
		let left = size;
		let first = head.length > 0 ? head : undefined;
		while (left > 0) {
			const chunk = first ?? randomBytes(Math.min(left, MB));
			first = undefined;
			const bytes = chunk.subarray(0, Math.min(chunk.length, left));
			fs.writeSync(fd, bytes);
			hash.update(bytes);
			left -= bytes.length;
		}
	} finally {
		fs.closeSync(fd);
	}
	return { file, size, sha256: hash.digest('hex'), fileName: path.basename(file) };
}

/** The JSON body Invent gets for `source` (`{ file: { data, name, type } }`), written streaming, for curl. */
function writeInventJson(source, file) {
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeSync(fd, '{"file":{"data":"');
		const input = fs.openSync(source.file, 'r');
		const buffer = Buffer.alloc(3 * MB);
		for (;;) {
			const n = fs.readSync(input, buffer, 0, buffer.length, null);
			if (n === 0) break;
			fs.writeSync(fd, buffer.subarray(0, n).toString('base64'));
		}
		fs.closeSync(input);
		fs.writeSync(fd, `","name":${JSON.stringify(source.fileName)},"type":"application/octet-stream"}}`);
	} finally {
		fs.closeSync(fd);
	}
	return file;
}

// ---------------------------------------------------------------- sink (its own process)

async function startSinkProcess() {
	const child = spawn(process.execPath, [path.join(here, 'sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
	const line = await new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`sink exited (code ${code})`)));
		readline.createInterface({ input: child.stdout }).once('line', resolve);
	});
	const { port } = JSON.parse(line);
	const url = `http://127.0.0.1:${port}`;
	const control = async (p, body) => {
		const res = await fetch(`${url}/_bench/${p}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
		return await res.json();
	};
	return {
		url,
		pid: child.pid,
		reset: (latencyMs = 0) => control('reset', {}).then(() => control('config', { latencyMs })),
		requests: () => control('requests'),
		stop: async () => {
			child.stdin.end();
			await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
		},
	};
}

/** Did the sink get exactly the expected files, whole, from `api`? Returns { ok, problems, bytes, requests }. */
function verifyUploads(sinkState, api, expected) {
	const problems = [];
	const records = sinkState.requests;
	const others = records.filter((r) => r.api !== api);
	if (others.length > 0) problems.push(`${others.length} unexpected requests to ${[...new Set(others.map((r) => r.api))].join(', ')}`);
	const mine = records.filter((r) => r.api === api);
	if (mine.length !== expected.length) problems.push(`${mine.length} requests, ${expected.length} expected`);
	const wanted = new Map();
	for (const e of expected) wanted.set(e.sha256, (wanted.get(e.sha256) ?? 0) + 1);
	let bytes = 0;
	for (const r of mine) {
		if (r.error) problems.push(`request ${r.n}: ${r.error}`);
		if (!r.bearer) problems.push(`request ${r.n}: no Bearer token`);
		if (r.files.length !== 1) problems.push(`request ${r.n}: ${r.files.length} files`);
		for (const f of r.files) {
			bytes += f.size;
			const left = wanted.get(f.sha256);
			if (!left) problems.push(`request ${r.n}: file ${f.filename} (${f.size} bytes) matches no generated file`);
			else wanted.set(f.sha256, left - 1);
		}
	}
	const missing = [...wanted.values()].reduce((a, b) => a + b, 0);
	if (missing > 0) problems.push(`${missing} files never arrived whole`);
	return { ok: problems.length === 0, problems: problems.slice(0, 5), bytes, requests: mine.length, maxInFlight: sinkState.maxInFlight };
}

// ---------------------------------------------------------------- main

async function main() {
	const startedAt = new Date();
	const loadBefore = os.loadavg();
	log(`settings: ${JSON.stringify(config)}`);

	const paths = await prepareN8n();
	if (!opts['skip-build']) {
		log('building the package (npm run build)');
		const npm = npmCommand();
		await run(npm.cmd, [...npm.pre, 'run', 'build'], { cwd: REPO_ROOT, label: 'npm run build' });
	}
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	const userFolder = path.join(tmp, 'user');
	const filesDir = path.join(tmp, 'files');
	fs.mkdirSync(path.join(filesDir, 'small'), { recursive: true });
	log(`temp folder ${tmp}`);

	let sink;
	let urlBench;
	try {
		const tgz = await packPackage(REPO_ROOT, path.join(tmp, 'pack'));
		const installed = await installCommunityPackage(userFolder, tgz);
		log(`installed ${installed.name}@${installed.version} into ${installed.nodesDir}`);

		log(`generating input files (${config.bigBytes / MB} MB; ${config.smallCount} × ${config.smallBytes / 1024} KB)`);
		const big = writeRandomFile(path.join(filesDir, 'big.bin'), config.bigBytes);
		const small = [];
		for (let i = 0; i < config.smallCount; i++) {
			small.push(writeRandomFile(path.join(filesDir, 'small', `file-${String(i).padStart(3, '0')}.bin`), config.smallBytes));
		}
		const sanity = writeRandomFile(path.join(filesDir, 'sanity.pdf'), 200 * 1024, Buffer.from('%PDF-1.4\n'));
		const bigJson = writeInventJson(big, path.join(filesDir, 'big.json'));

		sink = await startSinkProcess();
		log(`sink on ${sink.url} (pid ${sink.pid})`);

		const up = uploaders(sink.url);
		const workflows = {
			bigBaseline: workflow('benchBigBaseline', 'Bench: read 256 MB, no upload', big.file),
			bigInvent: workflow('benchBigInvent', 'Bench: 256 MB → Invent', big.file, [up.invent()]),
			bigCityPay: workflow('benchBigCityPay', 'Bench: 256 MB → CityPay', big.file, [up.cityPay()]),
			bigHttp: workflow('benchBigHttp', 'Bench: 256 MB → HTTP Request', big.file, [up.httpRequest()]),
			smallInventDefault: workflow('benchSmallInvent5', 'Bench: small → Invent (default)', `${filesDir}/small/*.bin`, [up.invent()]),
			smallInvent: workflow('benchSmallInventN', 'Bench: small → Invent', `${filesDir}/small/*.bin`, [up.invent(config.concurrency)]),
			smallCityPayDefault: workflow('benchSmallCity5', 'Bench: small → CityPay (default)', `${filesDir}/small/*.bin`, [up.cityPay()]),
			smallCityPay: workflow('benchSmallCityN', 'Bench: small → CityPay', `${filesDir}/small/*.bin`, [up.cityPay(config.concurrency)]),
			smallHttp: workflow('benchSmallHttp', 'Bench: small → HTTP Request', `${filesDir}/small/*.bin`, [up.httpRequest()]),
			sanity: workflow('benchSanity', 'Bench: small PDF → Haptik and Leadway', sanity.file, [up.haptik(), up.leadway()]),
		};
		urlBench = await startUrlBench(up.cityPay());
		Object.assign(workflows, urlBench.workflows);
		const workflowFile = path.join(tmp, 'workflows.json');
		fs.writeFileSync(workflowFile, JSON.stringify(Object.values(workflows), null, 2));
		const credentialFile = path.join(tmp, 'credentials.json');
		fs.writeFileSync(credentialFile, JSON.stringify(credentialsFor(sink.url), null, 2));
		log('importing credentials and workflows');
		await importCredentials(userFolder, credentialFile);
		await importWorkflow(userFolder, workflowFile);
		fs.rmSync(credentialFile); // holds plain (fake) tokens; n8n keeps them encrypted

		const binaryDir = path.join(tmp, 'binaryData');
		const retries = [];
		/** One measured `n8n execute` of a workflow, with the sink's record of it. */
		const execute = async (key, mode, latencyMs = 0) => {
			await sink.reset(latencyMs);
			fs.rmSync(binaryDir, { recursive: true, force: true });
			const once = () =>
				executeMeasured(userFolder, workflows[key].id, {
					outDir: tmp,
					env: {
						N8N_EXPRESSION_ENGINE: 'legacy', // `n8n execute` can crash at shutdown with the vm engine
						N8N_DEFAULT_BINARY_DATA_MODE: mode,
						N8N_BINARY_DATA_STORAGE_PATH: binaryDir,
						N8N_RESTRICT_FILE_ACCESS_TO: filesDir, // Read/Write Files from Disk may read only there
						EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', // keep the saving of run data out of the figures
						NODE_OPTIONS: `--require ${path.join(here, 'n8n-preload.cjs')}`, // keeps the printed run small and whole
					},
				});
			let result = await once();
			if (!result.run) {
				// Seen rarely under heavy load: n8n exits 0 having printed no run. Run it once more.
				log(`  ${key} (${mode}): n8n printed no run (${result.signal ?? `exit ${result.code}`}); running it again`);
				retries.push(`${key} (${mode})`);
				await sink.reset(latencyMs);
				fs.rmSync(binaryDir, { recursive: true, force: true });
				result = await once();
			}
			const sinkState = await sink.requests();
			if (!runSucceeded(result)) throw new Error(`${key} (${mode}): ${runFailure(result)}`);
			return { result, sinkState };
		};

		// ---- curl: the practical limit
		log('curl: 3 uploads of each kind');
		const curlRuns = { multipart: [], json: [] };
		for (let i = 0; i < 3; i++) {
			for (const kind of ['multipart', 'json']) {
				await sink.reset(0);
				const args =
					kind === 'multipart'
						? ['-F', `file=@${big.file};type=application/octet-stream`, `${sink.url}/v1/attachments`]
						: ['-T', bigJson, '-X', 'POST', '-H', 'Content-Type: application/json', `${sink.url}/orgs/c/contacts/bench-contact/files`];
				const r = await timed('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:', '-H', `Authorization: Bearer ${TOKEN}`, ...args]);
				const check = verifyUploads(await sink.requests(), kind === 'multipart' ? 'citypay' : 'invent', [big]);
				if (r.code !== 0 || !r.stdout.startsWith('2') || !check.ok) {
					throw new Error(`curl ${kind} failed: exit ${r.code}, HTTP ${r.stdout}, ${check.problems.join('; ')} ${r.stderr}`);
				}
				curlRuns[kind].push(r);
			}
		}
		const curl = Object.fromEntries(
			Object.entries(curlRuns).map(([kind, runs]) => [
				kind,
				{ wallMs: median(runs.map((r) => r.wallMs)), maxRssKb: median(runs.map((r) => r.maxRssKb)), runs: runs.length, verified: true },
			]),
		);
		log(`curl multipart ${curl.multipart.wallMs.toFixed(0)} ms, JSON ${curl.json.wallMs.toFixed(0)} ms`);

		// ---- one 256 MB file, each binary data mode
		const bigRows = {};
		for (const mode of ['filesystem', 'default']) {
			const cases = [
				['baseline', 'bigBaseline', READ_NODE, undefined],
				['invent', 'bigInvent', 'Invent', 'invent'],
				['cityPay', 'bigCityPay', 'CityPay', 'citypay'],
				['httpRequest', 'bigHttp', 'HTTP Request', 'citypay'],
			];
			const samples = Object.fromEntries(cases.map(([label]) => [label, []]));
			for (let round = 0; round < config.repeat; round++) {
				for (const [label, key, nodeName, api] of cases) {
					log(`${mode}: ${label} (round ${round + 1}/${config.repeat})`);
					const { result, sinkState } = await execute(key, mode);
					const check = api ? verifyUploads(sinkState, api, [big]) : { ok: sinkState.requests.length === 0, problems: [], bytes: 0 };
					const task = nodeTask(result.run, nodeName);
					samples[label].push({
						nodeMs: task?.executionTime,
						readMs: nodeTask(result.run, READ_NODE)?.executionTime,
						peakKb: result.peakKb,
						runPeakKb: result.runPeakKb,
						check,
					});
					log(`  node ${task?.executionTime} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
				}
			}
			bigRows[mode] = Object.fromEntries(
				Object.entries(samples).map(([label, s]) => [
					label,
					{
						nodeMs: median(s.map((x) => x.nodeMs)),
						readMs: median(s.map((x) => x.readMs)),
						peakKb: median(s.map((x) => x.peakKb)),
						runPeakKb: median(s.map((x) => x.runPeakKb)),
						verified: s.every((x) => x.check.ok),
						problems: s.flatMap((x) => x.check.problems),
						runs: s.length,
					},
				]),
			);
		}

		// ---- throughput: many small files against a sink with latency
		const throughput = [];
		const smallCases = [
			['Invent', 'smallInventDefault', 'Invent', 'invent', 5],
			['Invent', 'smallInvent', 'Invent', 'invent', config.concurrency],
			['CityPay', 'smallCityPayDefault', 'CityPay', 'citypay', 5],
			['CityPay', 'smallCityPay', 'CityPay', 'citypay', config.concurrency],
			['HTTP Request node', 'smallHttp', 'HTTP Request', 'citypay', undefined],
		];
		const smallSamples = smallCases.map(() => []);
		for (let round = 0; round < config.repeat; round++) {
			for (const [i, [label, key, nodeName, api, concurrency]] of smallCases.entries()) {
				log(`throughput: ${label} concurrency ${concurrency ?? 'n8n default'} (round ${round + 1}/${config.repeat})`);
				const { result, sinkState } = await execute(key, 'filesystem', config.latencyMs);
				const check = verifyUploads(sinkState, api, small);
				const task = nodeTask(result.run, nodeName);
				const inputs = nodeTask(result.run, READ_NODE)?.data?.main?.[0] ?? [];
				const outputs = task?.data?.main?.[0] ?? [];
				// Output i must belong to input i (pairedItem) and carry input i's file name.
				const orderKept =
					outputs.length === inputs.length &&
					outputs.every((item, j) => {
						const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
						const name = item.json.file_filename ?? item.json.filename;
						return paired?.item === j && (name === undefined || name === inputs[j].binary?.data?.fileName);
					});
				smallSamples[i].push({ nodeMs: task?.executionTime, check, orderKept });
				log(`  node ${task?.executionTime} ms, max in flight ${sinkState.maxInFlight}${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
			}
		}
		for (const [i, [label, , , , concurrency]] of smallCases.entries()) {
			const s = smallSamples[i];
			throughput.push({
				label,
				concurrency,
				nodeMs: median(s.map((x) => x.nodeMs)),
				maxInFlight: Math.max(...s.map((x) => x.check.maxInFlight)),
				verified: s.every((x) => x.check.ok),
				problems: s.flatMap((x) => x.check.problems),
				orderKept: s.every((x) => x.orderKept),
				runs: s.length,
			});
		}

		// ---- Haptik and Leadway still work (small file, both modes)
		const sanityRows = [];
		for (const mode of ['filesystem', 'default']) {
			log(`sanity: Haptik and Leadway (${mode})`);
			const { result, sinkState } = await execute('sanity', mode);
			const byApi = (api) => ({ ...sinkState, requests: sinkState.requests.filter((r) => r.api === api) });
			const haptik = verifyUploads(byApi('haptik'), 'haptik', [sanity]);
			const haptikRecord = byApi('haptik').requests[0];
			if (haptikRecord) {
				const f = haptikRecord.fields;
				if (f.auth_id !== 'bench-user' || f.business_id !== '1234' || f.message_type !== '52') haptik.problems.push(`fields ${JSON.stringify(f)}`);
				if (!haptikRecord.clientId) haptik.problems.push('no client-id header');
			}
			const leadway = verifyUploads(byApi('leadway'), 'leadway', [sanity]);
			const leadwayRecord = byApi('leadway').requests[0];
			if (leadwayRecord) {
				const f = leadwayRecord.fields;
				if (f.conversationId !== 'bench-conversation' || f.locationId !== 'bench-location') leadway.problems.push(`fields ${JSON.stringify(f)}`);
				if (leadwayRecord.version !== '2021-07-28') leadway.problems.push('no Version header');
			}
			const haptikOut = nodeTask(result.run, 'Haptik')?.data?.main?.[0]?.[0]?.json ?? {};
			const leadwayOut = nodeTask(result.run, 'Leadway')?.data?.main?.[0]?.[0]?.json ?? {};
			if (haptikOut.message_id === undefined) haptik.problems.push('no message_id in the output');
			if (!leadwayOut.uploadedFiles?.[sanity.fileName]) leadway.problems.push('no uploaded file URL in the output');
			for (const [node, check] of [['Haptik', haptik], ['Leadway', leadway]]) {
				sanityRows.push({
					node,
					mode,
					nodeMs: nodeTask(result.run, node)?.executionTime,
					ok: check.problems.length === 0,
					problems: check.problems,
					bytes: check.bytes,
				});
			}
		}

		log('by URL: 1 KB and 200 MB → CityPay');
		const urlRow = await urlBench.measure(execute, verifyUploads, nodeTask);

		const loadAfter = os.loadavg();
		const nodeVersion = await timed(paths.node, ['--version']);
		const curlVersion = await timed('curl', ['--version']);
		const report = renderReport({
			startedAt,
			durationMs: Date.now() - startedAt.getTime(),
			config,
			machine: {
				cpu: os.cpus()[0]?.model ?? 'unknown',
				cores: os.cpus().length,
				memoryGb: os.totalmem() / 1024 ** 3,
				kernel: `${os.type()} ${os.release()}`,
				benchNode: process.version,
				n8nNode: nodeVersion.stdout.trim() || `v${NODE24_VERSION}`,
				n8n: N8N_VERSION,
				curl: curlVersion.stdout.split('\n')[0],
				loadBefore,
				loadAfter,
			},
			files: { big, smallCount: small.length, smallBytes: config.smallBytes },
			curl,
			big: bigRows,
			throughput,
			sanity: sanityRows,
			retries,
		});
		report.markdown += urlBench.markdown(urlRow);
		fs.writeFileSync(opts.out, report.markdown);
		process.stdout.write(`${report.markdown}\n`);
		log(`wrote ${opts.out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
		if (!report.allVerified || !urlRow.verified) {
			log('some uploads did not arrive whole or a sanity check failed: see the table');
			process.exitCode = 1;
		}
	} finally {
		await sink?.stop();
		await urlBench?.stop();
		if (opts.keep) log(`kept ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.once(sig, () => {
		log(`${sig}: stopping`);
		process.exit(130); // the exit hooks kill the n8n process groups started so far
	});
}

main().catch((err) => {
	log(`FAILED: ${err.stack ?? err.message}`);
	process.exit(1);
});
