/**
 * Input Type URL in Haptik, CityPay and Leadway, run through the engine against the API
 * doubles and a file host double: bytes intact, the API's limits enforced before and while
 * sending, redirects bounded, the file host's failures named, and no credential sent to it.
 */
import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';

import { CITYPAY_TOKEN, CityPayDouble } from '../../doubles/citypay';
import type { FileRequest } from '../../doubles/fileServer';
import { FileServerDouble, generatedSha256 } from '../../doubles/fileServer';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN, HAPTIK_USER, HaptikDouble, UPLOAD_ROUTE } from '../../doubles/haptik';
import { faults, sha256 } from '../../doubles/httpDouble';
import { LEADWAY_TOKEN, LeadwayDouble } from '../../doubles/leadway';
import { credentialsFor, useApiDoubles } from '../../harness/apiDoubles';
import type { RunOptions, RunResult } from '../../harness/engine';
import { runNode } from '../../harness/engine';
import { fixture } from '../../harness/fixtures';
import { until } from '../../harness/until';
import { splitUrlList } from '../../../nodes/shared/binary';

const pdf = fixture('invoice.pdf');
const png = fixture('logo.png');
const MB = 1024 * 1024;
const SECRETS = [CITYPAY_TOKEN, HAPTIK_TOKEN, HAPTIK_CLIENT_ID, LEADWAY_TOKEN];

const files = new FileServerDouble();
const citypay = new CityPayDouble();
const haptik = new HaptikDouble();
const leadway = new LeadwayDouble();
const { pkg, binaryData } = useApiDoubles([files, citypay, haptik, leadway]);

beforeEach(() => {
	files.addFile('invoice.pdf', pdf, 'application/pdf');
	files.addFile('logo.png', png, 'image/png');
});

const requestOptions = { maxRetries: 2, retryDelay: 1, concurrency: 1 };

/** Runs one upload node on one empty item with Input Type URL: `fixed` are its own parameters, then the test's. */
function uploadByUrl(type: string, fixed: Record<string, unknown>, credentials: () => RunOptions['credentials']) {
	return (parameters: Record<string, unknown>): Promise<RunResult> =>
		runNode({
			pkg,
			node: { type, parameters: { ...fixed, inputType: 'url', requestOptions, ...parameters } },
			input: [{}],
			credentials: credentials(),
		});
}

const cityPay = uploadByUrl('cityPay', { resource: 'attachment', operation: 'upload' }, () => credentialsFor(citypay));
const haptikSend = uploadByUrl('haptik', { resource: 'file', operation: 'send', authId: HAPTIK_USER, businessId: '1234' }, () =>
	credentialsFor(haptik),
);
const leadwayUpload = uploadByUrl('leadway', { resource: 'conversation', operation: 'upload', conversationId: 'conv_1' }, () =>
	credentialsFor(leadway),
);

/** No credential of any API, in any header, reached the file host. */
function expectNoCredentials(requests: FileRequest[]): void {
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		expect(request.headers.authorization).toBeUndefined();
		expect(request.headers.cookie).toBeUndefined();
		const headers = JSON.stringify(request.headers);
		for (const secret of SECRETS) expect(headers).not.toContain(secret);
	}
}

/** Waits until the API double has recorded `count` requests: an aborted one is recorded when its server notices. */
const recorded = (double: { requests: unknown[] }, count: number) =>
	until(() => double.requests.length >= count, `${count} request(s) recorded`);

describe('CityPay → Upload by URL', () => {
	it('streams the file from the URL into the upload: bytes, name, type and an exact Content-Length', async () => {
		const result = await cityPay({ fileUrl: `${files.url}/files/invoice.pdf` });

		expect(result.error).toBeUndefined();
		expect(citypay.attachments).toHaveLength(1);
		expect(citypay.attachments[0]).toMatchObject({ filename: 'invoice.pdf', file_type: 'application/pdf', sha256: sha256(pdf) });
		const [upload] = citypay.requestsTo('POST', /^\/attachments$/);
		expect(upload.headers['content-length']).toBe(String(upload.body.length));
		expect(result.items[0].json).toMatchObject({ filename: 'invoice.pdf', file_size: pdf.length });
		expect(files.requests.map((request) => request.path)).toEqual(['/files/invoice.pdf']);
		expectNoCredentials(files.requests);
		// Nothing of the file went to n8n's binary store, and the output carries no binary.
		expect(result.items[0].binary).toBeUndefined();
		expect(require('node:fs').readdirSync(binaryData.storagePath)).toEqual([]);
	});

	it('streams a file of unknown size chunked, and uses the File Name option', async () => {
		const result = await cityPay({
			fileUrl: `${files.url}/generated/300000/blob?chunked=1`,
			options: { fileName: 'March report.pdf' },
		});

		expect(result.error).toBeUndefined();
		const [upload] = citypay.requestsTo('POST', /^\/attachments$/);
		expect(upload.headers['content-length']).toBeUndefined();
		expect(upload.headers['transfer-encoding']).toBe('chunked');
		expect(citypay.attachments[0]).toMatchObject({
			filename: 'March report.pdf',
			file_type: 'application/pdf',
			sha256: generatedSha256(300000),
		});
	});

	it('fetches the file again for a retry after CityPay answered 503, and stores it once', async () => {
		citypay.failNext(faults.unavailable());
		const result = await cityPay({ fileUrl: `${files.url}/files/invoice.pdf` });

		expect(result.error).toBeUndefined();
		expect(citypay.requestsTo('POST', /^\/attachments$/)).toHaveLength(2);
		expect(files.requests.map((request) => request.path)).toEqual(['/files/invoice.pdf', '/files/invoice.pdf']);
		expect(citypay.attachments).toHaveLength(1);
		expect(citypay.attachments[0].sha256).toBe(sha256(pdf));
	});

	it('follows up to 5 redirects, names the file after the URL, and sends no credential along the way', async () => {
		const result = await cityPay({ fileUrl: `${files.url}/redirect/5/files/logo.png` });

		expect(result.error).toBeUndefined();
		expect(files.requests).toHaveLength(6);
		expect(citypay.attachments[0]).toMatchObject({ filename: 'logo.png', file_type: 'image/png', sha256: sha256(png) });
		expectNoCredentials(files.requests);
	});

	it('stops after 5 redirects, before anything reaches CityPay', async () => {
		const result = await cityPay({ fileUrl: `${files.url}/redirect/6/files/logo.png` });

		expect(result.error?.message).toBe('The File URL redirected more than 5 times on item 0');
		expect(result.error?.description).toContain(files.url);
		expect(files.requests).toHaveLength(6);
		expect(citypay.requests).toHaveLength(0);
	});

	it('names the file host, not CityPay, when the file is not there (404)', async () => {
		const result = await cityPay({ fileUrl: `${files.url}/files/missing.pdf?token=s3cr3t` });

		expect(result.error?.message).toBe(`The file host ${files.url} answered HTTP 404 for the File URL on item 0`);
		expect(result.error?.description).toMatch(/no file at this URL\. Check the File URL/);
		// A query string can hold a signed link's secret: it is never echoed.
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('s3cr3t');
		expect(citypay.requests).toHaveLength(0);
	});

	it('names the file host when it does not answer within the Timeout', async () => {
		const result = await cityPay({
			fileUrl: `${files.url}/hang/slow.pdf`,
			requestOptions: { ...requestOptions, timeout: 300 },
		});

		expect(result.error?.message).toMatch(
			new RegExp(`^The file host ${files.url} did not answer within 300 ms \\((ECONNABORTED|ETIMEDOUT)\\) on item 0$`),
		);
		expect(result.error?.description).toContain("raise Timeout in the node's Request Options");
		expect(citypay.requests).toHaveLength(0);
	});

	it('names the file host when it cannot be reached', async () => {
		const closed = await new FileServerDouble().start();
		const url = closed.url;
		await closed.stop();

		const result = await cityPay({ fileUrl: `${url}/files/invoice.pdf` });

		expect(result.error?.message).toBe(`Could not download the file from ${url} (ECONNREFUSED) on item 0`);
		expect(citypay.requests).toHaveLength(0);
	});

	it('aborts the upload when the download breaks off, and CityPay stores nothing', async () => {
		const result = await cityPay({ fileUrl: `${files.url}/broken/400000/100000/cut.pdf` });

		expect(result.error?.message).toMatch(
			new RegExp(`^The download from ${files.url} broke off after 100000 of 400000 bytes \\(.+\\) on item 0$`),
		);
		expect(result.error?.description).toContain('CityPay received an incomplete request, which it does not store');
		await recorded(citypay, 1);
		const uploads = citypay.requestsTo('POST', /^\/attachments$/);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].aborted).toBe(true);
		expect(citypay.attachments).toHaveLength(0);
		expect(files.requests).toHaveLength(1);
	});

	it("goes through n8n's HTTP helper, so n8n's SSRF protection applies to the file's host", async () => {
		const ssrf = Container.get(SsrfProtectionConfig);
		ssrf.enabled = true;
		try {
			const result = await cityPay({ fileUrl: `${files.url}/files/invoice.pdf` });

			expect(result.error?.message).toBe(`n8n blocked the download from ${files.url} on item 0`);
			expect(result.error?.description).toContain('Server-Side Request Forgery');
		} finally {
			ssrf.enabled = false;
		}
		expect(files.requests).toHaveLength(0);
		expect(citypay.requests).toHaveLength(0);
	});

	it('refuses a URL that is not http(s) or carries a password, before any request', async () => {
		const ftp = await cityPay({ fileUrl: 'ftp://files.example.com/report.pdf' });
		expect(ftp.error?.message).toBe('File URL "ftp://files.example.com/report.pdf" is not an http(s) URL on item 0');
		const withPassword = await cityPay({ fileUrl: `http://user:pw@127.0.0.1:1/report.pdf` });
		expect(withPassword.error?.message).toBe('File URL contains a user name or password on item 0');
		const empty = await cityPay({ fileUrl: '  ' });
		expect(empty.error?.message).toBe('File URL is empty on item 0');
		expect(citypay.requests).toHaveLength(0);
		expect(files.requests).toHaveLength(0);
	});
});

describe('Haptik → Send by URL', () => {
	it('sends the file with the message type its extension implies', async () => {
		const result = await haptikSend({ fileUrl: `${files.url}/files/logo.png` });

		expect(result.error).toBeUndefined();
		expect(haptik.uploads).toHaveLength(1);
		expect(haptik.uploads[0].fields.message_type).toBe('1');
		expect(haptik.uploads[0].file).toMatchObject({ fileName: 'logo.png', mimeType: 'image/png', sha256: sha256(png) });
		expectNoCredentials(files.requests);
	});

	it("refuses a file whose Content-Length is over Haptik's 10 MB before sending anything", async () => {
		const result = await haptikSend({ fileUrl: `${files.url}/generated/${11 * MB}/big.pdf` });

		expect(result.error?.message).toBe(`File "big.pdf" is 11 MB (${11 * MB} bytes), over Haptik's limit of 10 MB on item 0`);
		expect(haptik.requests).toHaveLength(0);
		expect(files.requests).toHaveLength(1);
	});

	it('aborts the upload the moment a file of unknown size passes 10 MB, and sends it only once', async () => {
		const result = await haptikSend({ fileUrl: `${files.url}/generated/${11 * MB}/big.pdf?chunked=1` });

		expect(result.error?.message).toBe(`File "big.pdf" from ${files.url} is over Haptik's limit of 10 MB on item 0`);
		expect(result.error?.description).toContain('The host did not state the size, so n8n counted more than 10485760 bytes');
		expect(result.error?.description).toContain('Haptik received an incomplete request, which it does not store');
		await recorded(haptik, 1);
		expect(haptik.requests).toHaveLength(1);
		expect(haptik.requests[0].path).toBe(UPLOAD_ROUTE);
		expect(haptik.requests[0].aborted).toBe(true);
		expect(haptik.requests[0].body.length).toBeLessThan(11 * MB);
		expect(haptik.uploads).toHaveLength(0);
		expect(files.requests).toHaveLength(1);
	});

	it("refuses a type Haptik does not take, from the URL's name, before sending", async () => {
		files.addFile('notes.txt', Buffer.from('plain text'), 'text/plain');
		const result = await haptikSend({ fileUrl: `${files.url}/files/notes.txt` });

		expect(result.error?.message).toBe('File "notes.txt" has extension ".txt", which Haptik does not accept on item 0');
		expect(haptik.requests).toHaveLength(0);
	});
});

describe('Leadway → Upload by URL', () => {
	it('uploads several URLs in one request, each a fileAttachment part', async () => {
		const result = await leadwayUpload({
			fileUrls: `${files.url}/files/invoice.pdf, ${files.url}/files/logo.png`,
		});

		expect(result.error).toBeUndefined();
		expect(leadway.uploads).toHaveLength(1);
		expect(leadway.uploads[0].files).toEqual([
			{ fileName: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
			{ fileName: 'logo.png', contentType: 'image/png', size: png.length, sha256: sha256(png) },
		]);
		expect(Object.keys(result.items[0].json.uploadedFiles as object)).toEqual(['invoice.pdf', 'logo.png']);
		expectNoCredentials(files.requests);
	});

	it('aborts the request when a file of unknown size passes 5 MB, without a second request', async () => {
		const result = await leadwayUpload({
			fileUrls: [`${files.url}/files/logo.png`, `${files.url}/generated/${6 * MB}/clip.mp4?chunked=1`],
		});

		expect(result.error?.message).toBe(
			`File "clip.mp4" from ${files.url} is over Leadway's limit of 5 MB for File URL 2 of 2 (${files.url}/generated/${6 * MB}/clip.mp4) on item 0`,
		);
		await recorded(leadway, 1);
		const uploads = leadway.requestsTo('POST', /\/upload$/);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].aborted).toBe(true);
		expect(leadway.uploads).toHaveLength(0);
		expect(files.requests).toHaveLength(2);
	});

	it('checks every URL before sending any byte', async () => {
		const result = await leadwayUpload({
			fileUrls: `${files.url}/files/logo.png\n${files.url}/files/gone.pdf`,
		});

		expect(result.error?.message).toBe(`The file host ${files.url} answered HTTP 404 for File URL 2 of 2 (${files.url}/files/gone.pdf) on item 0`);
		expect(leadway.requests).toHaveLength(0);
	});
});

describe('splitUrlList', () => {
	it('splits on new lines, spaces and commas before the next URL, and keeps a comma inside a URL', () => {
		expect(
			splitUrlList('https://a.example/x.pdf, https://b.example/y.png\nhttp://c.example/z,1.txt https://d.example/w.zip,'),
		).toEqual(['https://a.example/x.pdf', 'https://b.example/y.png', 'http://c.example/z,1.txt', 'https://d.example/w.zip']);
		expect(splitUrlList(['https://a.example/x.pdf', ' '])).toEqual(['https://a.example/x.pdf']);
		expect(splitUrlList(undefined)).toEqual([]);
	});
});
