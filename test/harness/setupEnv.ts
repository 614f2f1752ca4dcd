// n8n-core reads its settings folder from the environment; keep test runs out of ~/.n8n.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';

import { testTmpDir } from './testTmp';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(testTmpDir(), 'n8n-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
