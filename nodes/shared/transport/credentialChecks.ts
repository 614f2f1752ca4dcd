import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from './errors';
import { isHttpUrl } from './urls';

/** How one credential's fields are checked before any request uses them. */
export interface CredentialFieldRules {
	/** Credential name as the user sees it, e.g. "Invent". */
	apiName: string;
	/** Field name → label of fields that must be absolute http(s) URLs. */
	urlFields: Record<string, string>;
	/** Field name → label of fields that go into HTTP headers. */
	headerFields: Record<string, string>;
	/** Header fields that must not be empty either, where the API answers a missing one unhelpfully. */
	requiredFields?: readonly string[];
	/**
	 * Fields whose values are secret (tokens, keys, client IDs): an API that echoes one back
	 * has it redacted from everything the node shows or stores (see `redactSecrets`).
	 */
	secretFields: readonly string[];
}

/** A credential field that cannot be used: its label, what is wrong, and the fix. */
export interface CredentialFieldProblem {
	field: string;
	problem: string;
	fix: string;
}

/**
 * The part of a URL field from its first "?" or "#" on, named. An API address has neither:
 * a query string there is none of the vendors' API (a pasted signed link or tracking
 * parameters), and a fragment is never sent, so neither is carried into the requests.
 */
function extraUrlPart(value: string): { part: string; mark: string } | undefined {
	const query = value.indexOf('?');
	const fragment = value.indexOf('#');
	if (query === -1 && fragment === -1) return undefined;
	return query !== -1 && (fragment === -1 || query < fragment) ? { part: 'query string', mark: '?' } : { part: 'fragment', mark: '#' };
}

/** Any control character, tab included: none belongs in a key, a token or a URL. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
export const CONTROL_CHARACTER_PROBLEM = 'contains a line break or another control character';

/**
 * Why the credential cannot be used, naming the field and never its value, or undefined.
 * A URL field must be one line and http(s): anything else (file:, ftp:, a bare host) is
 * refused here so that no request is tried. A header field must be one line: a CR or LF
 * would end the header and let the rest pass as another header.
 */
export function credentialFieldProblem(
	credentials: object,
	rules: CredentialFieldRules,
): CredentialFieldProblem | undefined {
	const data = credentials as Record<string, unknown>;
	for (const [name, label] of Object.entries(rules.urlFields)) {
		const value = String(data[name] ?? '').trim();
		if (CONTROL_CHARACTER.test(value)) {
			return {
				field: label,
				problem: CONTROL_CHARACTER_PROBLEM,
				fix: `paste it again as one line, exactly as ${rules.apiName} gave it.`,
			};
		}
		if (!isHttpUrl(value)) {
			return {
				field: label,
				problem: value === '' ? 'is empty' : 'is not an http:// or https:// URL',
				fix: `enter the full ${rules.apiName} API address, starting with https:// (or http:// for a local test server).`,
			};
		}
		const extra = extraUrlPart(value);
		if (extra) {
			// The value is not shown: a query string may hold a signature or a key.
			return {
				field: label,
				problem: `has a ${extra.part} (a part from "${extra.mark}" on)`,
				fix: `remove everything from the "${extra.mark}" on. The Base URL is only the address of the ${rules.apiName} API; the node adds each request's path and query to it.`,
			};
		}
	}
	for (const [name, label] of Object.entries(rules.headerFields)) {
		const value = String(data[name] ?? '');
		if (rules.requiredFields?.includes(name) && value.trim() === '') {
			return { field: label, problem: 'is empty', fix: `enter the ${label} ${rules.apiName} issued.` };
		}
		if (CONTROL_CHARACTER.test(value)) {
			return {
				field: label,
				problem: CONTROL_CHARACTER_PROBLEM,
				fix: `paste it again as one line, exactly as ${rules.apiName} issued it.`,
			};
		}
	}
	return undefined;
}

/** Throws a NodeOperationError naming the item and the credential field when the credential cannot be used. */
export function assertCredentialFields(
	context: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	credentials: object,
	rules: CredentialFieldRules,
): void {
	const found = credentialFieldProblem(credentials, rules);
	if (!found) return;
	throw itemError(
		context.getNode(),
		itemIndex,
		`${found.field} in the ${rules.apiName} credential ${found.problem}`,
		`Edit the ${rules.apiName} credential and fix ${found.field}: ${found.fix}`,
	);
}
