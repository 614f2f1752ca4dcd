/**
 * The editor in a real n8n 2.41.1 (headless Chromium): the panels of issue 13 shot under
 * e2e-artifacts/editor/ (named after E2E_SHOT_TAG, default "after"; "before" shots come from
 * a build of main with the same workflow), and a resource locator used as a user would: open
 * CityPay → Get, search the From List dropdown, pick an attachment, run the step, save, and
 * run the saved workflow with `n8n execute`. Invent's upload picks its contact the same way.
 */
import { executeWorkflow } from '../../scripts/n8n-local/run.mjs';
import { openBrowser, screenshot, signIn } from './browser.mjs';
import { nodeId, WORKFLOW, WORKFLOW_ID } from './editorWorkflow.mjs';
import { N8N_ENV, startPackageInN8n } from './packageInN8n.mjs';

const SHOT_TAG = process.env.E2E_SHOT_TAG || 'after';

const log = (msg) => process.stderr.write(`[e2e editor] ${msg}\n`);

describe('the editor with resource locators (real n8n)', () => {
	const started = Date.now();
	const screenshots = [];
	let userFolder;
	let sandbox;
	let n8n;
	let session;
	let stop;
	let browser;
	let page;
	let report;

	beforeAll(async () => {
		({ userFolder, sandbox, n8n, session, stop } = await startPackageInN8n({
			name: 'editor',
			// Something to pick: three CityPay attachments, and an Invent contact with an email.
			seed: ({ services }) => {
				const names = ['meeting-notes.txt', 'quarterly-report.pdf', 'receipt.txt'];
				services.citypay.double.addAttachments(names.length).forEach((attachment, index) => {
					attachment.filename = names[index];
				});
				services.invent.double.addContact({ name: 'Ada Lovelace', email: 'ada@example.com' });
			},
			workflows: () => [WORKFLOW],
		}));
		browser = await openBrowser({ viewport: { width: 1500, height: 950 } });
		({ page } = browser);
		await signIn(page, n8n.url);
		log(`n8n ${n8n.url} up, shots tagged "${SHOT_TAG}"`);
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await browser?.close();
		await stop?.();
		if (report) log(report);
		if (screenshots.length) log(`screenshots:\n${screenshots.map((file) => `  ${file}`).join('\n')}`);
		log(`editor run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}, 60 * 1000);

	const shoot = async (name) => screenshots.push(await screenshot(page, `editor/${SHOT_TAG}-${name}`));

	/** Opens a node's panel by its URL, as a link to it would. */
	async function openNode(name) {
		await page.goto(`${n8n.url}/workflow/${WORKFLOW_ID}/${nodeId(name)}`);
		await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
		await page.getByText('Request Options').first().waitFor({ timeout: 30_000 });
	}

	/** The items of the open From List dropdown. */
	const listItems = () => page.locator('[data-test-id="rlc-item"]');

	/** Opens the From List dropdown of a resource locator and waits for its first page. */
	async function openList(parameter) {
		const locator = page.locator(`[data-test-id="resource-locator-${parameter}"]`);
		await locator.waitFor({ timeout: 30_000 });
		await locator.locator('[data-test-id="rlc-input-container"]').click();
		await listItems().first().waitFor({ timeout: 30_000 });
		return locator;
	}

	/** Types into the dropdown's search box and waits until exactly these items are listed. */
	async function searchList(text, expected) {
		await page.locator('[data-test-id="rlc-search"]').fill(text);
		await page.waitForFunction(
			(names) =>
				[...document.querySelectorAll('[data-test-id="rlc-item"]')].map((item) => item.textContent.trim()).join('|') === names.join('|'),
			expected,
			{ timeout: 30_000 },
		);
	}

	test.each([
		['panel CityPay Upload', 'CityPay Upload', 'citypay-upload'],
		['panel Invent Create Contact', 'Invent Create Contact', 'invent-create-contact'],
		['panel Invent Upload', 'Invent Upload', 'invent-upload'],
		['panel CityPay Get', 'CityPay Get', 'citypay-get'],
	])('%s', async (_title, name, shot) => {
		await openNode(name);
		await shoot(shot);
	}, 120 * 1000);

	test('CityPay Get: pick an attachment From List, run the step, save, and run the saved workflow', async () => {
		const citypay = sandbox.services.citypay.double;
		const wanted = citypay.attachments.find((attachment) => attachment.filename === 'quarterly-report.pdf');
		await openNode('CityPay Get');
		const locator = await openList('attachmentId');
		expect((await listItems().allInnerTexts()).map((text) => text.trim())).toEqual(['meeting-notes.txt', 'quarterly-report.pdf', 'receipt.txt']);
		await searchList('QUARTERLY', ['quarterly-report.pdf']);
		await shoot('citypay-get-list-search');
		await listItems().first().click();
		await expect(locator.locator('[data-test-id="rlc-input"]').inputValue()).resolves.toBe('quarterly-report.pdf');

		const before = citypay.requestsTo('GET', new RegExp(`^/attachments/${wanted.id}$`)).length;
		await page.locator('[data-test-id="node-execute-button"]').first().click();
		// The output shows the attachment CityPay returned for the picked ID (read as JSON:
		// the table breaks long values for wrapping).
		const outputText = () =>
			page.evaluate(() =>
				[...document.querySelectorAll('[data-test-id="output-panel"]')].map((panel) => panel.innerText).join('\n'),
			);
		const output = page.locator('[data-test-id="output-panel"]').filter({ visible: true });
		try {
			await output.getByText('1 item').first().waitFor({ timeout: 60_000 });
			await output.getByText('JSON', { exact: true }).first().click();
			await page.waitForFunction(
				([id, fileName]) => {
					// The JSON view puts keys and values on lines of their own.
					const text = [...document.querySelectorAll('[data-test-id="output-panel"]')].map((panel) => panel.innerText.replace(/\s+/g, '')).join('');
					return text.includes(`"id":"${id}"`) && text.includes(`"filename":"${fileName}"`);
				},
				[wanted.id, wanted.filename],
				{ timeout: 30_000 },
			);
		} catch (error) {
			await shoot('citypay-get-run-failed');
			log(`output panel text: ${JSON.stringify(await outputText())}`);
			throw error;
		}
		expect(citypay.requestsTo('GET', new RegExp(`^/attachments/${wanted.id}$`)).length).toBe(before + 1);
		await shoot('citypay-get-picked-and-run');

		// Saved as a From List value, and the saved workflow runs headless as it did in the editor.
		await page.keyboard.press('Escape');
		await page.keyboard.press('Control+s');
		let saved;
		for (let attempt = 0; attempt < 60 && saved?.value !== wanted.id; attempt++) {
			if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
			const { data } = await session.get(`/rest/workflows/${WORKFLOW_ID}`);
			saved = data.nodes.find((node) => node.name === 'CityPay Get').parameters.attachmentId;
		}
		expect(saved).toMatchObject({ __rl: true, mode: 'list', value: wanted.id });
		const run = await executeWorkflow(userFolder, WORKFLOW_ID, { env: N8N_ENV });
		const [item] = run.data.resultData.runData['CityPay Get'][0].data.main[0];
		expect(item.json).toMatchObject({ id: wanted.id, filename: 'quarterly-report.pdf' });
		report = `picked ${wanted.id} (quarterly-report.pdf) from the list; the step and the saved workflow both read it`;
	}, 5 * 60 * 1000);

	test("Invent Upload: the contact list shows names with emails and searches by email", async () => {
		await openNode('Invent Upload');
		const locator = await openList('contactId');
		// The sandbox's two contacts, then Ada.
		expect((await listItems().allInnerTexts()).map((text) => text.trim())).toEqual(['Contact 1', 'Contact 2', 'Ada Lovelace (ada@example.com)']);
		await searchList('ada@example.com', ['Ada Lovelace (ada@example.com)']);
		await shoot('invent-upload-list-search');
		await listItems().first().click();
		await expect(locator.locator('[data-test-id="rlc-input"]').inputValue()).resolves.toBe('Ada Lovelace (ada@example.com)');
		const searched = sandbox.services.invent.double.requestsTo('GET', /^\/orgs\/c\/contacts$/).map((request) => request.query.get('email'));
		expect(searched).toContain('ada@example.com');
	}, 2 * 60 * 1000);
});
