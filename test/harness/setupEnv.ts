// n8n-core reads its settings folder from the environment; keep test runs out of ~/.n8n.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'crm-attachments-n8n-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
