#!/usr/bin/env node
// Starts the real n8n prepared by prepare.mjs, for `npm run dev` and end-to-end tests.
//
// CLI (runs until Ctrl-C, then stops everything it started):
//   node scripts/n8n-local/run.mjs [--user-folder DIR] [--port 5688] [--broker-port N]
//                                  [--install path/to/package.tgz]... [--pack DIR]... [--quiet]
//   --pack DIR runs `npm pack` in DIR (which must be built) and installs the tarball.
//   Default user folder: .n8n-local/user (kept between runs). The owner account
//   (DEFAULT_OWNER below) is created on first start, or logged into afterwards.
//
// Module: startN8n(), setupOwner(), installCommunityPackage(), packPackage(), importCredentials(),
// importWorkflow(), executeWorkflow(), stopAll(). Every n8n process runs in its own process
// group, so stop() takes its task runners down with it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { prepareN8n, npmCommand, cleanNpmEnv, REPO_ROOT } from './prepare.mjs';

export const DEFAULT_PORT = 5688; // 5678 is n8n's default (may be in use), 5679 its task broker's
export const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	firstName: 'Dev',
	lastName: 'Owner',
	password: 'Passw0rd-dev', // n8n wants 8+ characters with a digit and a capital
});
const READY_LINE = 'Editor is now accessible via';

const log = (msg) => process.stderr.write(`[n8n-local] ${msg}\n`);

// ---------------------------------------------------------------- processes

const running = new Set(); // child processes (group leaders) still alive
let hooksInstalled = false;
let shuttingDown = false; // set on Ctrl-C: children exiting then is expected

function installExitHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	// Last resort when the parent exits without calling stop(): synchronous SIGKILL of each group.
	process.on('exit', () => {
		for (const child of running) killGroup(child, 'SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			shuttingDown = true;
			log(`${sig}: stopping n8n processes`);
			stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
		});
	}
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// group already gone
	}
}

/** Stops one child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopChild(child, graceMs = 15_000) {
	if (!running.has(child)) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	killGroup(child, 'SIGTERM');
	// unref: a pending grace timer must not keep the calling process (a test run) alive.
	const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
	if ((await Promise.race([exited, timer])) === 'timeout') {
		log(`pid ${child.pid} did not stop in ${graceMs} ms; killing its process group`);
	}
	// Also kills what the leader left behind (task runner) even after a clean exit.
	killGroup(child, 'SIGKILL');
	running.delete(child);
}

export async function stopAll() {
	await Promise.all([...running].map((c) => stopChild(c)));
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', (err) =>
			reject(new Error(`port ${port} is not free (${err.code}); pick another with --port / N8N_PORT`)),
		);
		srv.listen(port, '127.0.0.1', () => srv.close(resolve));
	});
}

/**
 * Environment for any n8n process on `userFolder`. Quiet and offline: no telemetry, version
 * checks, templates or banners (there is no internet on these machines).
 */
export function n8nEnv({ userFolder, port = DEFAULT_PORT, brokerPort, env = {} }, paths) {
	// Settings of a calling `npm run ...` must not leak into n8n (its npm calls, node options).
	const base = cleanNpmEnv();
	delete base.NODE_OPTIONS;
	return {
		...base,
		// Node 24 first, so whatever n8n spawns with `node` (task runner, npm) uses it too.
		PATH: `${path.dirname(paths.node)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? port + 1),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry', // fetches api.n8n.io at startup, logs stack traces offline
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', // what we install is unverified by definition
		N8N_SECURE_COOKIE: 'false', // plain http on localhost
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...env,
	};
}

/**
 * Starts `n8n start` and resolves once the editor really answers. Returns a handle:
 * { url, port, userFolder, child, logs(), stop() }.
 * Options: userFolder (required), port, brokerPort, env (extra vars), echo (copy n8n's output
 * to stderr), logFile, timeoutMs.
 */
export async function startN8n({
	userFolder,
	port = DEFAULT_PORT,
	brokerPort,
	env = {},
	echo = false,
	logFile,
	timeoutMs = 180_000,
} = {}) {
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	const paths = await prepareN8n();
	await assertPortFree(port);
	brokerPort ??= port + 1;
	await assertPortFree(brokerPort);
	fs.mkdirSync(userFolder, { recursive: true });
	installExitHooks();

	const started = Date.now();
	const child = spawn(paths.node, [paths.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnv({ userFolder, port, brokerPort, env }, paths),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group: stop() reaches the task runner too
	});
	running.add(child);
	child.once('exit', () => {
		killGroup(child, 'SIGKILL'); // a task runner left behind if n8n died on its own
		running.delete(child);
	});

	let output = '';
	const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	const ready = new Promise((resolve, reject) => {
		const onData = (buf) => {
			const text = buf.toString();
			output += text;
			if (output.length > 2_000_000) output = output.slice(-1_000_000);
			if (echo) process.stderr.write(text);
			logStream?.write(text);
			if (output.includes(READY_LINE)) resolve();
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('error', reject);
		child.once('exit', (code, signal) =>
			reject(new Error(`n8n exited during startup (${signal ?? `code ${code}`}). Last output:\n${output.slice(-3000)}`)),
		);
	});

	const url = `http://127.0.0.1:${port}`;
	const handle = {
		url,
		port,
		brokerPort,
		userFolder: path.resolve(userFolder),
		child,
		logs: () => output,
		stop: async () => {
			await stopChild(child);
			logStream?.end();
		},
	};

	try {
		await withTimeout(ready, timeoutMs, `n8n did not print "${READY_LINE}" within ${timeoutMs} ms`);
		// The log line comes right before the routes are served; confirm the editor HTML.
		await waitFor(async () => {
			const res = await fetch(`${url}/`);
			return res.ok && (res.headers.get('content-type') ?? '').includes('text/html');
		}, 30_000, 'GET / did not return the editor HTML');
	} catch (err) {
		await handle.stop();
		throw new Error(`${err.message}\n--- last n8n output ---\n${output.slice(-3000)}`);
	}
	handle.startupMs = Date.now() - started;
	return handle;
}

function withTimeout(promise, ms, message) {
	let t;
	return Promise.race([
		promise,
		new Promise((_, reject) => {
			t = setTimeout(() => reject(new Error(message)), ms);
		}),
	]).finally(() => clearTimeout(t));
}

async function waitFor(check, ms, message) {
	const end = Date.now() + ms;
	for (;;) {
		try {
			if (await check()) return;
		} catch {
			// not up yet
		}
		if (Date.now() > end) throw new Error(message);
		await new Promise((r) => setTimeout(r, 250));
	}
}

// ---------------------------------------------------------------- REST

/**
 * A logged-in REST client for `baseUrl`. Creates the owner on a fresh instance
 * (POST /rest/owner/setup), else logs in (POST /rest/login). Returns
 * { created, cookie ('n8n-auth=...'), user, get(path), post(path, body), request(method, path, body) }.
 */
export async function setupOwner(baseUrl, owner = DEFAULT_OWNER) {
	const settings = await restCall(baseUrl, 'GET', '/rest/settings');
	const needsSetup = settings.data?.userManagement?.showSetupOnFirstLoad === true;
	const res = needsSetup
		? await rawCall(baseUrl, 'POST', '/rest/owner/setup', owner)
		: await rawCall(baseUrl, 'POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	const body = await res.json().catch(() => ({}));
	if (!res.ok) {
		throw new Error(`${needsSetup ? 'owner setup' : 'login'} failed: HTTP ${res.status} ${JSON.stringify(body)}`);
	}
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`${needsSetup ? 'owner setup' : 'login'} returned no n8n-auth cookie`);
	const request = (method, p, b) => restCall(baseUrl, method, p, b, cookie);
	return {
		created: needsSetup,
		cookie,
		user: body.data,
		request,
		get: (p) => request('GET', p),
		post: (p, b) => request('POST', p, b),
	};
}

async function rawCall(baseUrl, method, p, body, cookie) {
	return fetch(`${baseUrl}${p}`, {
		method,
		// No `browser-id` header on purpose: n8n then does not bind the cookie to one, so the
		// same cookie also works in a browser (Playwright) whose frontend sends its own id.
		headers: {
			...(body !== undefined && { 'content-type': 'application/json' }),
			...(cookie && { cookie }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

async function restCall(baseUrl, method, p, body, cookie) {
	const res = await rawCall(baseUrl, method, p, body, cookie);
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 500)}`);
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Names of all node types the running n8n has loaded (needs a logged-in session). */
export async function nodeTypeNames(session) {
	const types = await session.get('/types/nodes.json');
	return [...new Set(types.map((t) => t.name))];
}

// ---------------------------------------------------------------- CLI commands

/** Runs an n8n CLI command on `userFolder` with Node 24; resolves { code, stdout, stderr }. */
export async function n8nCli(userFolder, args, { env = {}, timeoutMs = 300_000 } = {}) {
	const paths = await prepareN8n();
	installExitHooks();
	// Each CLI run may start its own task broker (execute does): give it a free port so it
	// cannot clash with a running server.
	const brokerPort = await freePort();
	return new Promise((resolve, reject) => {
		const child = spawn(paths.node, [paths.n8nBin, ...args], {
			cwd: userFolder,
			env: n8nEnv({ userFolder, port: DEFAULT_PORT, brokerPort, env }, paths),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		running.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (b) => (stdout += b));
		child.stderr.on('data', (b) => (stderr += b));
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}${stderr}`.slice(-4000)));
		}, timeoutMs);
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			killGroup(child, 'SIGKILL'); // the task runner it may have started
			running.delete(child);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

async function n8nCliOk(userFolder, args, opts) {
	const r = await n8nCli(userFolder, args, opts);
	if (r.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} failed (${r.signal ?? `exit ${r.code}`}):\n${(r.stdout + r.stderr).slice(-4000)}`);
	}
	return r;
}

/** `n8n import:workflow --input=<file>` (a workflow object or an array; keep an `id` in it to execute by id). */
export async function importWorkflow(userFolder, file) {
	return n8nCliOk(userFolder, ['import:workflow', `--input=${path.resolve(file)}`]);
}

/** `n8n import:credentials --input=<file>` (plain `data` objects are encrypted on import). */
export async function importCredentials(userFolder, file) {
	return n8nCliOk(userFolder, ['import:credentials', `--input=${path.resolve(file)}`]);
}

/**
 * `n8n execute --id=<id> --rawOutput`: runs a workflow headless, returns the parsed run
 * (`{ data: { resultData: { runData, lastNodeExecuted, error? } }, status, ... }`).
 * Throws when the execution fails, with n8n's output attached. `env` adds variables.
 */
export async function executeWorkflow(userFolder, id, { env = {} } = {}) {
	const r = await n8nCli(userFolder, ['execute', `--id=${id}`, '--rawOutput'], { env });
	const run = parseRunJson(r.stdout);
	const succeeded = run?.finished === true && run.status === 'success' && !run.data?.resultData?.error;
	// With the default 'vm' expression engine (isolated-vm), `n8n execute` on Node 24 sometimes
	// dies of SIGSEGV while tearing down, after it printed the complete result (more often under
	// CPU load; never seen with N8N_EXPRESSION_ENGINE=legacy). The run itself is done by then.
	if (r.signal && succeeded) {
		log(`note: n8n execute exited by ${r.signal} after printing a successful run (known isolated-vm teardown crash)`);
		return run;
	}
	if (r.code !== 0 || !succeeded) {
		const err = new Error(`n8n execute --id=${id} failed (${r.signal ?? `exit ${r.code}`}):\n${(r.stdout + r.stderr).slice(-4000)}`);
		err.run = run;
		throw err;
	}
	return run;
}

// Log lines can precede the JSON on stdout, and follow it when the run failed (n8n logs the run,
// then the error): the run is the last top-level "{" ... "}" block.
function parseRunJson(stdout) {
	const lines = stdout.split('\n');
	for (let end = lines.length - 1; end >= 0; end--) {
		if (lines[end] !== '}') continue;
		const start = lines.lastIndexOf('{', end);
		if (start === -1) return undefined;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// keep looking further up
		}
	}
	return undefined;
}

/** Items (json only) the given node output on its first run, first output. */
export function nodeOutput(run, nodeName = run.data.resultData.lastNodeExecuted) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main?.[0] ?? []).map((item) => item.json);
}

// ---------------------------------------------------------------- community packages

/**
 * Installs a packed community package the way users get one: into <userFolder>/.n8n/nodes,
 * a folder with its own package.json. n8n loads packages named n8n-nodes-* (or
 * @scope/n8n-nodes-*) from its node_modules at startup: restart n8n afterwards.
 * --legacy-peer-deps: the package's n8n-workflow peer is resolved from n8n's own install.
 * Returns { nodesDir, name, version }.
 */
export async function installCommunityPackage(userFolder, tarball) {
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'tarballs'), { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2) + '\n');
	}
	const { name, version } = JSON.parse(
		await runQuiet('tar', ['-xzOf', path.resolve(tarball), 'package/package.json'], { cwd: nodesDir }),
	);
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(name)) {
		throw new Error(`${name}: n8n only loads community packages named n8n-nodes-* or @scope/n8n-nodes-*`);
	}
	// package.json records the tarball's path: keep a copy beside it so that later installs still
	// resolve it after the original is gone, and drop the old copy so that a rebuilt package with
	// an unchanged version really replaces the installed files.
	const kept = path.join(nodesDir, 'tarballs', `${name.replace('/', '-')}.tgz`);
	fs.copyFileSync(path.resolve(tarball), kept);
	fs.rmSync(path.join(nodesDir, 'node_modules', name), { recursive: true, force: true });
	const npm = npmCommand();
	await runQuiet(
		npm.cmd,
		[...npm.pre, 'install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', `file:tarballs/${path.basename(kept)}`],
		{ cwd: nodesDir },
	);
	return { nodesDir, name, version };
}

/** `npm pack` in `dir` (must already be built: lifecycle scripts are skipped); returns the tarball's path. */
export async function packPackage(dir, destDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'))) {
	fs.mkdirSync(destDir, { recursive: true });
	const npm = npmCommand();
	const out = await runQuiet(npm.cmd, [...npm.pre, 'pack', '--json', '--ignore-scripts', '--pack-destination', destDir], { cwd: dir });
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return path.join(destDir, info.filename);
}

function runQuiet(cmd, args, { cwd }) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd, env: cleanNpmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (b) => (out += b));
		child.stderr.on('data', (b) => (err += b));
		child.once('error', reject);
		child.once('close', (code) =>
			code === 0 ? resolve(out) : reject(new Error(`${[cmd, ...args].join(' ')} failed in ${cwd} (exit ${code}):\n${(out + err).slice(-3000)}`)),
		);
	});
}

// ---------------------------------------------------------------- CLI

async function main() {
	const { values } = parseArgs({
		options: {
			'user-folder': { type: 'string', default: path.join(REPO_ROOT, '.n8n-local', 'user') },
			port: { type: 'string', default: process.env.N8N_PORT ?? String(DEFAULT_PORT) },
			'broker-port': { type: 'string' },
			install: { type: 'string', multiple: true, default: [] },
			pack: { type: 'string', multiple: true, default: [] },
			quiet: { type: 'boolean', default: false },
		},
	});
	const userFolder = path.resolve(values['user-folder']);
	const port = Number(values.port);
	const brokerPort = values['broker-port'] ? Number(values['broker-port']) : undefined;

	await prepareN8n();
	for (const t of values.install) {
		const { name, version } = await installCommunityPackage(userFolder, t);
		log(`installed ${name}@${version} from ${t}`);
	}
	for (const dir of values.pack) {
		const tgz = await packPackage(path.resolve(dir));
		const { name, version } = await installCommunityPackage(userFolder, tgz);
		fs.rmSync(path.dirname(tgz), { recursive: true, force: true }); // the install keeps its own copy
		log(`packed and installed ${name}@${version} from ${dir}`);
	}

	log(`starting n8n on port ${port} (user folder ${userFolder})`);
	const n8n = await startN8n({ userFolder, port, brokerPort, echo: !values.quiet });
	const session = await setupOwner(n8n.url);
	log(`n8n is up in ${(n8n.startupMs / 1000).toFixed(1)} s: http://localhost:${port}`);
	log(`owner ${session.created ? 'created' : 'exists'}: ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`);
	log('Ctrl-C stops n8n and its task runner');
	n8n.child.once('exit', (code, signal) => {
		if (shuttingDown) return;
		log(`n8n exited unexpectedly (${signal ?? `code ${code}`})`);
		stopAll().finally(() => process.exit(code || 1));
	});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch(async (err) => {
		log(`FAILED: ${err.message}`);
		await stopAll();
		process.exit(1);
	});
}
