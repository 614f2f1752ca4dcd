// Case `throughput`: a batch of small files (200 × 256 KB by default) against a sink that
// answers after a latency, through Invent and CityPay at default settings (and at
// --concurrency N) beside the HTTP Request node: node time, CPU per item, requests in flight.

import { cpuDuringNode, nodeTask } from '../measure.mjs';
import { fmt, ms, pass, table, TARGETS } from '../report.mjs';
import { orderKept, verifyUploads } from '../sinkProcess.mjs';
import { log, medians } from '../util.mjs';
import { workflow } from '../workflows.mjs';

const HTTP = 'HTTP Request node';
const HTTP_CREDENTIAL = 'HTTP Request node, Header Auth credential';

/** The runs: label, workflow key, node name, sink api, Concurrency ('default', a number, or undefined for the HTTP Request node). */
function runsFor(config) {
	const withConcurrency = (label, key, node, api) => (config.concurrency ? [{ label, key, node, api, concurrency: config.concurrency }] : []);
	return [
		{ label: 'Invent', key: 'benchSmallInvent5', node: 'Invent', api: 'invent', concurrency: 'default' },
		...withConcurrency('Invent', 'benchSmallInventN', 'Invent', 'invent'),
		{ label: 'CityPay', key: 'benchSmallCity5', node: 'CityPay', api: 'citypay', concurrency: 'default' },
		...withConcurrency('CityPay', 'benchSmallCityN', 'CityPay', 'citypay'),
		{ label: HTTP, key: 'benchSmallHttp', node: 'HTTP Request', api: 'citypay' },
		{ label: HTTP_CREDENTIAL, key: 'benchSmallHttpCred', node: 'HTTP Request', api: 'citypay' },
	];
}

function prepare(ctx) {
	const { glob } = ctx.inputs.small();
	const { nodes, config } = ctx;
	const small = (key, name, node) => [key, workflow(key, name, glob, [node])];
	return {
		workflows: Object.fromEntries([
			small('benchSmallInvent5', 'Bench: small → Invent (default)', nodes.invent()),
			small('benchSmallInventN', 'Bench: small → Invent', nodes.invent(config.concurrency)),
			small('benchSmallCity5', 'Bench: small → CityPay (default)', nodes.cityPay()),
			small('benchSmallCityN', 'Bench: small → CityPay', nodes.cityPay(config.concurrency)),
			small('benchSmallHttp', 'Bench: small → HTTP Request', nodes.httpRequest()),
			small('benchSmallHttpCred', 'Bench: small → HTTP Request (credential)', nodes.httpRequest({}, { withCredential: true })),
		]),
	};
}

async function measureRun(ctx, run) {
	const { result, sinkState } = await ctx.execute(run.key, 'filesystem', { latencyMs: ctx.config.latencyMs }, { cpuProf: true });
	const check = verifyUploads(sinkState, run.api, ctx.inputs.small().files);
	const task = nodeTask(result.run, run.node);
	const sample = {
		nodeMs: task?.executionTime,
		cpuMs: cpuDuringNode(result.rssSamples, task),
		mainCpuMs: cpuDuringNode(result.rssSamples, task, 'mainCpuMs'),
		check,
		orderKept: orderKept(result.run, run.node),
	};
	log(`  node ${sample.nodeMs} ms, CPU ${sample.cpuMs} ms (main thread ${sample.mainCpuMs} ms), max in flight ${sinkState.maxInFlight}${check.ok ? '' : `, CHECK FAILED: ${check.problems.join('; ')}`}`);
	return sample;
}

/** One row per run, medians over `smallRounds` rounds (every run once per round). */
async function measure(ctx) {
	const runs = runsFor(ctx.config);
	const samples = runs.map(() => []);
	for (let round = 0; round < ctx.config.smallRounds; round++) {
		for (const [i, run] of runs.entries()) {
			log(`throughput: ${run.label} concurrency ${run.concurrency ?? 'n8n default'} (round ${round + 1}/${ctx.config.smallRounds})`);
			samples[i].push(await measureRun(ctx, run));
		}
	}
	return runs.map(({ label, concurrency }, i) => ({
		label,
		concurrency,
		...medians(samples[i], ['nodeMs', 'cpuMs', 'mainCpuMs']),
		maxInFlight: Math.max(...samples[i].map((x) => x.check.maxInFlight)),
		verified: samples[i].every((x) => x.check.ok),
		problems: samples[i].flatMap((x) => x.check.problems),
		orderKept: samples[i].every((x) => x.orderKept),
		runs: samples[i].length,
	}));
}

const isHttp = (row) => row.label.startsWith('HTTP');

function timeTargets(rows, ctx) {
	const { config } = ctx;
	const count = config.smallCount;
	const http = rows.find((t) => t.label === HTTP);
	return rows
		.filter((t) => !isHttp(t) && t.concurrency === 'default')
		.map((t) => [
			`${t.label}: ${count} × ${config.smallBytes / 1024} KB at ${config.latencyMs} ms latency, default settings`,
			`${ms(t.nodeMs)} vs HTTP Request ${ms(http.nodeMs)} (${fmt(t.nodeMs / http.nodeMs, 2)}×)`,
			`≤ ${TARGETS.throughputVsHttp}× HTTP Request node`,
			pass(t.nodeMs <= http.nodeMs * TARGETS.throughputVsHttp),
		]);
}

function cpuTargets(rows, ctx) {
	const count = ctx.config.smallCount;
	const http = rows.find((t) => t.label === HTTP);
	const withCredential = rows.find((t) => t.label === HTTP_CREDENTIAL);
	const per = (x) => x.cpuMs / count;
	const credentialNote = withCredential?.cpuMs === undefined ? '' : `; with a Header Auth credential ${fmt(per(withCredential), 2)} ms`;
	return rows
		.filter((t) => !isHttp(t) && t.concurrency === 'default' && t.cpuMs !== undefined && http.cpuMs !== undefined)
		.map((t) => {
			const mainThread =
				t.mainCpuMs === undefined || http.mainCpuMs === undefined ? '' : `; main thread ${fmt(t.mainCpuMs / count, 2)} vs ${fmt(http.mainCpuMs / count, 2)} ms`;
			return [
				`${t.label}: CPU per small item (n8n process, during the node)`,
				`${fmt(per(t), 2)} ms vs HTTP Request ${fmt(per(http), 2)} ms (${fmt(per(t) / per(http), 2)}×)${credentialNote}${mainThread}`,
				'≤ HTTP Request node',
				pass(per(t) <= per(http) * TARGETS.cpuPerItemVsHttp),
			];
		});
}

function inFlightTargets(rows, ctx) {
	return rows
		.filter((t) => !isHttp(t))
		.map((t) => {
			const setting = t.concurrency === 'default' ? ctx.defaultConcurrency : t.concurrency;
			return [
				`${t.label}, Concurrency ${t.concurrency === 'default' ? `default (${setting})` : setting}: never more requests in flight than the setting`,
				`${t.maxInFlight} at most`,
				`≤ ${setting}`,
				pass(t.maxInFlight <= setting),
			];
		});
}

function tableRow(t, http, ctx) {
	const count = ctx.config.smallCount;
	return [
		isHttp(t) ? t.label.replace(HTTP, 'HTTP Request node v4.2') : `**${t.label}**`,
		isHttp(t) ? "n8n's own (unbounded)" : t.concurrency === 'default' ? `default (${ctx.defaultConcurrency})` : String(t.concurrency),
		ms(t.nodeMs),
		`${fmt(t.nodeMs / http.nodeMs, 2)}×`,
		t.cpuMs === undefined ? '–' : `${fmt(t.cpuMs / count, 2)} ms`,
		t.mainCpuMs === undefined ? '–' : `${fmt(t.mainCpuMs / count, 2)} ms`,
		String(t.maxInFlight),
		t.verified ? `✅ all ${count}` : `❌ ${t.problems.join('; ')}`,
		isHttp(t) ? '–' : t.orderKept ? '✅' : '❌',
	];
}

function report(rows, ctx) {
	const { config } = ctx;
	const http = rows.find((t) => t.label === HTTP);
	const head = ['Uploader', 'Concurrency', 'Node time', '× HTTP Request node', 'CPU per item (n8n process)', 'Of it, main thread', 'Max requests in flight (sink)', 'Sink check (sha256)', 'Output order and pairing'];
	const markdown = `## Throughput: ${config.smallCount} files × ${config.smallBytes / 1024} KB, sink answering after ${config.latencyMs} ms (filesystem mode)

${table(head, rows.map((t) => tableRow(t, http, ctx)))}`;
	return {
		targets: [...timeTargets(rows, ctx), ...cpuTargets(rows, ctx), ...inFlightTargets(rows, ctx)],
		markdown,
		verified: rows.every((t) => t.verified),
	};
}

export const throughput = { name: 'throughput', prepare, measure, report };
