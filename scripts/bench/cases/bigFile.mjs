// Case `big`: one big file (256 MB by default) uploaded by Invent, CityPay and the HTTP Request
// node in each binary data mode, beside curl, the workflow that only reads the file (baseline)
// and the floor (n8n's own read of the stored file, nothing sent); then the same in filesystem
// mode at more sizes (64 MB and 1 GB by default): does peak RSS stay flat as the file grows?

import path from 'node:path';

import { cpuDuringNode, nodeTask, timed } from '../measure.mjs';
import { verifyNoUploads, verifyUploads } from '../sinkProcess.mjs';
import { log, MB, median, medians, writeInventJson } from '../util.mjs';
import { FLOOR_NODE, floorReader, READ_NODE, TOKEN, workflow } from '../workflows.mjs';
import { bigFileReport } from './bigFileReport.mjs';

/** The workflows of each file size: Read File alone, then → one of these nodes. `api`: where it uploads. */
export const ROWS = [
	{ key: 'baseline', node: READ_NODE },
	{ key: 'floor', node: FLOOR_NODE },
	{ key: 'invent', node: 'Invent', api: 'invent' },
	{ key: 'cityPay', node: 'CityPay', api: 'citypay' },
	{ key: 'httpRequest', node: 'HTTP Request', api: 'citypay' },
];

const workflowKey = (file, row) => `benchBig${file.size / MB}${row.key}`;

function prepare(ctx) {
	const big = ctx.inputs.big();
	const others = ctx.config.flatBytes.filter((bytes) => bytes !== big.size);
	const sizes = [big, ...others.map((bytes) => ctx.inputs.sized(bytes))];
	const target = {
		baseline: () => [],
		floor: () => [floorReader()],
		invent: () => [ctx.nodes.invent()],
		cityPay: () => [ctx.nodes.cityPay()],
		httpRequest: () => [ctx.nodes.httpRequest()],
	};
	const workflows = {};
	for (const file of sizes) {
		for (const row of ROWS) {
			const key = workflowKey(file, row);
			workflows[key] = workflow(key, `Bench: ${file.size / MB} MB → ${row.node}`, file.file, target[row.key]());
		}
	}
	return { workflows, big, sizes, bigJson: writeInventJson(big, path.join(ctx.filesDir, 'big.json')) };
}

/** curl uploading the big file 3 times each way (multipart, Invent's JSON prepared beforehand): the practical limit. */
async function measureCurl(ctx, { big, bigJson }) {
	const runs = { multipart: [], json: [] };
	log('curl: 3 uploads of each kind');
	for (let i = 0; i < 3; i++) {
		for (const kind of ['multipart', 'json']) {
			await ctx.sink.reset();
			const args =
				kind === 'multipart'
					? ['-F', `file=@${big.file};type=application/octet-stream`, `${ctx.sink.url}/v1/attachments`]
					: ['-T', bigJson, '-X', 'POST', '-H', 'Content-Type: application/json', `${ctx.sink.url}/orgs/c/contacts/bench-contact/files`];
			const r = await timed('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:', '-H', `Authorization: Bearer ${TOKEN}`, ...args]);
			const check = verifyUploads(await ctx.sink.requests(), kind === 'multipart' ? 'citypay' : 'invent', [big]);
			if (r.code !== 0 || !r.stdout.startsWith('2') || !check.ok) {
				throw new Error(`curl ${kind} failed: exit ${r.code}, HTTP ${r.stdout}, ${check.problems.join('; ')} ${r.stderr}`);
			}
			runs[kind].push(r);
		}
	}
	const curl = Object.fromEntries(
		Object.entries(runs).map(([kind, r]) => [kind, { wallMs: median(r.map((x) => x.wallMs)), maxRssKb: median(r.map((x) => x.maxRssKb)), runs: r.length }]),
	);
	log(`curl multipart ${curl.multipart.wallMs.toFixed(0)} ms, JSON ${curl.json.wallMs.toFixed(0)} ms`);
	return curl;
}

/** The floor's run: no request, and the node read every byte of the file. */
function floorCheck(run, sinkState, file) {
	const check = verifyNoUploads(sinkState);
	const bytes = nodeTask(run, FLOOR_NODE)?.data?.main?.[0]?.[0]?.json?.bytes;
	if (bytes !== file.size) check.problems.push(`read ${bytes} bytes of ${file.size}`);
	return { ...check, ok: check.problems.length === 0 };
}

async function measureRow(ctx, file, mode, row, cpuProf) {
	const { result, sinkState } = await ctx.execute(workflowKey(file, row), mode, {}, { cpuProf });
	const check = row.api ? verifyUploads(sinkState, row.api, [file]) : row.key === 'floor' ? floorCheck(result.run, sinkState, file) : verifyNoUploads(sinkState);
	const task = nodeTask(result.run, row.node);
	const sample = {
		nodeMs: task?.executionTime,
		cpuMs: cpuDuringNode(result.rssSamples, task),
		readMs: nodeTask(result.run, READ_NODE)?.executionTime,
		peakKb: result.peakKb,
		runPeakKb: result.runPeakKb,
		check,
	};
	log(`  node ${sample.nodeMs} ms, CPU ${sample.cpuMs} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
	return sample;
}

/** Every row's workflow on `file` in `mode`, `rounds` times: row key → medians, verified, problems. */
async function measureFile(ctx, file, mode, { rounds, cpuProf }) {
	const samples = Object.fromEntries(ROWS.map((row) => [row.key, []]));
	for (let round = 0; round < rounds; round++) {
		for (const row of ROWS) {
			log(`${file.size / MB} MB, ${mode}: ${row.key} (round ${round + 1}/${rounds})`);
			samples[row.key].push(await measureRow(ctx, file, mode, row, cpuProf));
		}
	}
	return Object.fromEntries(
		Object.entries(samples).map(([key, s]) => [
			key,
			{
				...medians(s, ['nodeMs', 'cpuMs', 'readMs', 'peakKb', 'runPeakKb']),
				verified: s.every((x) => x.check.ok),
				problems: s.flatMap((x) => x.check.problems),
				runs: s.length,
			},
		]),
	);
}

/** { curl, sizes: [{ mb, modes: { <mode>: rows } }] }: the big file in every mode asked for, the other sizes in filesystem mode. */
async function measure(ctx, prepared) {
	const curl = await measureCurl(ctx, prepared);
	const sizes = [];
	for (const file of prepared.sizes) {
		const main = file === prepared.big;
		const modes = {};
		for (const mode of main ? ctx.config.bigModes : ['filesystem']) {
			modes[mode] = await measureFile(ctx, file, mode, { rounds: main ? ctx.config.repeat : 1, cpuProf: main });
		}
		sizes.push({ mb: file.size / MB, main, modes });
	}
	return { curl, sizes };
}

export const bigFile = { name: 'big', prepare, measure, report: bigFileReport };
