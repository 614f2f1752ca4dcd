// Case `rateLimit`: the throughput batch against a sink that allows N uploads per window and
// answers 429 with Retry-After beyond it: ours at default settings, the HTTP Request node as
// it comes and with Retry On Fail.

import { nodeTask, runFailure, runSucceeded } from '../measure.mjs';
import { fmt, ms, pass, table, TARGETS } from '../report.mjs';
import { orderKept, verifyUploads } from '../sinkProcess.mjs';
import { log } from '../util.mjs';
import { workflow } from '../workflows.mjs';

const RUNS = [
	{ label: 'Invent', key: 'benchRateInvent', node: 'Invent', api: 'invent' },
	{ label: 'CityPay', key: 'benchRateCity', node: 'CityPay', api: 'citypay' },
	{ label: 'HTTP Request node, On Error: Continue', key: 'benchRateHttpCont', node: 'HTTP Request', api: 'citypay' },
	{ label: 'HTTP Request node, Retry On Fail (3 tries, 1 s apart)', key: 'benchRateHttpRetry', node: 'HTTP Request', api: 'citypay' },
];

function prepare(ctx) {
	const { glob } = ctx.inputs.small();
	const nodes = {
		benchRateInvent: ctx.nodes.invent(),
		benchRateCity: ctx.nodes.cityPay(),
		benchRateHttpCont: ctx.nodes.httpRequest({ onError: 'continueRegularOutput' }),
		benchRateHttpRetry: ctx.nodes.httpRequest({ retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 }),
	};
	return { workflows: Object.fromEntries(RUNS.map(({ label, key }) => [key, workflow(key, `Bench: rate-limited → ${label}`, glob, [nodes[key]])])) };
}

async function measureRun(ctx, run) {
	const { latencyMs, rateLimit } = ctx.config;
	log(`rate limit ${rateLimit.requests} per ${rateLimit.windowMs / 1000} s: ${run.label}`);
	const { result, sinkState } = await ctx.execute(run.key, 'filesystem', { latencyMs, rateLimit }, { allowFailure: true });
	const check = verifyUploads(sinkState, run.api, ctx.inputs.small().files);
	const outputs = nodeTask(result.run, run.node)?.data?.main?.[0] ?? [];
	const row = {
		label: run.label,
		nodeMs: nodeTask(result.run, run.node)?.executionTime,
		runFailed: !runSucceeded(result),
		runError: runSucceeded(result) ? undefined : runFailure(result).split('\n')[0].slice(0, 120),
		outputs: outputs.length,
		failedItems: outputs.filter((item) => item.json.error !== undefined).length,
		accepted: sinkState.requests.length,
		distinctFiles: new Set(sinkState.requests.flatMap((r) => r.files.map((f) => f.sha256))).size,
		throttled: sinkState.throttled,
		verified: check.ok,
		problems: check.problems,
		orderKept: orderKept(result.run, run.node),
	};
	log(`  node ${row.nodeMs} ms, ${row.failedItems} failed items, ${row.accepted} uploads accepted, ${row.throttled} answered 429${row.runFailed ? `, run failed: ${row.runError}` : ''}`);
	return row;
}

async function measure(ctx) {
	const rows = [];
	for (const run of RUNS) rows.push(await measureRun(ctx, run));
	return rows;
}

const isHttp = (row) => row.label.startsWith('HTTP');

function report(rows, ctx) {
	const { smallCount, smallBytes, rateLimit } = ctx.config;
	const minimumMs = (Math.ceil(smallCount / rateLimit.requests) - 1) * rateLimit.windowMs;
	const targets = rows
		.filter((r) => !isHttp(r))
		.map((r) => [
			`${r.label}: ${smallCount} items, API limited to ${rateLimit.requests} requests per ${rateLimit.windowMs / 1000} s, default settings`,
			`${r.failedItems} failed items; ${ms(r.nodeMs)} = ${fmt(r.nodeMs / minimumMs, 2)}× the ${fmt(minimumMs / 1000)} s the limit allows`,
			`0 failed, ≤ ${TARGETS.rateLimitedVsMinimum}×`,
			pass(!r.runFailed && r.failedItems === 0 && r.verified && r.nodeMs / minimumMs <= TARGETS.rateLimitedVsMinimum),
		]);
	const lines = rows.map((r) => [
		isHttp(r) ? r.label : `**${r.label}** (default settings)`,
		ms(r.nodeMs),
		r.runFailed ? `❌ failed: ${r.runError}` : '✅ finished',
		`${r.outputs}`,
		`${r.failedItems}`,
		`${r.accepted} (${r.distinctFiles} distinct files)`,
		`${r.throttled}`,
		r.orderKept ? '✅' : '–',
	]);
	const markdown = `## Rate-limited API: ${smallCount} files × ${smallBytes / 1024} KB, at most ${rateLimit.requests} uploads per ${rateLimit.windowMs / 1000} s (filesystem mode)

The sink answers 429 with \`Retry-After\` (whole seconds until its window ends) beyond the limit; the least
time ${smallCount} uploads can take is ${fmt(minimumMs / 1000)} s (the last window opens then). curl does not apply (one request).

${table(['Uploader', 'Node time', 'Run', 'Output items', 'Failed items', 'Uploads accepted', 'Answered 429', 'Output order and pairing'], lines)}`;
	// Only our nodes must get every file through; the HTTP Request node's losses are the finding.
	return { targets, markdown, verified: rows.filter((r) => !isHttp(r)).every((r) => r.verified) };
}

export const rateLimit = { name: 'rateLimit', prepare, measure, report };
