/**
 * Collects everything a user could see from the suite's runs (output items, error messages,
 * descriptions, serialized node errors, credential test results) together with the secrets
 * the tests used, one JSON line per run, in a per-worker file. test/harness/leakCheck.ts
 * (jest globalTeardown) fails the run when any secret appears in any of it.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

export const LEAK_SCAN_DIR_VARIABLE = 'CRM_ATTACHMENTS_LEAK_SCAN_DIR';

/** Secrets shorter than this would match ordinary text ("abc"); none of the suite's real ones are. */
export const MIN_SECRET_LENGTH = 6;

const SECRET_FIELD_NAME = /token|key|secret|password|client.?id/i;

export interface LeakRecord {
	kind: 'runNode' | 'testCredential' | 'listSearch';
	test: string;
	secrets: string[];
	/** Everything shown to the user, as text. */
	texts: string[];
}

/** The secret values of credential data: password fields and fields named like tokens, keys or client ids. */
export function secretsOf(type: ICredentialType | undefined, data: ICredentialDataDecryptedObject): string[] {
	const secrets: string[] = [];
	for (const [name, value] of Object.entries(data)) {
		if (typeof value !== 'string') continue;
		const property = type?.properties.find((candidate) => candidate.name === name);
		const isSecret = property?.typeOptions?.password === true || SECRET_FIELD_NAME.test(name);
		// A secret with a line break also leaks line by line.
		for (const part of value.split(/[\r\n]+/)) {
			if (isSecret && part.trim().length >= MIN_SECRET_LENGTH) secrets.push(part.trim());
		}
	}
	return secrets;
}

/** Every way the value could be shown: JSON (as n8n stores and sends it) and a deep inspection (causes, contexts). */
export function visibleText(value: unknown): string[] {
	const texts = [inspect(value, { depth: 20, maxArrayLength: null, maxStringLength: null, breakLength: Infinity })];
	try {
		texts.push(JSON.stringify(value) ?? '');
	} catch {
		// Circular values are covered by the inspection.
	}
	return texts;
}

function currentTestName(): string {
	try {
		const { currentTestName: name, testPath } = expect.getState();
		return `${path.basename(testPath ?? '')} › ${name ?? 'outside a test'}`;
	} catch {
		return 'outside a test';
	}
}

/** Appends one record to this worker's file, when the leak scan is on (jest globalSetup turns it on). */
export function recordForLeakScan(kind: LeakRecord['kind'], secrets: string[], shown: unknown[]): void {
	const directory = process.env[LEAK_SCAN_DIR_VARIABLE];
	if (!directory) return;
	const record: LeakRecord = {
		kind,
		test: currentTestName(),
		secrets,
		texts: shown.flatMap(visibleText),
	};
	appendFileSync(
		path.join(directory, `worker-${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}.jsonl`),
		`${JSON.stringify(record)}\n`,
	);
}
