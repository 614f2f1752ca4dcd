/**
 * What a user sees in the editor, read from the built package as n8n loads it: an icon per
 * vendor that can be told apart on the canvas, subtitles that say what a node does, secret
 * credential fields masked, and Base URL hints that explain the default host.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INode, INodeProperties, INodeType, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import type { LoadedPackage } from '../harness/packageLoader';
import { loadPackage, PACKAGE_ROOT, readPackageJson } from '../harness/packageLoader';

const pkgJson = readPackageJson();
let pkg: LoadedPackage;

beforeAll(() => {
	pkg = loadPackage('dist');
});

/** The built node file each loaded node type came from (same order as package.json). */
function nodeEntries(): Array<{ file: string; nodeType: INodeType }> {
	const nodeTypes = [...pkg.nodeTypes.values()];
	return pkgJson.n8n.nodes.map((file, index) => ({ file: path.join(PACKAGE_ROOT, file), nodeType: nodeTypes[index] }));
}

function themedIconFiles(icon: unknown, fromFile: string): { light: string; dark: string } {
	expect(icon).toEqual({ light: expect.stringMatching(/^file:.+\.svg$/), dark: expect.stringMatching(/^file:.+\.dark\.svg$/) });
	const { light, dark } = icon as { light: string; dark: string };
	const resolve = (entry: string) => path.resolve(path.dirname(fromFile), entry.replace(/^file:/, ''));
	return { light: resolve(light), dark: resolve(dark) };
}

/** The colour of an icon's first filled shape: its background, the colour a user sees first. */
function mainColour(svg: string): string {
	const match = /fill="(#[0-9a-f]{6})"/i.exec(svg);
	if (!match) throw new Error(`no main fill colour in ${svg.slice(0, 80)}`);
	return match[1].toLowerCase();
}

function hue(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
	const max = Math.max(r, g, b);
	const delta = max - Math.min(r, g, b);
	if (delta === 0) return 0;
	const h = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
	return (h * 60 + 360) % 360;
}

function hueDistance(a: string, b: string): number {
	const d = Math.abs(hue(a) - hue(b));
	return Math.min(d, 360 - d);
}

describe('icons', () => {
	it('each node has a light and a dark SVG in dist, and its credential uses the same two', () => {
		for (const { file, nodeType } of nodeEntries()) {
			const icons = themedIconFiles(nodeType.description.icon, file);
			expect(icons.light).not.toBe(icons.dark);
			for (const icon of [icons.light, icons.dark]) {
				expect(icon.startsWith(path.join(PACKAGE_ROOT, 'dist', 'icons') + path.sep)).toBe(true);
				expect(readFileSync(icon, 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 64 64"/);
			}
			const [{ name }] = nodeType.description.credentials!;
			const credentialFile = pkgJson.n8n.credentials.find((entry) => entry.includes(`/${pkg.credentialTypes.get(name)!.constructor.name}.`))!;
			expect(themedIconFiles(pkg.credentialTypes.get(name)!.icon, path.join(PACKAGE_ROOT, credentialFile))).toEqual(icons);
		}
	});

	it.each(['light', 'dark'] as const)('the %s icons of the four vendors differ in file and in main colour', (theme) => {
		const svgs = nodeEntries().map(({ file, nodeType }) => {
			return readFileSync(themedIconFiles(nodeType.description.icon, file)[theme], 'utf8');
		});
		expect(svgs).toHaveLength(4);
		expect(new Set(svgs).size).toBe(svgs.length);
		const colours = svgs.map(mainColour);
		expect(new Set(colours).size).toBe(colours.length);
		// Two teals are different hex codes but look alike on the canvas: ask for different hues.
		for (const [i, a] of colours.entries()) {
			for (const b of colours.slice(i + 1)) expect(hueDistance(a, b)).toBeGreaterThanOrEqual(30);
		}
	});

	it('each vendor has a dark icon that is not its light one', () => {
		for (const { file, nodeType } of nodeEntries()) {
			const { light, dark } = themedIconFiles(nodeType.description.icon, file);
			expect(mainColour(readFileSync(dark, 'utf8'))).not.toBe(mainColour(readFileSync(light, 'utf8')));
		}
	});
});

/** Every resource:operation pair a node offers, read from its Resource and Operation parameters. */
function offeredPairs(properties: INodeProperties[]): string[] {
	const resources = properties.find((property) => property.name === 'resource')!.options as Array<{ value: string }>;
	return resources.flatMap(({ value: resource }) => {
		const selector = properties.find(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
		);
		expect(selector).toBeDefined();
		return (selector!.options as Array<{ value: string }>).map(({ value }) => `${resource}:${value}`);
	});
}

/** The subtitle's lookup table, parsed (not evaluated) from the expression text. */
function subtitleTable(subtitle: string): Record<string, string> {
	const match = /^=\{\{ (\{.*\})\[\$parameter\["resource"\] \+ ":" \+ \$parameter\["operation"\]\] \}\}$/.exec(subtitle);
	if (!match) throw new Error(`subtitle is not a resource:operation lookup: ${subtitle}`);
	return JSON.parse(match[1]) as Record<string, string>;
}

/** The subtitle as n8n's expression engine resolves it for a node with these parameters. */
function resolveSubtitle(nodeType: INodeType, parameters: Record<string, string>): unknown {
	const node: INode = {
		id: 'subtitle',
		name: nodeType.description.displayName,
		type: `${pkgJson.name}.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(nodeType),
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle, 'internal', {});
}

describe('subtitles', () => {
	it.each(['invent', 'haptik', 'cityPay', 'leadway'])('%s: every resource and operation it offers has a subtitle', (name) => {
		const nodeType = [...pkg.nodeTypes.values()].find((type) => type.description.name === name)!;
		const table = subtitleTable(nodeType.description.subtitle!);
		const pairs = offeredPairs(nodeType.description.properties);
		expect(pairs.length).toBeGreaterThan(0);
		for (const pair of pairs) {
			const [resource, operation] = pair.split(':');
			const shown = resolveSubtitle(nodeType, { resource, operation });
			expect({ pair, shown }).toEqual({ pair, shown: table[pair] });
			// Said as a person would say it: a capitalised phrase, not the internal values.
			expect(shown).toMatch(/^[A-Z][a-z]+( [a-z]+)+$/);
		}
		// A pair the node does not offer resolves to nothing: the lookup can fail.
		expect(resolveSubtitle(nodeType, { resource: 'nothing', operation: 'none' })).toBeFalsy();
	});

	it('subtitles of the operations Leadway will gain are ready', () => {
		const leadway = [...pkg.nodeTypes.values()].find((type) => type.description.name === 'leadway')!;
		expect(subtitleTable(leadway.description.subtitle!)).toMatchObject({
			'conversation:getMany': 'Search conversations',
			'conversation:get': 'Get conversation',
			'message:send': 'Send message',
			'message:getMany': 'Get many messages',
		});
	});
});

describe('credential text', () => {
	const field = (credential: string, name: string) =>
		pkg.credentialTypes.get(credential)!.properties.find((property) => property.name === name)!;

	it('every secret field is a password field', () => {
		const secrets = [...pkg.credentialTypes.values()].flatMap((credential) =>
			credential.properties.filter((property) => /key|token|secret|password/i.test(property.name)),
		);
		expect(secrets.map((property) => property.name).sort()).toEqual(['accessToken', 'apiKey', 'token', 'token']);
		for (const property of secrets) expect(property.typeOptions?.password).toBe(true);
	});

	it('says under the CityPay Base URL that its API is served by protocol.chat', () => {
		const baseUrl = field('cityPayApi', 'baseUrl');
		expect(baseUrl.default).toBe('https://api.protocol.chat/v1');
		expect(baseUrl.hint).toMatch(/protocol\.chat/);
	});

	it('says the CityPay token is what the node sends to CityPay', () => {
		expect(field('cityPayApi', 'token').description).toMatch(/sends to CityPay as a Bearer token/);
		expect(field('cityPayApi', 'token').description).not.toMatch(/CityPay sends/);
	});

	it('says under the Haptik Base URL that the default is staging', () => {
		const baseUrl = field('haptikApi', 'baseUrl');
		expect(baseUrl.default).toMatch(/staging/);
		expect(baseUrl.hint).toMatch(/staging/i);
		expect(baseUrl.hint).toMatch(/production/i);
	});

	it('says under the Leadway Base URL that its API is served by LeadConnector', () => {
		const baseUrl = field('leadwayApi', 'baseUrl');
		expect(baseUrl.default).toMatch(/leadconnectorhq\.com/);
		expect(baseUrl.hint).toMatch(/LeadConnector/);
	});
});
