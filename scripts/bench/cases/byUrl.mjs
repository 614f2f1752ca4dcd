// Case `byUrl`: a 200 MB file by URL through CityPay. A file host in the bench process streams
// it; the node streams it on into the sink's upload. The figure is how much more the n8n
// process's peak RSS grows than for a 1 KB file by URL (target ≤ ~32 MB), beside the same file
// streamed by Node alone (../bareStream.mjs), the floor for any such code.

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { nodeTask } from '../measure.mjs';
import { verifyUploads } from '../sinkProcess.mjs';
import { log } from '../util.mjs';
import { triggerWorkflow } from '../workflows.mjs';

const MB = 1024 * 1024;
const BIG_BYTES = 200 * MB;
const SMALL_BYTES = 1024;
export const URL_TARGET_MB = 32;

/** A generated file: `size` bytes of one random 1 MB block repeated; `sha256` as the sink will compute it. */
function generatedFile(name, size, block) {
	const hash = createHash('sha256');
	for (let left = size; left > 0; left -= block.length) hash.update(block.subarray(0, Math.min(left, block.length)));
	return { fileName: name, size, sha256: hash.digest('hex') };
}

/** Serves each file at /<name> with its Content-Length, written as the client reads it. */
function startFileHost(files, block) {
	const server = http.createServer((req, res) => {
		const file = files.find((candidate) => req.url === `/${candidate.fileName}`);
		if (!file) return void res.writeHead(404).end();
		res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.size) });
		let left = file.size;
		const pump = () => {
			while (left > 0) {
				const chunk = block.subarray(0, Math.min(left, block.length));
				left -= chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			res.end();
		};
		pump();
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Counts the bytes of each POST and answers `{ bytes }`: where the bare Node floor uploads to. */
function startDiscardServer() {
	const server = http.createServer((req, res) => {
		let bytes = 0;
		req.on('data', (chunk) => (bytes += chunk.length));
		req.on('end', () => res.end(JSON.stringify({ bytes })));
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The same 200 MB streamed by Node alone (n8n's Node binary, see ../bareStream.mjs): the floor for any streaming code. */
async function bareNodeFloor(nodeBinary, fileUrl) {
	const discard = await startDiscardServer();
	try {
		const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bareStream.mjs');
		const uploadUrl = `http://127.0.0.1:${discard.address().port}/`;
		const stdout = await new Promise((resolve, reject) =>
			execFile(nodeBinary, [script, fileUrl, uploadUrl], { maxBuffer: MB }, (error, out) => (error ? reject(error) : resolve(out))),
		);
		return JSON.parse(stdout);
	} finally {
		await new Promise((resolve) => discard.close(() => resolve()));
	}
}

/** Manual Trigger → `cityPayNode` uploading the file at `fileUrl` (Input Type URL). */
function urlWorkflow(id, name, cityPayNode, fileUrl) {
	return triggerWorkflow(id, name, { ...cityPayNode, parameters: { ...cityPayNode.parameters, inputType: 'url', fileUrl } });
}

/** Starts the file host; returns the two workflows to import with the others, the files and `stop()`. */
async function prepare(ctx) {
	const block = randomBytes(MB);
	const big = generatedFile('big-by-url.bin', BIG_BYTES, block);
	const small = generatedFile('small-by-url.bin', SMALL_BYTES, block);
	const server = await startFileHost([big, small], block);
	const base = `http://127.0.0.1:${server.address().port}`;
	const cityPay = ctx.nodes.cityPay();
	return {
		workflows: {
			benchUrlSmall: urlWorkflow('benchUrlSmall', 'Bench: 1 KB by URL → CityPay', cityPay, `${base}/${small.fileName}`),
			benchUrlBig: urlWorkflow('benchUrlBig', 'Bench: 200 MB by URL → CityPay', cityPay, `${base}/${big.fileName}`),
		},
		big,
		small,
		bigUrl: `${base}/${big.fileName}`,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** Both workflows, the sink's check that the bytes arrived whole, and the Node-alone floor. */
async function measure(ctx, { big, small, bigUrl }) {
	log('by URL: 1 KB and 200 MB → CityPay');
	const baseline = await ctx.execute('benchUrlSmall', 'filesystem');
	const measured = await ctx.execute('benchUrlBig', 'filesystem');
	const check = verifyUploads(measured.sinkState, 'citypay', [big]);
	const floor = await bareNodeFloor(ctx.paths.node, bigUrl);
	return {
		floor: { ...floor, verified: floor.received === big.size },
		nodeMs: nodeTask(measured.result.run, 'CityPay')?.executionTime,
		peakKb: measured.result.peakKb,
		baselineKb: baseline.result.peakKb,
		addedKb: measured.result.peakKb - baseline.result.peakKb,
		verified: check.ok && verifyUploads(baseline.sinkState, 'citypay', [small]).ok,
		problems: check.problems,
	};
}

function report(row) {
	const mb = (kb) => (kb / 1024).toFixed(0);
	const markdown = [
		'## A file by URL (Input Type URL)',
		'',
		`One 200 MB file by URL through CityPay, streamed from a file host into the upload (filesystem mode). "Added" is the n8n process's peak RSS minus that of the same workflow with a 1 KB file by URL; the target is at most ${URL_TARGET_MB} MB.`,
		'',
		'| case | node time | peak RSS | added | verified |',
		'|---|---|---|---|---|',
		`| 200 MB by URL → CityPay | ${row.nodeMs} ms | ${mb(row.peakKb)} MB | ${mb(row.addedKb)} MB | ${row.verified ? 'yes' : `NO: ${row.problems.join('; ')}`} |`,
		`| Node alone: \`http.get\` piped into \`http.request\`, same file (./scripts/bench/bareStream.mjs) | ${row.floor.ms} ms | – | ${mb(row.floor.addedKb)} MB | ${row.floor.verified ? 'yes' : `NO: ${row.floor.received} bytes`} |`,
		'',
		"The last row is the floor: n8n's Node binary, in a process holding about 300 MB of live objects as n8n does, streaming the same file with nothing but Node's HTTP client and `pipe`. Every chunk a socket reads arrives in a new buffer; traced with `--trace-gc`, such a transfer runs no young-generation collection at all, so the chunks are freed only by full collections, which V8 starts once tens of MB of them are outstanding and which take a few hundred milliseconds to finish in a heap this size. Any code that reads a socket in the n8n process adds about this much, whatever the file size (the 256 MB download shows the same for the HTTP Request node).",
	].join('\n');
	return { targets: [], markdown, verified: row.verified && row.floor.verified };
}

export const byUrl = { name: 'byUrl', prepare, measure, report };
