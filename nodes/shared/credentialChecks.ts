import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isHttpUrl } from './parameters';

/** How one credential's fields are checked before any request uses them. */
export interface CredentialFieldRules {
	/** Credential name as the user sees it, e.g. "Invent". */
	apiName: string;
	/** Field name → label of fields that must be absolute http(s) URLs. */
	urlFields: Record<string, string>;
	/** Field name → label of fields that go into HTTP headers. */
	headerFields: Record<string, string>;
}

/**
 * Why the credential cannot be used, naming the field and never its value, or undefined.
 * A URL field must be http(s): anything else (file:, ftp:, a bare host) is refused here so
 * that no request is tried. A header field must be one line: a CR or LF would end the
 * header and let the rest pass as another header.
 */
export function credentialFieldProblem(
	data: ICredentialDataDecryptedObject,
	rules: CredentialFieldRules,
): { field: string; problem: string; fix: string } | undefined {
	for (const [name, label] of Object.entries(rules.urlFields)) {
		const value = String(data[name] ?? '').trim();
		if (!isHttpUrl(value)) {
			return {
				field: label,
				problem: value === '' ? 'is empty' : 'is not an http:// or https:// URL',
				fix: `Enter the full ${rules.apiName} API address, starting with https:// (or http:// for a local test server).`,
			};
		}
	}
	for (const [name, label] of Object.entries(rules.headerFields)) {
		if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(String(data[name] ?? ''))) {
			return {
				field: label,
				problem: 'contains a line break or another control character',
				fix: `Paste the ${label} again as one line, exactly as ${rules.apiName} issued it.`,
			};
		}
	}
	return undefined;
}

/** Throws a NodeOperationError naming the item and the credential field when the credential cannot be used. */
export function assertCredentialFields(
	context: IExecuteFunctions,
	itemIndex: number,
	data: ICredentialDataDecryptedObject,
	rules: CredentialFieldRules,
): void {
	const found = credentialFieldProblem(data, rules);
	if (!found) return;
	throw new NodeOperationError(
		context.getNode(),
		`${found.field} in the ${rules.apiName} credential ${found.problem} (item ${itemIndex})`,
		{ itemIndex, description: `Edit the ${rules.apiName} credential. ${found.fix}` },
	);
}
