/**
 * The browser for the real-n8n tests: the Chromium build that @sparticuz/chromium ships inside
 * its npm package (nothing downloaded, nothing from the system), offline, with a fresh profile;
 * signing in as the owner; and screenshots under e2e-artifacts/ (git-ignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import sparticuzChromium from '@sparticuz/chromium';
import { chromium } from 'playwright-core';

import { REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import { DEFAULT_OWNER } from '../../scripts/n8n-local/run.mjs';

export const ARTIFACTS = path.join(REPO_ROOT, 'e2e-artifacts');

/** Starts headless Chromium; `close()` also removes its profile. */
export async function openBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-e2e-'));
	const browser = await chromium.launchPersistentContext(profile, {
		executablePath: await sparticuzChromium.executablePath(),
		viewport,
		args: [...sparticuzChromium.args, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	const page = browser.pages()[0] ?? (await browser.newPage());
	return {
		browser,
		page,
		async close() {
			await browser.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** Signs in on n8n's sign-in page as the owner `setupOwner` created. */
export async function signIn(page, n8nUrl, owner = DEFAULT_OWNER) {
	await page.goto(`${n8nUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', owner.email);
	await page.fill('#password', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Saves a screenshot as e2e-artifacts/<name>.png and returns its path relative to the repository. */
export async function screenshot(page, name, options = {}) {
	const file = path.join(ARTIFACTS, `${name}.png`);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	await page.screenshot({ path: file, ...options });
	return path.relative(REPO_ROOT, file);
}
