/**
 * End to end: the packed package installed into a real n8n 2.41.1 as a community package,
 * the example workflows run by `n8n execute` against the API sandbox in the filesystem and
 * database binary modes, every node run under each On Error setting, and the editor checked
 * in headless Chromium (from the @sparticuz/chromium npm package). Nothing is skipped: if n8n
 * cannot be prepared, the tests fail with the reason.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';

import busboy from 'busboy';

import { exampleWorkflows } from '../../scripts/dev.mjs';
import { REPO_ROOT } from '../../scripts/n8n-local/prepare.mjs';
import { executeWorkflow } from '../../scripts/n8n-local/run.mjs';
import { CREDENTIAL_IDS, sandboxCredentials } from '../../scripts/sandbox.mjs';
import { openBrowser, screenshot, signIn } from './browser.mjs';
import { VENDORS, branch, errorModeWorkflows } from './errorModeWorkflows.mjs';
import { formTriggerOf, publishFormWorkflows, submitForm } from './formTrigger.mjs';
import { N8N_ENV, PACKAGE, startPackageInN8n } from './packageInN8n.mjs';

const require = createRequire(import.meta.url);

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const log = (msg) => process.stderr.write(`[e2e] ${msg}\n`);

/** What package.json's n8n block promises, read from the built files as n8n reads them. */
function packageTypes() {
	const load = (file) => {
		const exported = require(path.join(REPO_ROOT, file));
		const Type = Object.values(exported).find((value) => typeof value === 'function');
		if (!Type) throw new Error(`${file} exports no class`);
		return new Type();
	};
	return {
		nodes: PACKAGE.n8n.nodes.map((file) => load(file).description),
		credentials: PACKAGE.n8n.credentials.map((file) => load(file)),
	};
}

/** Binary files a node output on its first run: [{ property, fileName, mimeType, bytes }]. */
function outputFiles(run, nodeName) {
	const items = run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0];
	if (!items) throw new Error(`node "${nodeName}" has no output in this run`);
	return items.flatMap((item) =>
		Object.entries(item.binary ?? {}).map(([property, binary]) => ({
			property,
			fileName: binary.fileName,
			mimeType: binary.mimeType,
			// Code nodes keep their binary data inline (base64) in the run data.
			bytes: Buffer.from(binary.data, 'base64'),
		})),
	);
}

const firstJson = (run, nodeName) => run.data.resultData.runData[nodeName][0].data.main[0][0].json;

/** The file parts of a recorded multipart request, parsed strictly (the CityPay double keeps no copy after Delete). */
function multipartFiles(request) {
	return new Promise((resolve, reject) => {
		const files = [];
		const parser = busboy({ headers: request.headers, defParamCharset: 'utf8' });
		parser.on('file', (fieldName, stream, info) => {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => files.push({ fieldName, fileName: info.filename, bytes: Buffer.concat(chunks) }));
		});
		parser.on('error', reject);
		parser.on('close', () => resolve(files));
		Readable.from([request.body]).pipe(parser);
	});
}

/** How far each sandbox record had grown, so that a run's checks see only what that run sent. */
function sandboxMark({ invent, haptik, citypay, leadway }) {
	return {
		inventFiles: invent.double.files.length,
		haptikUploads: haptik.double.uploads.length,
		cityPayRequests: citypay.double.requests.length,
		leadwayUploads: leadway.double.uploads.length,
		leadwaySent: leadway.double.sentMessages.length,
		leadwayRequests: leadway.double.requests.length,
	};
}

/** What the sandbox received since `mark`. */
function receivedSince({ invent, haptik, citypay, leadway }, mark) {
	const cityPayRequests = citypay.double.requests.slice(mark.cityPayRequests);
	return {
		inventFiles: invent.double.files.slice(mark.inventFiles),
		haptikUploads: haptik.double.uploads.slice(mark.haptikUploads),
		leadwayUploads: leadway.double.uploads.slice(mark.leadwayUploads),
		leadwaySent: leadway.double.sentMessages.slice(mark.leadwaySent),
		leadwayRequestsTo: (method, pathPattern) =>
			leadway.double.requests
				.slice(mark.leadwayRequests)
				.filter((request) => request.method === method && pathPattern.test(request.path)),
		cityPayRequestsTo: (method, pathPattern) =>
			cityPayRequests.filter((request) => request.method === method && pathPattern.test(request.path)),
	};
}

/** Runs of the re-run example so far: the first one uploads, the later ones find the files there. */
let rerunSafelyRuns = 0;

/** Per example: what the sandbox must have received in that run, compared by sha256 with what the workflow made. */
const EXPECTATIONS = {
	'invent.json': async (run, received) => {
		const [made] = outputFiles(run, 'Make File');
		const contact = firstJson(run, 'Create Contact');
		expect(received.inventFiles).toHaveLength(1);
		const [stored] = received.inventFiles;
		expect(stored).toMatchObject({ contactId: contact.id, name: made.fileName, type: made.mimeType, source: 'direct' });
		expect(stored.sha256).toBe(sha256(made.bytes));
		expect(firstJson(run, 'Upload File to Contact')).toMatchObject({ file_filename: made.fileName, file_size: made.bytes.length });
	},
	'invent-rerun-safely.json': async (run, received, services) => {
		const made = outputFiles(run, 'Make Files');
		expect(made).toHaveLength(3);
		const contact = firstJson(run, 'Find Contact');
		const results = outputItems(run, 'Upload Unless Already There').map((item) => item.json);
		expect(results.map((json) => json.file_filename)).toEqual(made.map((file) => file.fileName));
		// The examples run once per binary mode against one sandbox: the first run uploads the
		// three files, every later run finds them on the contact and uploads nothing.
		const firstRun = rerunSafelyRuns++ === 0;
		expect(results.map((json) => json.alreadyUploaded)).toEqual(made.map(() => !firstRun));
		const sorted = (files) => files.map((file) => [file.contactId, file.name, file.sha256]).sort();
		const madeOnContact = sorted(made.map((file) => ({ contactId: contact.id, name: file.fileName, sha256: sha256(file.bytes) })));
		expect(sorted(received.inventFiles)).toEqual(firstRun ? madeOnContact : []);
		// Whichever run this is, the contact holds each file once.
		const names = new Set(made.map((file) => file.fileName));
		const onContact = services.invent.double.files.filter((file) => file.contactId === contact.id && names.has(file.name));
		expect(sorted(onContact)).toEqual(madeOnContact);
		// A skipped file's item is the record already there, with its ID.
		expect(new Set(results.map((json) => json.id))).toEqual(new Set(onContact.map((file) => file.id)));
	},
	'haptik.json': async (run, received) => {
		const [made] = outputFiles(run, 'Make File');
		expect(received.haptikUploads).toHaveLength(1);
		const [upload] = received.haptikUploads;
		expect(upload.fields).toMatchObject({ auth_id: 'user-7781', business_id: '1234', message_type: '52' });
		expect(upload.file.fileName).toBe(made.fileName);
		expect(upload.file.sha256).toBe(sha256(made.bytes));
	},
	'citypay.json': async (run, received, services) => {
		const [made] = outputFiles(run, 'Make File');
		const uploads = received.cityPayRequestsTo('POST', /^\/attachments$/);
		expect(uploads).toHaveLength(1);
		const [part] = await multipartFiles(uploads[0]);
		expect(part.fileName).toBe(made.fileName);
		expect(sha256(part.bytes)).toBe(sha256(made.bytes));
		const { id } = firstJson(run, 'Upload Attachment');
		// Rename, download (of the renamed file, same bytes) and delete each reached the sandbox once.
		expect(received.cityPayRequestsTo('PUT', new RegExp(`^/attachments/${id}$`))).toHaveLength(1);
		const [downloaded] = outputFiles(run, 'Download Attachment').map((file) => file.fileName);
		expect(downloaded).toBe('receipt-2024-03.txt');
		expect(received.cityPayRequestsTo('GET', new RegExp(`^/files/${id}/`))).toHaveLength(1);
		expect(received.cityPayRequestsTo('DELETE', new RegExp(`^/attachments/${id}$`))).toHaveLength(1);
		expect(services.citypay.double.attachments.find((attachment) => attachment.id === id)).toBeUndefined();
	},
	'leadway.json': async (run, received) => {
		const made = outputFiles(run, 'Make Files');
		expect(made).toHaveLength(2);
		expect(received.leadwayUploads).toHaveLength(1);
		const [upload] = received.leadwayUploads;
		expect(upload.fields).toEqual(expect.arrayContaining([['conversationId', 'conv_example_1']]));
		expect(upload.files.map((file) => [file.fileName, file.sha256])).toEqual(made.map((file) => [file.fileName, sha256(file.bytes)]));
	},
	'leadway-form-send.json': async (run, received) => {
		const { Document: submitted } = FORM_SUBMISSIONS['leadway-form-send.json'];
		expect(received.leadwayUploads).toHaveLength(1);
		const [upload] = received.leadwayUploads;
		expect(upload.fields).toEqual([
			['contactId', 'contact_ben'],
			['locationId', expect.any(String)],
		]);
		expect(upload.files.map((file) => [file.fileName, file.sha256])).toEqual([[submitted.fileName, sha256(submitted.bytes)]]);
		expect(received.leadwaySent).toHaveLength(1);
		const [sent] = received.leadwaySent;
		expect(sent.body).toMatchObject({ type: 'Email', contactId: 'contact_ben', subject: 'Your signed contract' });
		expect(sent.body.attachments).toEqual([expect.stringMatching(/\/contract\.pdf$/)]);
		expect(firstJson(run, 'Email Document')).toMatchObject({ messageId: sent.messageId, attachments: sent.body.attachments });
	},
	'leadway-messages.json': async (run, received) => {
		expect(firstJson(run, 'Find Conversation')).toMatchObject({ fullName: 'Ana Souza', email: 'ana.souza@example.com' });
		const withFiles = outputItems(run, 'Get Messages with Attachments').filter((item) => item.binary);
		expect(withFiles).toHaveLength(1);
		const { binary } = withFiles[0];
		expect([binary.attachment_0, binary.attachment_1].map((file) => [file.fileName, file.mimeType])).toEqual([
			['contract-signed.pdf', 'application/pdf'],
			['site-photo.png', 'image/png'],
		]);
		const files = received.leadwayRequestsTo('GET', /^\/files\//);
		expect(files.map((request) => request.path)).toEqual(['/files/contract-signed.pdf', '/files/site-photo.png']);
		// Both files are on Leadway's own origin, which requires the token.
		for (const request of files) expect(request.headers.authorization).toMatch(/^Bearer /);
		expect(Number(binary.attachment_0.fileSize.replace(/\D/g, ''))).toBeGreaterThan(0);
	},
};

/** What each Form Trigger example is submitted with (its form's real endpoint), by field label. */
const FORM_SUBMISSIONS = {
	'leadway-form-send.json': {
		'Contact ID': 'contact_ben',
		Subject: 'Your signed contract',
		Document: { fileName: 'contract.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4\n% contract from the form\n%%EOF\n') },
	},
};

const INVENT_DOWNLOAD_WORKFLOW_ID = 'e2eInventDownld1';

/** Manual Trigger → Invent Contact File → Get Many → Download (By ID) → Extract From File (base64). */
function inventDownloadWorkflow(contactId) {
	const credentials = { inventApi: { id: CREDENTIAL_IDS.invent, name: 'Invent Sandbox' } };
	const contact = { __rl: true, mode: 'id', value: contactId };
	const node = (name, x, type, typeVersion, parameters, extra = {}) => ({ id: `dl-${x}`, name, type, typeVersion, position: [x, 0], parameters, ...extra });
	const names = ['Start', 'List Files', 'Download File', 'Read Back'];
	return {
		id: INVENT_DOWNLOAD_WORKFLOW_ID,
		name: 'E2E: Invent contact files downloaded',
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			node(names[0], 0, 'n8n-nodes-base.manualTrigger', 1, {}),
			node(names[1], 220, `${PACKAGE.name}.invent`, 1, { resource: 'contactFile', operation: 'getMany', contactId: contact, returnAll: true }, { credentials }),
			node(
				names[2],
				440,
				`${PACKAGE.name}.invent`,
				1,
				{ resource: 'contactFile', operation: 'download', contactId: contact, fileId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
				{ credentials },
			),
			node(names[3], 660, 'n8n-nodes-base.extractFromFile', 1.1, { operation: 'binaryToPropery', binaryPropertyName: 'data', options: {} }),
		],
		connections: Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }])),
	};
}

/** The binary data modes the examples run in: n8n's default in regular mode, and in queue mode. */
const BINARY_MODES = ['filesystem', 'database'];

/** Items of a node's output `index` on its first run ([] when it did not run or sent none there). */
const outputItems = (run, nodeName, index = 0) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[index] ?? [];

describe('the package in a real n8n', () => {
	const started = Date.now();
	let userFolder;
	let sandbox;
	let n8n;
	let session;
	let stop;
	const screenshots = [];
	// Invent uploads go to a contact the sandbox made; its ID is known once the sandbox runs.
	let errorModeRuns = [];
	let inventFilesToDownload = [];

	beforeAll(async () => {
		({ userFolder, sandbox, n8n, session, stop } = await startPackageInN8n({
			name: 'examples',
			workflows: ({ services }) => {
				const inventContactId = services.invent.double.contacts[0].id;
				errorModeRuns = errorModeWorkflows({ inventContactId });
				// A contact of its own with three files, for Invent's Download.
				const [downloadContact] = services.invent.double.addContacts(1);
				inventFilesToDownload = services.invent.double.addContactFiles(downloadContact.id, 3);
				return [...errorModeRuns.map((entry) => entry.workflow), inventDownloadWorkflow(downloadContact.id)];
			},
		}));
		// A Form Trigger listens only once its workflow is published.
		await publishFormWorkflows(session, examples.map((example) => example.workflow));
		log(`n8n ${n8n.url} up in ${(n8n.startupMs / 1000).toFixed(1)} s, user folder ${userFolder}`);
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await stop?.();
		if (screenshots.length) log(`screenshots:\n${screenshots.map((file) => `  ${file}`).join('\n')}`);
		log(`end-to-end run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	}, 60 * 1000);

	test('registers every node type and credential type of the package', async () => {
		const { nodes, credentials } = packageTypes();
		expect(nodes).toHaveLength(4);
		const nodeTypes = new Set((await session.get('/types/nodes.json')).map((type) => type.name));
		const credentialTypes = new Set((await session.get('/types/credentials.json')).map((type) => type.name));
		expect(nodes.map((node) => `${PACKAGE.name}.${node.name}`).filter((name) => !nodeTypes.has(name))).toEqual([]);
		expect(credentials.map((credential) => credential.name).filter((name) => !credentialTypes.has(name))).toEqual([]);
	});

	const examples = exampleWorkflows();
	test('has one expectation per example workflow', () => {
		expect(examples.map((example) => example.file).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
	});

	describe.each(BINARY_MODES)('binary data mode %s', (binaryMode) => {
		test.each(examples.map((example) => [example.file, example.workflow]))(
			'example %s runs green against the sandbox',
			async (file, workflow) => {
				const mark = sandboxMark(sandbox.services);
				// Throws with n8n's output unless the run finished with status success. A Form
				// Trigger example runs in the started n8n (its binary mode), submitted through its form.
				const run = formTriggerOf(workflow)
					? await submitForm(n8n.url, session, workflow, FORM_SUBMISSIONS[file])
					: await executeWorkflow(userFolder, workflow.id, {
							env: { ...N8N_ENV, N8N_DEFAULT_BINARY_DATA_MODE: binaryMode },
						});
				expect(run.status).toBe('success');
				expect(Object.keys(run.data.resultData.runData).sort()).toEqual(workflow.nodes.map((node) => node.name).sort());
				await EXPECTATIONS[file](run, receivedSince(sandbox.services, mark), sandbox.services);
				if (file === 'citypay.json') {
					// The downloaded file went into n8n's binary store of this mode, not into the item.
					const [downloaded] = outputItems(run, 'Download Attachment');
					expect(downloaded.binary.data.id.split(':')[0]).toBe(binaryMode === 'filesystem' ? 'filesystem-v2' : 'database');
				}
			},
			5 * 60 * 1000,
		);
	});

	test.each(BINARY_MODES)('Invent Contact File → Download stores the bytes in the %s binary mode', async (binaryMode) => {
		const mark = sandboxMark(sandbox.services);
		const run = await executeWorkflow(userFolder, INVENT_DOWNLOAD_WORKFLOW_ID, {
			env: { ...N8N_ENV, N8N_DEFAULT_BINARY_DATA_MODE: binaryMode },
		});
		const downloaded = outputItems(run, 'Download File');
		expect(downloaded.map((item) => item.binary.data.fileName)).toEqual(inventFilesToDownload.map((file) => file.name));
		expect(downloaded.map((item) => item.binary.data.mimeType)).toEqual(inventFilesToDownload.map((file) => file.type));
		// In n8n's binary store of this mode, not in the item.
		for (const item of downloaded) expect(item.binary.data.id.split(':')[0]).toBe(binaryMode === 'filesystem' ? 'filesystem-v2' : 'database');
		// Read back through n8n's own Extract From File: byte for byte what Invent holds.
		const readBack = outputItems(run, 'Read Back').map((item) => sha256(Buffer.from(item.json.data, 'base64')));
		expect(readBack).toEqual(inventFilesToDownload.map((file) => file.sha256));
		expect(receivedSince(sandbox.services, mark).inventFiles).toEqual([]);
	}, 5 * 60 * 1000);

	test('the Leadway Conversation ID list (From List) searches conversations through the editor\'s API', async () => {
		const { id, name } = sandboxCredentials(sandbox).find((credential) => credential.type === 'leadwayApi');
		const search = async (filter) =>
			await session.post('/rest/dynamic-node-parameters/resource-locator-results', {
				path: 'parameters.conversationId',
				nodeTypeAndVersion: { name: `${PACKAGE.name}.leadway`, version: 1 },
				currentNodeParameters: { resource: 'conversation', operation: 'get', conversationId: { __rl: true, mode: 'list', value: '' } },
				methodName: 'searchConversations',
				credentials: { leadwayApi: { id, name } },
				...(filter === undefined ? {} : { filter }),
			});
		const { data: matching } = await search('okafor');
		// The form example may have sent Ben a message by now: its text is the entry's description.
		expect(matching.results).toEqual([
			expect.objectContaining({ name: expect.stringMatching(/^Ben Okafor \(conv_/), value: expect.stringMatching(/^conv_/) }),
		]);
		const { data: all } = await search();
		expect(all.results.map((result) => result.name.split(' (')[0])).toEqual(expect.arrayContaining(['Ana Souza', 'Ben Okafor', 'Chloe Martin']));
	}, 60 * 1000);

	describe('On Error settings', () => {
		const routed = [];
		afterAll(() => {
			if (routed.length) log(`where the items came out (main / error output):\n${routed.map((line) => `  ${line}`).join('\n')}`);
		});

		const runOf = (mode) => errorModeRuns.filter((entry) => entry.mode === mode);

		test.each(Object.keys(VENDORS))('Stop Workflow: %s stops the run on the refused item', async (vendor) => {
			const [{ workflow }] = runOf('stopWorkflow').filter((entry) => entry.vendors[0] === vendor);
			const names = branch(vendor);
			const before = VENDORS[vendor].uploadsOf(sandbox.services);
			const failure = await executeWorkflow(userFolder, workflow.id, { env: N8N_ENV }).then(
				() => undefined,
				(error) => error,
			);
			expect(failure?.run).toBeDefined();
			const { run } = failure;
			expect(run.status).toBe('error');
			expect(run.data.resultData.lastNodeExecuted).toBe(names.node);
			const nodeRun = run.data.resultData.runData[names.node][0];
			expect(nodeRun.error.message).toMatch(VENDORS[vendor].refusal);
			expect(run.data.resultData.runData[names.uploaded]).toBeUndefined();
			// Every item is checked before any is sent: the refusal of item 1 comes before item 0 goes out.
			expect(VENDORS[vendor].uploadsOf(sandbox.services) - before).toBe(0);
			routed.push(`stopWorkflow ${vendor}: run stopped with "${nodeRun.error.message}"`);
		}, 5 * 60 * 1000);

		test('Continue (regular output): every vendor keeps the error item in place', async () => {
			const [{ workflow, vendors }] = runOf('continueRegularOutput');
			const before = Object.fromEntries(vendors.map((vendor) => [vendor, VENDORS[vendor].uploadsOf(sandbox.services)]));
			const run = await executeWorkflow(userFolder, workflow.id, { env: N8N_ENV });
			expect(run.status).toBe('success');
			for (const vendor of vendors) {
				const names = branch(vendor);
				const items = outputItems(run, names.node);
				expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
				expect([items[0].json.error, items[2].json.error]).toEqual([undefined, undefined]);
				expect(items[1].json).toEqual({ error: expect.stringMatching(VENDORS[vendor].refusal), details: expect.any(String) });
				expect(outputItems(run, names.node, 1)).toEqual([]);
				expect(outputItems(run, names.uploaded)).toHaveLength(3);
				expect(VENDORS[vendor].uploadsOf(sandbox.services) - before[vendor]).toBe(2);
				routed.push(`continueRegularOutput ${vendor}: ${items.length} / 0 (error item at index 1)`);
			}
		}, 5 * 60 * 1000);

		test('Continue (using error output): every vendor sends the refused item to the error branch', async () => {
			const [{ workflow, vendors }] = runOf('continueErrorOutput');
			const before = Object.fromEntries(vendors.map((vendor) => [vendor, VENDORS[vendor].uploadsOf(sandbox.services)]));
			const run = await executeWorkflow(userFolder, workflow.id, { env: N8N_ENV });
			expect(run.status).toBe('success');
			for (const vendor of vendors) {
				const names = branch(vendor);
				const main = outputItems(run, names.node, 0);
				const errors = outputItems(run, names.node, 1);
				expect(main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
				for (const item of main) expect(item.json.error).toBeUndefined();
				expect(errors).toHaveLength(1);
				expect(errors[0].pairedItem).toEqual({ item: 1 });
				// n8n adds the input item's JSON: the failure says which file it was.
				expect(errors[0].json).toMatchObject({
					tag: 'second',
					fileName: VENDORS[vendor].files[1][0],
					error: expect.stringMatching(VENDORS[vendor].refusal),
					details: expect.any(String),
				});
				expect(outputItems(run, names.uploaded)).toHaveLength(2);
				expect(outputItems(run, names.failed)).toHaveLength(1);
				expect(VENDORS[vendor].uploadsOf(sandbox.services) - before[vendor]).toBe(2);
				routed.push(`continueErrorOutput ${vendor}: ${main.length} / ${errors.length}`);
			}
		}, 5 * 60 * 1000);
	});

	describe('in the editor (headless Chromium)', () => {
		let browser;
		let page;
		const iconResponses = [];

		beforeAll(async () => {
			browser = await openBrowser();
			({ page } = browser);
			page.on('response', (response) => {
				if (new URL(response.url()).pathname.startsWith('/icons/')) iconResponses.push({ url: response.url(), status: response.status() });
			});
		}, 60 * 1000);

		afterAll(async () => {
			await browser?.close();
		});

		const shoot = async (name) => {
			screenshots.push(await screenshot(page, name));
		};

		test('logs in as the owner', async () => {
			await signIn(page, n8n.url);
			await shoot('00-signed-in');
		}, 60 * 1000);

		test.each(packageTypes().nodes.map((node) => [node.displayName, node.name]))(
			'the node panel lists %s with its icon',
			async (displayName, name) => {
				await page.goto(`${n8n.url}/workflow/new`);
				await page.click('[data-test-id="node-creator-plus-button"]');
				await page.locator('input[data-test-id="node-creator-search-bar"]').fill(displayName);
				const item = page.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${PACKAGE.name}.${name}-"]`);
				await item.waitFor({ timeout: 15_000 });
				expect(await item.locator('[data-test-id="node-creator-item-name"]').innerText()).toBe(displayName);
				const icon = item.locator('img[src*="/icons/"]').first();
				await icon.waitFor({ timeout: 15_000 });
				// Loaded means decoded: a 404 or a broken SVG leaves naturalWidth at 0.
				await page.waitForFunction((img) => img.complete, await icon.elementHandle(), { timeout: 15_000 });
				const { src, naturalWidth } = await icon.evaluate((img) => ({ src: img.src, naturalWidth: img.naturalWidth }));
				expect({ src, naturalWidth: naturalWidth > 0 }).toEqual({ src, naturalWidth: true });
				expect(iconResponses.filter((response) => response.url === src).map((response) => response.status)).toContain(200);
				await shoot(`node-panel-${name}`);
			},
			60 * 1000,
		);

		test.each(packageTypes().credentials.map((credential) => [credential.displayName, credential]))(
			'the %s credential form shows its fields',
			async (_displayName, credential) => {
				const { id } = sandboxCredentials(sandbox).find((imported) => imported.type === credential.name);
				await page.goto(`${n8n.url}/home/credentials/${id}`);
				const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
				await dialog.waitFor({ timeout: 30_000 });
				for (const property of credential.properties) {
					// One form per field: its input and its label.
					const field = dialog.locator('form[data-test-id="credential-connection-parameter"]').filter({
						has: page.locator(`[data-test-id="parameter-input-${property.name}"]`),
					});
					await field.waitFor({ timeout: 10_000 });
					expect(await field.innerText()).toContain(property.displayName);
				}
				// n8n tests a saved credential when its form opens: here against the sandbox.
				await dialog.getByText('Connection tested successfully').waitFor({ timeout: 20_000 });
				await shoot(`credential-${credential.name}`);
			},
			60 * 1000,
		);
	});
});
