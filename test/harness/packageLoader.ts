import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICredentialType, INodeType } from 'n8n-workflow';

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

interface PackageJson {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
}

export interface LoadedPackage {
	packageName: string;
	/** Keyed by the full node type, `<package name>.<node name>`, as n8n registers community nodes. */
	nodeTypes: Map<string, INodeType>;
	credentialTypes: Map<string, ICredentialType>;
}

export function readPackageJson(): PackageJson {
	return JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** `dist/nodes/Invent/Invent.node.js` → the TypeScript source it is built from. */
function sourceOf(distPath: string): string {
	return distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

/** Instantiates the class a file exports under the file's base name, as n8n's loader does. */
function instantiate<T>(file: string, suffix: string): T {
	const className = path.basename(file).replace(suffix, '').replace(/\.(js|ts)$/, '');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(PACKAGE_ROOT, file)) as Record<string, new () => T>;
	const Class = exported[className];
	if (typeof Class !== 'function') {
		throw new Error(`${file} does not export a class named ${className}`);
	}
	return new Class();
}

/**
 * Loads every node and credential listed in package.json's `n8n` block. With `from: 'dist'`
 * it loads the built files exactly as listed (as n8n does); with `from: 'source'` it loads
 * the TypeScript each listed file is built from.
 */
export function loadPackage(from: 'dist' | 'source'): LoadedPackage {
	const pkg = readPackageJson();
	const resolve = (file: string) => (from === 'dist' ? file : sourceOf(file));
	const nodeTypes = new Map<string, INodeType>();
	for (const file of pkg.n8n.nodes) {
		const nodeType = instantiate<INodeType>(resolve(file), '.node');
		nodeTypes.set(`${pkg.name}.${nodeType.description.name}`, nodeType);
	}
	const credentialTypes = new Map<string, ICredentialType>();
	for (const file of pkg.n8n.credentials) {
		const credentialType = instantiate<ICredentialType>(resolve(file), '.credentials');
		credentialTypes.set(credentialType.name, credentialType);
	}
	return { packageName: pkg.name, nodeTypes, credentialTypes };
}
