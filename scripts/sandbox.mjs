#!/usr/bin/env node
// A sandbox of the four APIs on 127.0.0.1: the same doubles the tests use (test/doubles/),
// compiled with tsc into the git-ignored build/sandbox/, each keeping its data in memory.
// Nobody needs a vendor account to try the nodes, in `npm run dev` or by hand.
//
//   node scripts/sandbox.mjs [--invent-port 5701] [--haptik-port 5702]
//                            [--citypay-port 5703] [--leadway-port 5704] [--files-port 5705]
//   (or SANDBOX_INVENT_PORT, SANDBOX_HAPTIK_PORT, SANDBOX_CITYPAY_PORT, SANDBOX_LEADWAY_PORT,
//    SANDBOX_FILES_PORT; 0 picks a free port). Ctrl-C stops it.
// Beside the APIs, a plain file host (test/doubles/fileServer.ts) serves files for Input Type URL.
//
// Module: startSandbox({ ports }) → { services, stop() }, sandboxCredentials(sandbox).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(here, '..');
const BUILD_DIR = path.join(REPO_ROOT, 'build', 'sandbox');
const require = createRequire(import.meta.url);

export const DEFAULT_PORTS = Object.freeze({ invent: 5701, haptik: 5702, citypay: 5703, leadway: 5704 });

/** The file host's port for `npm run sandbox`; started from code without a `files` port, it takes a free one. */
export const DEFAULT_FILES_PORT = 5705;

/** Files the file host serves from the start, for trying Input Type URL. */
const SAMPLE_FILES = [
	['report.pdf', '%PDF-1.4\n% sandbox sample report\n%%EOF\n', 'application/pdf'],
	['notes.txt', 'Sandbox sample notes.\n', 'text/plain'],
];

/** Ids under which `npm run dev` and the e2e test import the sandbox credentials; examples/ use them. */
export const CREDENTIAL_IDS = Object.freeze({
	invent: 'sbxInventApi0001',
	haptik: 'sbxHaptikApi0001',
	citypay: 'sbxCityPayApi001',
	leadway: 'sbxLeadwayApi001',
});

const log = (msg) => process.stderr.write(`[sandbox] ${msg}\n`);

/** Compiles test/doubles to build/sandbox (about 2 s), so the sandbox always runs the doubles the tests run. */
export function buildDoubles() {
	const tsc = require.resolve('typescript/bin/tsc');
	const r = spawnSync(process.execPath, [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.sandbox.json')], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
	});
	if (r.status !== 0) {
		throw new Error(`compiling test/doubles failed:\n${(r.stdout + r.stderr).trim() || r.error?.message}`);
	}
}

function loadDouble(name) {
	return require(path.join(BUILD_DIR, `${name}.js`));
}

/**
 * Starts the four doubles (compiling them first unless `build: false`). `ports` maps a
 * service to a port; missing ones use DEFAULT_PORTS, 0 a free port. Returns { services, stop() }
 * where each service is { name, url, double, sample } (sample: what a user types into n8n).
 */
export async function startSandbox({ ports = {}, build = true } = {}) {
	if (build) buildDoubles();
	const invent = loadDouble('invent');
	const haptik = loadDouble('haptik');
	const citypay = loadDouble('citypay');
	const leadway = loadDouble('leadway');
	const fileServer = loadDouble('fileServer');
	const port = (name) => Number(ports[name] ?? DEFAULT_PORTS[name]);

	// HttpDouble.start() has no error path for a taken port: check first, for a clear message.
	for (const name of Object.keys(DEFAULT_PORTS)) if (port(name) !== 0) await assertPortFree(name, port(name));
	const filesPort = Number(ports.files ?? 0);
	if (filesPort !== 0) await assertPortFree('files', filesPort);

	const started = [];
	try {
		const inventDouble = await new invent.InventDouble().start(port('invent'));
		started.push(inventDouble);
		// A couple of contacts, so Contact → Get Many has something to list.
		inventDouble.addContacts(2);

		// HAPTIK_USER is registered by the double itself: Haptik only takes files from known users.
		const haptikDouble = await new haptik.HaptikDouble().start(port('haptik'));
		started.push(haptikDouble);

		const citypayDouble = await new citypay.CityPayDouble().start(port('citypay'));
		started.push(citypayDouble);

		// LEADWAY_LOCATION is known to the double itself: uploads need a location the token may use.
		const leadwayDouble = await new leadway.LeadwayDouble().start(port('leadway'));
		started.push(leadwayDouble);

		// Serves files to upload by URL, without any credential, as a public host would.
		const filesDouble = await new fileServer.FileServerDouble().start(filesPort);
		started.push(filesDouble);
		const sampleUrls = SAMPLE_FILES.map(([name, text, type]) => filesDouble.addFile(name, Buffer.from(text), type));

		const services = {
			invent: {
				name: 'Invent',
				url: inventDouble.url,
				double: inventDouble,
				sample: { 'API Key': invent.INVENT_API_KEY, 'Organization ID': 'c' },
			},
			haptik: {
				name: 'Haptik',
				url: haptikDouble.url,
				double: haptikDouble,
				sample: {
					Token: haptik.HAPTIK_TOKEN,
					'Client ID': haptik.HAPTIK_CLIENT_ID,
					'User Auth ID': haptik.HAPTIK_USER,
					'Business ID': 'any digits, e.g. 1234',
				},
			},
			citypay: {
				name: 'CityPay',
				url: citypayDouble.url,
				double: citypayDouble,
				sample: { Token: citypay.CITYPAY_TOKEN },
			},
			leadway: {
				name: 'Leadway',
				url: leadwayDouble.url,
				double: leadwayDouble,
				sample: { Token: leadway.LEADWAY_TOKEN, 'API Version': leadway.LEADWAY_VERSION, 'Location ID': leadway.LEADWAY_LOCATION },
			},
			files: {
				name: 'Files',
				url: filesDouble.url,
				double: filesDouble,
				sample: { 'File URL': sampleUrls[0], 'Any size': `${filesDouble.url}/generated/<bytes>/<name>` },
			},
		};
		return {
			services,
			stop: async () => {
				await Promise.all(started.map((d) => d.stop()));
			},
		};
	} catch (err) {
		await Promise.all(started.map((d) => d.stop()));
		throw err;
	}
}

function assertPortFree(name, port) {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', (err) =>
			reject(
				new Error(
					`sandbox: port ${port} for ${name} is not free (${err.code}); pick another with --${name}-port or SANDBOX_${name.toUpperCase()}_PORT`,
				),
			),
		);
		srv.listen(port, '127.0.0.1', () => srv.close(resolve));
	});
}

/** n8n credentials (the `import:credentials` format) that point each node at the sandbox. Sandbox tokens only. */
export function sandboxCredentials(sandbox) {
	const s = sandbox.services;
	return [
		{
			id: CREDENTIAL_IDS.invent,
			name: 'Invent Sandbox',
			type: 'inventApi',
			data: { apiKey: s.invent.sample['API Key'], baseUrl: s.invent.url },
		},
		{
			id: CREDENTIAL_IDS.haptik,
			name: 'Haptik Sandbox',
			type: 'haptikApi',
			data: { baseUrl: s.haptik.url, token: s.haptik.sample.Token, clientId: s.haptik.sample['Client ID'] },
		},
		{
			id: CREDENTIAL_IDS.citypay,
			name: 'CityPay Sandbox',
			type: 'cityPayApi',
			data: { token: s.citypay.sample.Token, baseUrl: s.citypay.url },
		},
		{
			id: CREDENTIAL_IDS.leadway,
			name: 'Leadway Sandbox',
			type: 'leadwayApi',
			data: {
				accessToken: s.leadway.sample.Token,
				apiVersion: s.leadway.sample['API Version'],
				baseUrl: s.leadway.url,
				locationId: s.leadway.sample['Location ID'],
			},
		},
	];
}

/** The lines `npm run sandbox` and `npm run dev` print: one block per API. */
export function describeSandbox(sandbox) {
	const lines = [];
	for (const service of Object.values(sandbox.services)) {
		lines.push(`${service.name.padEnd(8)} ${service.url}`);
		for (const [key, value] of Object.entries(service.sample)) lines.push(`         ${key}: ${value}`);
	}
	return lines.join('\n');
}

async function main() {
	const options = {};
	const names = [...Object.keys(DEFAULT_PORTS), 'files'];
	for (const name of names) options[`${name}-port`] = { type: 'string' };
	const { values } = parseArgs({ options });
	const ports = { files: DEFAULT_FILES_PORT };
	for (const name of names) {
		const value = values[`${name}-port`] ?? process.env[`SANDBOX_${name.toUpperCase()}_PORT`];
		if (value !== undefined) {
			if (!/^\d+$/.test(value)) throw new Error(`${name} port must be a number, got "${value}"`);
			ports[name] = Number(value);
		}
	}
	const sandbox = await startSandbox({ ports });
	process.stdout.write(`Sandbox APIs (data in memory, gone on exit):\n${describeSandbox(sandbox)}\nCtrl-C stops the sandbox.\n`);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => {
			sandbox.stop().finally(() => process.exit(0));
		});
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((err) => {
		log(`FAILED: ${err.message}`);
		process.exit(1);
	});
}
