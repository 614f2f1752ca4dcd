#!/usr/bin/env node
// `npm run dev`: real n8n with this package installed as a community package, the API sandbox,
// sandbox credentials and the example workflows, in one command. Ctrl-C stops all of it.
//
//   node scripts/dev.mjs [--port 5688] [--user-folder .n8n-local/dev] [--skip-build]
//   Sandbox ports: SANDBOX_<API>_PORT as for scripts/sandbox.mjs (defaults 5701-5704).
//
// Steps: prepare n8n (first time ~7 min, ~3 GB) → build → npm pack → install the tarball into
// <user folder>/.n8n/nodes → import credentials + examples → start sandbox and n8n.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { prepareN8n, npmCommand, REPO_ROOT } from './n8n-local/prepare.mjs';
import {
	DEFAULT_OWNER,
	DEFAULT_PORT,
	importCredentials,
	importWorkflow,
	installCommunityPackage,
	packPackage,
	setupOwner,
	startN8n,
	stopAll,
} from './n8n-local/run.mjs';
import { DEFAULT_PORTS, describeSandbox, sandboxCredentials, startSandbox } from './sandbox.mjs';

const log = (msg) => process.stderr.write(`[dev] ${msg}\n`);

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The example workflows as one array, the shape `n8n import:workflow` takes in one (slow) CLI run. */
export function exampleWorkflows() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: f, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) }));
}

/**
 * Installs the package and imports the sandbox credentials and examples into `userFolder`
 * (n8n must not be running on it: installs are read at startup). Used by dev and the e2e test.
 */
export async function provisionUserFolder(userFolder, { sandbox, tarball }) {
	const { name, version } = await installCommunityPackage(userFolder, tarball);
	log(`installed ${name}@${version} into ${path.join(userFolder, '.n8n', 'nodes')}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-import-'));
	try {
		// Sandbox tokens only; n8n encrypts them with the user folder's key on import.
		const credentialsFile = path.join(tmp, 'credentials.json');
		fs.writeFileSync(credentialsFile, JSON.stringify(sandboxCredentials(sandbox), null, 2));
		await importCredentials(userFolder, credentialsFile);
		const workflowsFile = path.join(tmp, 'workflows.json');
		const examples = exampleWorkflows();
		fs.writeFileSync(workflowsFile, JSON.stringify(examples.map((e) => e.workflow), null, 2));
		await importWorkflow(userFolder, workflowsFile);
		log(`imported 4 sandbox credentials and ${examples.length} example workflows`);
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

function runNpmScript(script) {
	return new Promise((resolve, reject) => {
		const npm = npmCommand();
		const child = spawn(npm.cmd, [...npm.pre, 'run', script], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
		child.once('error', reject);
		child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run ${script} failed (exit ${code})`))));
	});
}

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: process.env.N8N_PORT ?? String(DEFAULT_PORT) },
			'user-folder': { type: 'string', default: path.join(REPO_ROOT, '.n8n-local', 'dev') },
			'skip-build': { type: 'boolean', default: false },
		},
	});
	const userFolder = path.resolve(values['user-folder']);
	const port = Number(values.port);
	const ports = {};
	for (const name of Object.keys(DEFAULT_PORTS)) {
		const value = process.env[`SANDBOX_${name.toUpperCase()}_PORT`];
		if (value !== undefined) ports[name] = Number(value);
	}

	let sandbox;
	let stopping = false;
	// One handler for Ctrl-C: run.mjs's own hooks stop n8n; this one closes the sandbox first.
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			stopping = true;
			log(`${sig}: stopping the sandbox and n8n`);
			Promise.allSettled([sandbox?.stop(), stopAll()]).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
		});
	}

	await prepareN8n();
	if (!values['skip-build']) await runNpmScript('build');
	const tarball = await packPackage(REPO_ROOT);
	// The sandbox first: its URLs go into the imported credentials.
	sandbox = await startSandbox({ ports });
	fs.mkdirSync(userFolder, { recursive: true });
	try {
		await provisionUserFolder(userFolder, { sandbox, tarball });
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true }); // the install keeps its own copy
	}

	log(`starting n8n on port ${port} (user folder ${userFolder})`);
	// legacy expression engine: the default (isolated-vm) one sometimes crashes n8n on Node 24 at exit.
	const n8n = await startN8n({ userFolder, port, env: { N8N_EXPRESSION_ENGINE: 'legacy' } });
	const session = await setupOwner(n8n.url);
	n8n.child.once('exit', (code, signal) => {
		if (stopping) return;
		log(`n8n exited unexpectedly (${signal ?? `code ${code}`}); stopping the sandbox`);
		Promise.allSettled([sandbox.stop(), stopAll()]).finally(() => process.exit(code || 1));
	});

	process.stdout.write(
		[
			'',
			`n8n is up (started in ${(n8n.startupMs / 1000).toFixed(1)} s): http://localhost:${port}`,
			`Log in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}${session.created ? ' (owner just created)' : ''}`,
			`Workflows: the ${exampleWorkflows().length} examples (examples/*.json), using the "… Sandbox" credentials.`,
			'',
			'Sandbox APIs (data in memory, gone on exit):',
			describeSandbox(sandbox),
			'',
			'Ctrl-C stops n8n and the sandbox.',
			'',
		].join('\n'),
	);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch(async (err) => {
		log(`FAILED: ${err.message}`);
		await stopAll();
		process.exit(1);
	});
}
