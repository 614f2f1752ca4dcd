/**
 * The set-up the end-to-end files share: the packed package installed as a community package
 * into a fresh user folder of the prepared real n8n, the API sandbox with its credentials and
 * the example workflows imported, the file's own workflows too, then n8n started with its
 * owner account. Fails (never skips) with the reason when n8n cannot be prepared here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { provisionUserFolder } from '../../scripts/dev.mjs';
import { prepareN8n, REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import { freePort, importWorkflow, packPackage, setupOwner, startN8n, stopAll } from '../../scripts/n8n-local/run.mjs';
import { startSandbox } from '../../scripts/sandbox.mjs';

/** The legacy expression engine: the default one (isolated-vm) sometimes crashes `n8n execute` at exit. */
export const N8N_ENV = Object.freeze({ N8N_EXPRESSION_ENGINE: 'legacy' });

export const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

// Jest sets NODE_ENV=test; n8n then runs in its own test mode (and `n8n start` exits at once,
// silently). The n8n processes these files start must run as they do for users.
delete process.env.NODE_ENV;

/**
 * Options: `name` (names the user folder), `seed(sandbox)` (data the tests need, before the
 * import), `workflows(sandbox)` (workflows to import besides the examples), `beforeStart(userFolder)`.
 * Returns { userFolder, sandbox, n8n, session, stop() }.
 */
export async function startPackageInN8n({ name, seed = () => {}, workflows = () => [], beforeStart = async () => {} }) {
	await prepareN8n();
	for (const file of [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials]) {
		if (!fs.existsSync(path.join(REPO_ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
	}
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${name}-`));
	let sandbox;
	let n8n;
	const stop = async () => {
		await n8n?.stop();
		await stopAll();
		await sandbox?.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		const tarball = await packPackage(REPO_ROOT);
		sandbox = await startSandbox({ ports: { invent: 0, haptik: 0, citypay: 0, leadway: 0, files: 0 } });
		await seed(sandbox);
		await provisionUserFolder(userFolder, { sandbox, tarball });
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		const own = workflows(sandbox);
		if (own.length) {
			const file = path.join(userFolder, `${name}-workflows.json`);
			fs.writeFileSync(file, JSON.stringify(own));
			await importWorkflow(userFolder, file);
		}
		await beforeStart(userFolder);
		n8n = await startN8n({ userFolder, port: await freePort(), env: N8N_ENV });
		const session = await setupOwner(n8n.url);
		return { userFolder, sandbox, n8n, session, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
