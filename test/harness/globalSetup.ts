import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { setUpLeakScan } from './leakCheck';
import { TEST_TMP_VARIABLE } from './testTmp';

export default function globalSetup(): void {
	setUpLeakScan();
	// One folder for every temporary file of the run (n8n settings, binary storage), removed at the end.
	process.env[TEST_TMP_VARIABLE] = mkdtempSync(path.join(tmpdir(), 'crm-attachments-test-'));
}
