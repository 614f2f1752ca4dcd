#!/usr/bin/env node
// `npm run bench`: uploads inside real n8n (2.41.1, prepared as `npm run dev` does), ours
// against n8n's HTTP Request node and curl, checked byte for byte at a hashing sink.
// Prints a table and writes it to BENCHMARKS.md. Not part of `npm test` (timings are noisy).
//
//   npm run bench [-- --latency-ms 50] [--big-mb 256] [--small-count 200] [--small-kb 256]
//                 [--concurrency 20] [--rate-limit 100/10] [--soak-count 10000] [--soak-fail 0.1]
//                 [--cases big,download,throughput,rateLimit,soak,sanity] [--big-modes filesystem,default] [--cpu-prof DIR]
//                 [--flat-mb 64,1024]   (more file sizes for the big case, filesystem mode: is peak RSS flat?)
//                 [--repeat 1] [--skip-build] [--keep] [--out BENCHMARKS.md]
//
// --repeat N runs every n8n workflow N times and reports medians (the throughput runs at least 3
// times whatever N is: they are short and the noise is large). --concurrency N adds
// throughput runs with that Concurrency besides the default. --cases runs only those sections
// (the report then leaves the others out). --cpu-prof DIR writes a V8 CPU profile of every
// n8n process of the big uploads and downloads and the throughput runs into DIR (node --cpu-prof;
// the profiler's own cost then shows in those figures).

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { cleanNpmEnv, N8N_VERSION, NODE24_VERSION, npmCommand, prepareN8n, REPO_ROOT } from '../n8n-local/prepare.mjs';
import { importCredentials, importWorkflow, installCommunityPackage, packPackage } from '../n8n-local/run.mjs';
import { cpuDuringNode, executeMeasured, nodeTask, runFailure, runSucceeded, timed } from './measure.mjs';
import { renderReport } from './report.mjs';
import { startUrlBench } from './urlUpload.mjs';
import { credentialsFor, READ_NODE, TOKEN, triggerWorkflow, uploaders, workflow } from './workflows.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const MB = 1024 * 1024;
const DOWNLOAD_ID = 'att_bench_download';

const { values: opts } = parseArgs({
	options: {
		concurrency: { type: 'string', default: '' },
		'rate-limit': { type: 'string', default: '100/10' },
		'soak-count': { type: 'string', default: '10000' },
		'soak-fail': { type: 'string', default: '0.1' },
		cases: { type: 'string', default: 'big,download,throughput,rateLimit,soak,sanity' },
		'big-modes': { type: 'string', default: 'filesystem,default' },
		'flat-mb': { type: 'string', default: '64,1024' },
		'cpu-prof': { type: 'string', default: '' },
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
	concurrency: opts.concurrency === '' ? undefined : Number(opts.concurrency),
	rateLimit: { requests: Number(opts['rate-limit'].split('/')[0]), windowMs: Number(opts['rate-limit'].split('/')[1]) * 1000 },
	soakCount: Number(opts['soak-count']),
	soakFailRate: Number(opts['soak-fail']),
	cases: new Set(opts.cases.split(',')),
	flatBytes: opts['flat-mb'] === '' ? [] : opts['flat-mb'].split(',').map((mb) => Number(mb) * MB),
	latencyMs: Number(opts['latency-ms']),
	bigBytes: Number(opts['big-mb']) * MB,
	smallCount: Number(opts['small-count']),
	smallBytes: Number(opts['small-kb']) * 1024,
	repeat: Math.max(1, Number(opts.repeat)),
	/** Throughput runs are short and the machine noisy: each workflow runs at least 3 times there, reported by median. */
	smallRounds: Math.max(3, Number(opts.repeat)),
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
		/** Forgets every request; `config`: { latencyMs, rateLimit, failRate } (see sink.mjs). */
		reset: (config = {}) => control('reset', {}).then(() => control('config', { latencyMs: 0, ...config })),
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

/** Output item i of `nodeName` belongs to input item i (pairedItem) and carries its file name. */
function orderKept(run, nodeName) {
	const inputs = nodeTask(run, READ_NODE)?.data?.main?.[0] ?? [];
	const outputs = nodeTask(run, nodeName)?.data?.main?.[0] ?? [];
	return (
		outputs.length === inputs.length &&
		outputs.every((item, j) => {
			const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
			const name = item.json.file_filename ?? item.json.filename;
			return paired?.item === j && (name === undefined || name === inputs[j].binary?.data?.fileName);
		})
	);
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
		// The default the package ships (Request Options → Concurrency), from the build just packed.
		config.defaultConcurrency = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dist/nodes/shared/requestOptions.js')).DEFAULT_CONCURRENCY;
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
		const soak = [];
		if (config.cases.has('soak')) {
			fs.mkdirSync(path.join(filesDir, 'soak'));
			for (let i = 0; i < config.soakCount; i++) {
				soak.push(writeRandomFile(path.join(filesDir, 'soak', `soak-${String(i).padStart(5, '0')}.bin`), 1024));
			}
		}
		const bigJson = writeInventJson(big, path.join(filesDir, 'big.json'));
		const flatFiles = config.cases.has('big')
			? config.flatBytes.map((bytes) => writeRandomFile(path.join(filesDir, `flat-${bytes / MB}.bin`), bytes))
			: [];

		sink = await startSinkProcess();
		log(`sink on ${sink.url} (pid ${sink.pid})`);

		const up = uploaders(sink.url);
		const workflows = {
			bigBaseline: workflow('benchBigBaseline', 'Bench: read 256 MB, no upload', big.file),
			bigInvent: workflow('benchBigInvent', 'Bench: 256 MB → Invent', big.file, [up.invent()]),
			bigCityPay: workflow('benchBigCityPay', 'Bench: 256 MB → CityPay', big.file, [up.cityPay()]),
			bigHttp: workflow('benchBigHttp', 'Bench: 256 MB → HTTP Request', big.file, [up.httpRequest()]),
			...Object.fromEntries(
				flatFiles.flatMap((f) => {
					const mb = f.size / MB;
					return [
						[`flat${mb}Baseline`, workflow(`benchFlat${mb}Baseline`, `Bench: read ${mb} MB, no upload`, f.file)],
						[`flat${mb}Invent`, workflow(`benchFlat${mb}Invent`, `Bench: ${mb} MB → Invent`, f.file, [up.invent()])],
						[`flat${mb}CityPay`, workflow(`benchFlat${mb}CityPay`, `Bench: ${mb} MB → CityPay`, f.file, [up.cityPay()])],
						[`flat${mb}Http`, workflow(`benchFlat${mb}Http`, `Bench: ${mb} MB → HTTP Request`, f.file, [up.httpRequest()])],
					];
				}),
			),
			smallInventDefault: workflow('benchSmallInvent5', 'Bench: small → Invent (default)', `${filesDir}/small/*.bin`, [up.invent()]),
			smallInvent: workflow('benchSmallInventN', 'Bench: small → Invent', `${filesDir}/small/*.bin`, [up.invent(config.concurrency)]),
			smallCityPayDefault: workflow('benchSmallCity5', 'Bench: small → CityPay (default)', `${filesDir}/small/*.bin`, [up.cityPay()]),
			smallCityPay: workflow('benchSmallCityN', 'Bench: small → CityPay', `${filesDir}/small/*.bin`, [up.cityPay(config.concurrency)]),
			smallHttp: workflow('benchSmallHttp', 'Bench: small → HTTP Request', `${filesDir}/small/*.bin`, [up.httpRequest()]),
			smallHttpCredential: workflow('benchSmallHttpCred', 'Bench: small → HTTP Request (credential)', `${filesDir}/small/*.bin`, [
				up.httpRequest({}, { withCredential: true }),
			]),
			smallHttpContinue: workflow('benchSmallHttpCont', 'Bench: small → HTTP Request (continue)', `${filesDir}/small/*.bin`, [
				up.httpRequest({ onError: 'continueRegularOutput' }),
			]),
			smallHttpRetry: workflow('benchSmallHttpRetry', 'Bench: small → HTTP Request (Retry On Fail)', `${filesDir}/small/*.bin`, [
				up.httpRequest({ retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 }),
			]),
			downloadCityPay: triggerWorkflow('benchDownloadCityPay', 'Bench: CityPay Download', up.cityPayDownload(DOWNLOAD_ID)),
			downloadHttp: triggerWorkflow('benchDownloadHttp', 'Bench: HTTP Request download', up.httpDownload(`${sink.url}/files/download.bin`)),
			soak: workflow('benchSoak', 'Bench: soak → CityPay (continue)', `${filesDir}/soak/*.bin`, [
				up.cityPay(undefined, { onError: 'continueRegularOutput' }),
			]),
			soakHttp: workflow('benchSoakHttp', 'Bench: soak → HTTP Request (continue)', `${filesDir}/soak/*.bin`, [
				up.httpRequest({ onError: 'continueRegularOutput' }),
			]),
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
		const execute = async (key, mode, sinkConfig = {}, { allowFailure = false, cpuProf = false, env = {} } = {}) => {
			await sink.reset(sinkConfig);
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
						...env,
						NODE_OPTIONS: [
							`--require ${path.join(here, 'n8n-preload.cjs')}`, // keeps the printed run small and whole
							...(cpuProf && opts['cpu-prof'] ? [`--cpu-prof --cpu-prof-dir=${path.resolve(opts['cpu-prof'], key)}`] : []),
						].join(' '),
					},
				});
			let result = await once();
			if (!result.run) {
				// Seen rarely under heavy load: n8n exits 0 having printed no run. Run it once more.
				log(`  ${key} (${mode}): n8n printed no run (${result.signal ?? `exit ${result.code}`}); running it again`);
				retries.push(`${key} (${mode})`);
				await sink.reset(sinkConfig);
				fs.rmSync(binaryDir, { recursive: true, force: true });
				result = await once();
			}
			const sinkState = await sink.requests();
			if (!runSucceeded(result) && !(allowFailure && result.run)) throw new Error(`${key} (${mode}): ${runFailure(result)}`);
			return { result, sinkState };
		};

		// ---- curl: the practical limit
		const curlRuns = { multipart: [], json: [] };
		for (let i = 0; i < (config.cases.has('big') ? 3 : 0); i++) {
			if (i === 0) log('curl: 3 uploads of each kind');
			for (const kind of ['multipart', 'json']) {
				await sink.reset();
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
		if (config.cases.has('big')) log(`curl multipart ${curl.multipart.wallMs.toFixed(0)} ms, JSON ${curl.json.wallMs.toFixed(0)} ms`);

		// ---- one 256 MB file, each binary data mode
		const bigRows = {};
		for (const mode of config.cases.has('big') ? opts['big-modes'].split(',') : []) {
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
					const { result, sinkState } = await execute(key, mode, {}, { cpuProf: true });
					const check = api ? verifyUploads(sinkState, api, [big]) : { ok: sinkState.requests.length === 0, problems: [], bytes: 0 };
					const task = nodeTask(result.run, nodeName);
					samples[label].push({
						nodeMs: task?.executionTime,
						cpuMs: cpuDuringNode(result.rssSamples, task),
						readMs: nodeTask(result.run, READ_NODE)?.executionTime,
						peakKb: result.peakKb,
						runPeakKb: result.runPeakKb,
						check,
					});
					log(`  node ${task?.executionTime} ms, CPU ${samples[label].at(-1).cpuMs} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
				}
			}
			bigRows[mode] = Object.fromEntries(
				Object.entries(samples).map(([label, s]) => [
					label,
					{
						nodeMs: median(s.map((x) => x.nodeMs)),
						cpuMs: median(s.map((x) => x.cpuMs)),
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

		// ---- one big download into binary data (filesystem mode): CityPay's Download beside the HTTP Request
		// node, each against the same workflow downloading a 1 KB file (its baseline)
		const download = {};
		const tiny = writeRandomFile(path.join(filesDir, 'tiny.bin'), 1024);
		for (const [label, key, nodeName] of config.cases.has('download')
			? [
					['cityPay', 'downloadCityPay', 'CityPay'],
					['httpRequest', 'downloadHttp', 'HTTP Request'],
				]
			: []) {
			download[label] = {};
			for (const [size, file] of [
				['small', tiny],
				['big', big],
			]) {
				log(`download ${(file.size / MB).toFixed(3)} MB: ${label}`);
				const sinkConfig = { download: { id: DOWNLOAD_ID, path: file.file, fileName: file.fileName, mimeType: 'application/octet-stream' } };
				const { result, sinkState } = await execute(key, 'filesystem', sinkConfig, { cpuProf: size === 'big' });
				const task = nodeTask(result.run, nodeName);
				const binary = task?.data?.main?.[0]?.[0]?.binary?.data;
				const served = sinkState.downloads[0];
				const verified = served?.complete === true && binary?.bytes === file.size;
				download[label][size] = { nodeMs: task?.executionTime, peakKb: result.peakKb, verified, bytes: binary?.bytes };
				log(`  node ${task?.executionTime} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${verified ? '' : `, CHECK FAILED (${JSON.stringify({ served, bytes: binary?.bytes })})`}`);
			}
		}

		// ---- the same uploads at other file sizes, filesystem mode: peak RSS must not grow with the file
		const flat = [];
		for (const f of flatFiles) {
			const mb = f.size / MB;
			const row = { mb };
			for (const [label, nodeName, api] of [
				['Baseline', READ_NODE, undefined],
				['Invent', 'Invent', 'invent'],
				['CityPay', 'CityPay', 'citypay'],
				['Http', 'HTTP Request', 'citypay'],
			]) {
				log(`flatness ${mb} MB: ${label}`);
				const { result, sinkState } = await execute(`flat${mb}${label}`, 'filesystem');
				const check = api ? verifyUploads(sinkState, api, [f]) : { ok: sinkState.requests.length === 0, problems: [] };
				row[label] = { nodeMs: nodeTask(result.run, nodeName)?.executionTime, peakKb: result.peakKb, verified: check.ok, problems: check.problems };
				log(`  node ${row[label].nodeMs} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
			}
			flat.push(row);
		}

		// ---- throughput: many small files against a sink with latency
		const throughput = [];
		const smallCases = !config.cases.has('throughput')
			? []
			: [
					['Invent', 'smallInventDefault', 'Invent', 'invent', 'default'],
					...(config.concurrency ? [['Invent', 'smallInvent', 'Invent', 'invent', config.concurrency]] : []),
					['CityPay', 'smallCityPayDefault', 'CityPay', 'citypay', 'default'],
					...(config.concurrency ? [['CityPay', 'smallCityPay', 'CityPay', 'citypay', config.concurrency]] : []),
					['HTTP Request node', 'smallHttp', 'HTTP Request', 'citypay', undefined],
					['HTTP Request node, Header Auth credential', 'smallHttpCredential', 'HTTP Request', 'citypay', undefined],
				];
		const smallSamples = smallCases.map(() => []);
		for (let round = 0; round < config.smallRounds; round++) {
			for (const [i, [label, key, nodeName, api, concurrency]] of smallCases.entries()) {
				log(`throughput: ${label} concurrency ${concurrency ?? 'n8n default'} (round ${round + 1}/${config.smallRounds})`);
				const { result, sinkState } = await execute(key, 'filesystem', { latencyMs: config.latencyMs }, { cpuProf: true });
				const check = verifyUploads(sinkState, api, small);
				const task = nodeTask(result.run, nodeName);
				const cpuMs = cpuDuringNode(result.rssSamples, task);
				const mainCpuMs = cpuDuringNode(result.rssSamples, task, 'mainCpuMs');
				smallSamples[i].push({ nodeMs: task?.executionTime, cpuMs, mainCpuMs, check, orderKept: orderKept(result.run, nodeName) });
				log(`  node ${task?.executionTime} ms, CPU ${cpuMs} ms (main thread ${mainCpuMs} ms), max in flight ${sinkState.maxInFlight}${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
			}
		}
		for (const [i, [label, , , , concurrency]] of smallCases.entries()) {
			const s = smallSamples[i];
			throughput.push({
				label,
				concurrency,
				nodeMs: median(s.map((x) => x.nodeMs)),
				cpuMs: median(s.map((x) => x.cpuMs)),
				mainCpuMs: median(s.map((x) => x.mainCpuMs)),
				maxInFlight: Math.max(...s.map((x) => x.check.maxInFlight)),
				verified: s.every((x) => x.check.ok),
				problems: s.flatMap((x) => x.check.problems),
				orderKept: s.every((x) => x.orderKept),
				runs: s.length,
			});
		}

		// ---- rate-limited API: ours at default settings, the HTTP Request node as it comes and with Retry On Fail
		const rateLimited = [];
		const rateCases = !config.cases.has('rateLimit')
			? []
			: [
					['Invent', 'smallInventDefault', 'Invent', 'invent'],
					['CityPay', 'smallCityPayDefault', 'CityPay', 'citypay'],
					['HTTP Request node, On Error: Continue', 'smallHttpContinue', 'HTTP Request', 'citypay'],
					['HTTP Request node, Retry On Fail (3 tries, 1 s apart)', 'smallHttpRetry', 'HTTP Request', 'citypay'],
				];
		for (const [label, key, nodeName, api] of rateCases) {
			log(`rate limit ${config.rateLimit.requests} per ${config.rateLimit.windowMs / 1000} s: ${label}`);
			const { result, sinkState } = await execute(key, 'filesystem', { latencyMs: config.latencyMs, rateLimit: config.rateLimit }, { allowFailure: true });
			const check = verifyUploads(sinkState, api, small);
			const task = nodeTask(result.run, nodeName);
			const outputs = task?.data?.main?.[0] ?? [];
			const row = {
				label,
				nodeMs: task?.executionTime,
				runFailed: !runSucceeded(result),
				runError: runSucceeded(result) ? undefined : runFailure(result).split('\n')[0].slice(0, 120),
				outputs: outputs.length,
				failedItems: outputs.filter((item) => item.json.error !== undefined).length,
				accepted: sinkState.requests.length,
				distinctFiles: new Set(sinkState.requests.flatMap((r) => r.files.map((f) => f.sha256))).size,
				throttled: sinkState.throttled,
				verified: check.ok,
				problems: check.problems,
				orderKept: orderKept(result.run, nodeName),
			};
			rateLimited.push(row);
			log(`  node ${row.nodeMs} ms, ${row.failedItems} failed items, ${row.accepted} uploads accepted, ${row.throttled} answered 429${row.runFailed ? `, run failed: ${row.runError}` : ''}`);
		}

		// ---- soak: many small items, the sink failing some at random
		let soakRow;
		if (config.cases.has('soak')) {
			log(`soak: ${soak.length} items through CityPay (Continue), ${config.soakFailRate * 100}% failing`);
			// The live heap after a full garbage collection every 500 ms (see ./n8n-preload.cjs), from a
			// second run: the forced collections would also keep the first run's RSS down. Read at the
			// 1,000th, the middle and the last upload the sink recorded (the last sample before it).
			const heapAlong = async (key) => {
				const file = path.join(tmp, `heap-${key}.log`);
				fs.rmSync(file, { force: true });
				const { sinkState } = await execute(key, 'filesystem', { failRate: config.soakFailRate }, { allowFailure: true, env: { BENCH_HEAP_LOG: file } });
				const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
				const samples = lines.map((line) => line.split(' ').map(Number)).map(([t, heapKb]) => ({ t, heapKb }));
				const uploads = sinkState.requests.length;
				return [1000, Math.floor(uploads / 2), uploads]
					.filter((n) => n > 0 && n <= uploads)
					.map((n) => ({ uploads: n, heapKb: samples.filter((x) => x.t <= sinkState.requests[n - 1].at).at(-1)?.heapKb }))
					.filter((x) => x.heapKb !== undefined);
			};
			const { result, sinkState } = await execute('soak', 'filesystem', { failRate: config.soakFailRate }, { allowFailure: true });
			const outputs = nodeTask(result.run, 'CityPay')?.data?.main?.[0] ?? [];
			const inputs = nodeTask(result.run, READ_NODE)?.data?.main?.[0] ?? [];
			const shas = sinkState.requests.flatMap((r) => r.files.map((f) => f.sha256));
			const wanted = new Set(soak.map((f) => f.sha256));
			const uploaded = outputs.filter((item) => item.json.error === undefined);
			/** VmRSS (KiB) of the n8n process when the sink had recorded its n-th upload. */
			const rssAtUpload = (n) => {
				const at = sinkState.requests[n - 1]?.at;
				if (at === undefined) return undefined;
				return result.rssSamples.filter((x) => x.t <= at).at(-1)?.rss;
			};
			const marks = [1000, Math.floor(sinkState.requests.length / 2), sinkState.requests.length].filter((n) => n > 0);
			// The HTTP Request node through the same faults, for how much of the growth is n8n's own.
			log(`soak: the same ${soak.length} items through the HTTP Request node (Continue)`);
			const http = await execute('soakHttp', 'filesystem', { failRate: config.soakFailRate }, { allowFailure: true });
			log('soak: both again, with a full garbage collection every 500 ms (live heap)');
			const heap = await heapAlong('soak');
			const httpHeap = await heapAlong('soakHttp');
			const httpOutputs = nodeTask(http.result.run, 'HTTP Request')?.data?.main?.[0] ?? [];
			const httpRssAt = (n) => {
				const at = http.sinkState.requests[n - 1]?.at;
				return at === undefined ? undefined : http.result.rssSamples.filter((x) => x.t <= at).at(-1)?.rss;
			};
			soakRow = {
				http: {
					outputs: httpOutputs.length,
					errorItems: httpOutputs.filter((item) => item.json.error !== undefined).length,
					accepted: http.sinkState.requests.length,
					nodeMs: nodeTask(http.result.run, 'HTTP Request')?.executionTime,
					rss: [1000, Math.floor(http.sinkState.requests.length / 2), http.sinkState.requests.length].map((n) => ({ uploads: n, rssKb: httpRssAt(n) })),
					heap: httpHeap,
					peakKb: http.result.peakKb,
				},
				items: soak.length,
				runOk: runSucceeded(result),
				outputs: outputs.length,
				errorItems: outputs.length - uploaded.length,
				uploaded: uploaded.length,
				faults: sinkState.faults,
				accepted: sinkState.requests.length,
				duplicates: shas.length - new Set(shas).size,
				unknown: shas.filter((sha) => !wanted.has(sha)).length,
				// Every successful output item's upload reached the sink, and every upload the sink kept is one output item.
				acceptedMatch: uploaded.length === sinkState.requests.length,
				orderKept:
					outputs.length === inputs.length &&
					outputs.every((item, j) => {
						const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
						return paired?.item === j && (item.json.error !== undefined || item.json.filename === inputs[j].binary?.data?.fileName);
					}),
				nodeMs: nodeTask(result.run, 'CityPay')?.executionTime,
				rss: marks.map((n) => ({ uploads: n, rssKb: rssAtUpload(n) })),
				heap,
				peakKb: result.peakKb,
			};
			log(`  ${JSON.stringify({ ...soakRow, rss: soakRow.rss.map((r) => `${r.uploads}: ${(r.rssKb / 1024).toFixed(0)} MB`) })}`);
		}

		// ---- Haptik and Leadway still work (small file, both modes)
		const sanityRows = [];
		for (const mode of config.cases.has('sanity') ? ['filesystem', 'default'] : []) {
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
		const urlRow = await urlBench.measure(execute, verifyUploads, nodeTask, paths.node);

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
			flat,
			download: download.cityPay ? download : undefined,
			throughput,
			rateLimited,
			soak: soakRow,
			sanity: sanityRows,
			retries,
		});
		report.markdown += urlBench.markdown(urlRow);
		fs.writeFileSync(opts.out, report.markdown);
		process.stdout.write(`${report.markdown}\n`);
		log(`wrote ${opts.out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
		if (!report.allVerified || !urlRow.verified || !urlRow.floor.verified) {
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
