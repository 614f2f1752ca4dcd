// What every benchmark case runs in: a real n8n with the package installed as a community
// package (plus the bench's floor node), the input files, the sink, the imported workflows,
// and `execute`, one measured `n8n execute` of a workflow with the sink's record of it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanNpmEnv, N8N_VERSION, NODE24_VERSION, npmCommand, prepareN8n, REPO_ROOT } from '../n8n-local/prepare.mjs';
import { importCredentials, importWorkflow, installCommunityPackage, packPackage } from '../n8n-local/run.mjs';
import { executeMeasured, runFailure, runSucceeded, timed } from './measure.mjs';
import { startSinkProcess } from './sinkProcess.mjs';
import { log, MB, writeRandomFile } from './util.mjs';
import { credentialsFor, uploaders } from './workflows.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FLOOR_NODE_FILE = path.join(here, 'floorNode', 'BenchReadBinary.node.js');

function run(cmd, args, { cwd, label }) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env: cleanNpmEnv(), stdio: ['ignore', process.stderr, process.stderr] });
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed (exit ${code})`))));
	});
}

/** The Concurrency default the package ships (Request Options), from the build about to be packed. */
function readDefaultConcurrency() {
	const require = createRequire(import.meta.url);
	const candidates = ['dist/nodes/shared/transport/index.js'];
	for (const file of candidates.map((candidate) => path.join(REPO_ROOT, candidate)).filter((file) => fs.existsSync(file))) {
		const value = require(file).DEFAULT_CONCURRENCY;
		if (value !== undefined) return value;
	}
	throw new Error(`no DEFAULT_CONCURRENCY exported by ${candidates.join(' or ')}: build the package first`);
}

/**
 * The input files, each written on first use: `big()`, `small()` (the throughput batch),
 * `sized(bytes)` (more sizes of the big case), `sanity()` (a small PDF), `soak(count)` (1 KB each).
 * A batch is { files, glob } (the glob for Read/Write Files from Disk).
 */
function inputFiles(config, filesDir) {
	const made = new Map();
	const once = (key, make) => (made.has(key) ? made.get(key) : made.set(key, make()).get(key));
	const batch = (folder, count, bytes, name) => {
		fs.mkdirSync(path.join(filesDir, folder), { recursive: true });
		const files = Array.from({ length: count }, (_, i) => writeRandomFile(path.join(filesDir, folder, name(i)), bytes));
		return { files, glob: `${filesDir}/${folder}/*.bin` };
	};
	return {
		big: () => once('big', () => writeRandomFile(path.join(filesDir, 'big.bin'), config.bigBytes)),
		sized: (bytes) => once(`sized${bytes}`, () => writeRandomFile(path.join(filesDir, `flat-${bytes / MB}.bin`), bytes)),
		tiny: () => once('tiny', () => writeRandomFile(path.join(filesDir, 'tiny.bin'), 1024)),
		sanity: () => once('sanity', () => writeRandomFile(path.join(filesDir, 'sanity.pdf'), 200 * 1024, Buffer.from('%PDF-1.4\n'))),
		small: () => once('small', () => batch('small', config.smallCount, config.smallBytes, (i) => `file-${String(i).padStart(3, '0')}.bin`)),
		soak: () => once('soak', () => batch('soak', config.soakCount, 1024, (i) => `soak-${String(i).padStart(5, '0')}.bin`)),
	};
}

/** Builds (unless --skip-build) and installs the package, and the floor node, into a fresh user folder. */
async function installPackages(ctx) {
	if (!ctx.config.skipBuild) {
		log('building the package (npm run build)');
		const npm = npmCommand();
		await run(npm.cmd, [...npm.pre, 'run', 'build'], { cwd: REPO_ROOT, label: 'npm run build' });
	}
	ctx.defaultConcurrency = readDefaultConcurrency();
	const tgz = await packPackage(REPO_ROOT, path.join(ctx.tmp, 'pack'));
	const installed = await installCommunityPackage(ctx.userFolder, tgz);
	log(`installed ${installed.name}@${installed.version} into ${installed.nodesDir}`);
	// n8n loads *.node.js files from <user folder>/.n8n/custom as CUSTOM.<name> node types.
	const customDir = path.join(ctx.userFolder, '.n8n', 'custom');
	fs.mkdirSync(customDir, { recursive: true });
	fs.copyFileSync(FLOOR_NODE_FILE, path.join(customDir, path.basename(FLOOR_NODE_FILE)));
}

/** Credentials pointing at the sink and every case's workflows, imported into n8n. */
async function importAll(ctx) {
	const workflowFile = path.join(ctx.tmp, 'workflows.json');
	fs.writeFileSync(workflowFile, JSON.stringify(Object.values(ctx.workflows), null, 2));
	const credentialFile = path.join(ctx.tmp, 'credentials.json');
	fs.writeFileSync(credentialFile, JSON.stringify(credentialsFor(ctx.sink.url), null, 2));
	log('importing credentials and workflows');
	await importCredentials(ctx.userFolder, credentialFile);
	await importWorkflow(ctx.userFolder, workflowFile);
	fs.rmSync(credentialFile); // holds plain (fake) tokens; n8n keeps them encrypted
}

/** One `n8n execute` of the workflow `key` in binary data mode `mode`, measured (./measure.mjs). */
function runOnce(ctx, key, mode, { cpuProf, env }) {
	const cpuProfDir = cpuProf && ctx.config.cpuProfDir ? path.join(ctx.config.cpuProfDir, key) : undefined;
	return executeMeasured(ctx.userFolder, ctx.workflows[key].id, {
		outDir: ctx.tmp,
		env: {
			N8N_EXPRESSION_ENGINE: 'legacy', // `n8n execute` can crash at shutdown with the vm engine
			N8N_DEFAULT_BINARY_DATA_MODE: mode,
			N8N_BINARY_DATA_STORAGE_PATH: ctx.binaryDir,
			N8N_RESTRICT_FILE_ACCESS_TO: ctx.filesDir, // Read/Write Files from Disk may read only there
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', // keep the saving of run data out of the figures
			...env,
			NODE_OPTIONS: [
				`--require ${path.join(here, 'n8n-preload.cjs')}`, // keeps the printed run small and whole
				...(cpuProfDir ? [`--cpu-prof --cpu-prof-dir=${cpuProfDir}`] : []),
			].join(' '),
		},
	});
}

/**
 * `execute(key, mode, sinkConfig, { allowFailure, cpuProf, env })` → { result, sinkState }:
 * the sink reset to `sinkConfig`, the binary data folder emptied, the workflow run once (twice
 * when n8n printed no run). Throws when the run failed, unless `allowFailure` and there is a run.
 */
function executor(ctx) {
	return async (key, mode, sinkConfig = {}, { allowFailure = false, cpuProf = false, env = {} } = {}) => {
		const fresh = async () => {
			await ctx.sink.reset(sinkConfig);
			fs.rmSync(ctx.binaryDir, { recursive: true, force: true });
		};
		await fresh();
		let result = await runOnce(ctx, key, mode, { cpuProf, env });
		if (!result.run) {
			// Seen rarely under heavy load: n8n exits 0 having printed no run. Run it once more.
			log(`  ${key} (${mode}): n8n printed no run (${result.signal ?? `exit ${result.code}`}); running it again`);
			ctx.retries.push(`${key} (${mode})`);
			await fresh();
			result = await runOnce(ctx, key, mode, { cpuProf, env });
		}
		const sinkState = await ctx.sink.requests();
		if (!runSucceeded(result) && !(allowFailure && result.run)) throw new Error(`${key} (${mode}): ${runFailure(result)}`);
		return { result, sinkState };
	};
}

/**
 * Everything the cases run in. Each case's `prepare(ctx)` makes its inputs and returns
 * { workflows, stop? }; all workflows are imported at once. Returns the context:
 * { config, paths, tmp, filesDir, userFolder, inputs, sink, nodes, workflows, prepared, execute, retries, defaultConcurrency }.
 */
export async function setUp(config, cases) {
	const paths = await prepareN8n();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-'));
	log(`temp folder ${tmp}`);
	const filesDir = path.join(tmp, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const ctx = { config, paths, tmp, filesDir, userFolder: path.join(tmp, 'user'), binaryDir: path.join(tmp, 'binaryData'), retries: [], prepared: {}, workflows: {} };
	try {
		await installPackages(ctx);
		ctx.inputs = inputFiles(config, filesDir);
		ctx.sink = await startSinkProcess();
		log(`sink on ${ctx.sink.url} (pid ${ctx.sink.pid})`);
		ctx.nodes = uploaders(ctx.sink.url);
		for (const benchCase of cases) {
			ctx.prepared[benchCase.name] = await benchCase.prepare(ctx);
			Object.assign(ctx.workflows, ctx.prepared[benchCase.name].workflows);
		}
		await importAll(ctx);
		ctx.execute = executor(ctx);
		return ctx;
	} catch (err) {
		await tearDown(ctx);
		throw err;
	}
}

/** Stops the sink and the cases' servers; removes the temp folder unless --keep. */
export async function tearDown(ctx) {
	await ctx.sink?.stop();
	for (const prepared of Object.values(ctx.prepared)) await prepared.stop?.();
	if (ctx.config.keep) log(`kept ${ctx.tmp}`);
	else fs.rmSync(ctx.tmp, { recursive: true, force: true });
}

/** The machine and software the figures come from, for the report's header. */
export async function describeMachine(ctx, loadBefore) {
	const nodeVersion = await timed(ctx.paths.node, ['--version']);
	const curlVersion = await timed('curl', ['--version']);
	return {
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.cpus().length,
		memoryGb: os.totalmem() / 1024 ** 3,
		kernel: `${os.type()} ${os.release()}`,
		benchNode: process.version,
		n8nNode: nodeVersion.stdout.trim() || `v${NODE24_VERSION}`,
		n8n: N8N_VERSION,
		curl: curlVersion.stdout.split('\n')[0],
		loadBefore,
		loadAfter: os.loadavg(),
	};
}
