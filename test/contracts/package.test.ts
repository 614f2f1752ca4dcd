/**
 * The package as n8n sees it: every node and credential loaded from the paths in
 * package.json's `n8n` block of the build (`npm test` builds first), and an upload run
 * through the built files with n8n's default (in-memory) binary data mode.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { InventDouble } from '../doubles/invent';
import { sha256 } from '../doubles/httpDouble';
import { credentialsFor, useBinaryData, useDoubles } from '../harness/apiDoubles';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';
import { loadPackage, PACKAGE_ROOT, readPackageJson } from '../harness/packageLoader';

const pkgJson = readPackageJson();

function iconFiles(icon: unknown, fromFile: string): string[] {
	const paths = typeof icon === 'string' ? [icon] : Object.values((icon ?? {}) as Record<string, string>);
	return paths.map((entry) => path.resolve(path.dirname(fromFile), entry.replace(/^file:/, '')));
}

describe('built package', () => {
	it('lists built files that exist, with form-data and mime-types as the only dependencies', () => {
		for (const file of [...pkgJson.n8n.nodes, ...pkgJson.n8n.credentials]) {
			expect(existsSync(path.join(PACKAGE_ROOT, file))).toBe(true);
		}
		const full = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
		expect(Object.keys(full.dependencies).sort()).toEqual(['form-data', 'mime-types']);
		expect(full.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(full.keywords).toContain('n8n-community-node-package');
	});

	it('loads every node and credential from dist, with usable icons and codex files', () => {
		const pkg = loadPackage('dist');
		expect(pkg.nodeTypes.size).toBe(pkgJson.n8n.nodes.length);
		expect(pkg.credentialTypes.size).toBe(pkgJson.n8n.credentials.length);

		for (const [index, file] of pkgJson.n8n.nodes.entries()) {
			const absolute = path.join(PACKAGE_ROOT, file);
			const nodeType = [...pkg.nodeTypes.values()][index];
			expect(nodeType.description.usableAsTool).toBe(true);
			const icons = iconFiles(nodeType.description.icon, absolute);
			expect(icons).toHaveLength(2);
			for (const icon of icons) expect(readFileSync(icon, 'utf8')).toMatch(/^<svg/);
			const codex = JSON.parse(readFileSync(absolute.replace(/\.js$/, '.json'), 'utf8'));
			expect(codex.node).toBe(`${pkgJson.name}.${nodeType.description.name}`);
			for (const { name } of nodeType.description.credentials ?? []) {
				expect(pkg.credentialTypes.has(name)).toBe(true);
			}
		}
		for (const [index, file] of pkgJson.n8n.credentials.entries()) {
			const credentialType = [...pkg.credentialTypes.values()][index];
			const icons = iconFiles(credentialType.icon, path.join(PACKAGE_ROOT, file));
			for (const icon of icons) expect(existsSync(icon)).toBe(true);
			for (const property of credentialType.properties) {
				if (/key|token|secret|password/i.test(property.name)) {
					expect(property.typeOptions?.password).toBe(true);
				}
			}
		}
	});

	it('npm pack ships only built files, icons, README, LICENSE and package.json', () => {
		const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: PACKAGE_ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		});
		const [{ files }] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
		const paths = files.map((file) => file.path);
		expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
		const unexpected = paths.filter(
			(file) =>
				!['package.json', 'README.md', 'LICENSE'].includes(file) &&
				!/^dist\/.+\.(js|d\.ts|json|svg)$/.test(file),
		);
		expect(unexpected).toEqual([]);
		expect(paths.some((file) => file.startsWith('dist/test'))).toBe(false);
	});

	describe('runs an upload through the built files in default binary mode', () => {
		const invent = new InventDouble();
		useBinaryData('default');
		useDoubles([invent]);

		it('uploads a PNG byte for byte', async () => {
			const [{ id: contactId }] = invent.addContacts(1);
			const png = fixture('logo.png');
			const result = await runNode({
				pkg: loadPackage('dist'),
				node: { type: 'invent', parameters: { resource: 'contactFile', operation: 'upload', contactId } },
				input: [{ files: [{ fileName: 'logo.png', content: png }] }],
				credentials: credentialsFor(invent),
			});

			expect(result.error).toBeUndefined();
			// Default mode keeps the bytes in the execution data, not in binary storage.
			const sourceItem = result.run.data.resultData.runData['File Source'][0].data!.main[0]![0];
			expect(sourceItem.binary!.data.id).toBeUndefined();
			expect(invent.files[0].sha256).toBe(sha256(png));
			expect(result.items[0].json.file_filename).toBe('logo.png');
		});
	});
});
