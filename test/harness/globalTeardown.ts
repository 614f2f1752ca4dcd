import { rmSync } from 'node:fs';

import { CITYPAY_TOKEN } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN } from '../doubles/haptik';
import { INVENT_API_KEY } from '../doubles/invent';
import { LEADWAY_TOKEN } from '../doubles/leadway';
import { tearDownLeakScan } from './leakCheck';
import { TEST_TMP_VARIABLE } from './testTmp';

/** The doubles' secrets, checked even in runs that never passed them to a credential. */
export default function globalTeardown(): void {
	const testTmp = process.env[TEST_TMP_VARIABLE];
	if (testTmp) rmSync(testTmp, { recursive: true, force: true });
	tearDownLeakScan([INVENT_API_KEY, HAPTIK_TOKEN, HAPTIK_CLIENT_ID, CITYPAY_TOKEN, LEADWAY_TOKEN]);
}
