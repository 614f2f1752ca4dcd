import { tmpdir } from 'node:os';

/** Set by globalSetup: the run's folder for temporary files, removed by globalTeardown. */
export const TEST_TMP_VARIABLE = 'CRM_ATTACHMENTS_TEST_TMP';

export function testTmpDir(): string {
	return process.env[TEST_TMP_VARIABLE] ?? tmpdir();
}
