/**
 * jest globalSetup and globalTeardown of the secrets check. Setup gives the workers a
 * fresh folder to record into (see leakScan.ts); teardown reads every record of the run
 * and fails it when a secret used anywhere in the tests appears in anything a user sees.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { LeakRecord } from './leakScan';
import { LEAK_SCAN_DIR_VARIABLE, MIN_SECRET_LENGTH } from './leakScan';

export function setUpLeakScan(): void {
	process.env[LEAK_SCAN_DIR_VARIABLE] = mkdtempSync(path.join(tmpdir(), 'crm-attachments-leak-scan-'));
}

/** Describes every secret found in a record, naming the secret by its first characters only. */
export function findLeaks(records: LeakRecord[], extraSecrets: string[] = []): string[] {
	const secrets = new Set(extraSecrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH));
	for (const record of records) for (const secret of record.secrets) secrets.add(secret);
	const leaks: string[] = [];
	for (const record of records) {
		for (const secret of secrets) {
			if (record.texts.some((text) => text.includes(secret))) {
				leaks.push(`${record.kind} in "${record.test}" shows the secret ${secret.slice(0, 4)}…`);
			}
		}
	}
	return leaks;
}

export function readRecords(directory: string): LeakRecord[] {
	const records: LeakRecord[] = [];
	for (const name of readdirSync(directory)) {
		for (const line of readFileSync(path.join(directory, name), 'utf8').split('\n')) {
			if (line.trim()) records.push(JSON.parse(line) as LeakRecord);
		}
	}
	return records;
}

export function tearDownLeakScan(extraSecrets: string[]): void {
	const directory = process.env[LEAK_SCAN_DIR_VARIABLE];
	if (!directory) return;
	try {
		const records = readRecords(directory);
		const leaks = findLeaks(records, extraSecrets);
		if (leaks.length > 0) {
			throw new Error(
				`Secrets check failed: ${leaks.length} leak(s) in output items, errors or credential test results:\n${leaks.join('\n')}`,
			);
		}
		const secretCount = new Set(records.flatMap((record) => record.secrets)).size;
		process.stdout.write(
			`\nSecrets check: ${records.length} runs and credential tests scanned for ${secretCount} secrets, none shown.\n`,
		);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
}
