#!/usr/bin/env node
// `npm run bench`: uploads inside real n8n (2.41.1, prepared as `npm run dev` does), ours
// against n8n's HTTP Request node and curl, checked byte for byte at a hashing sink.
// Prints a table and writes it to BENCHMARKS.md. Not part of `npm test` (timings are noisy).
//
//   npm run bench [-- --latency-ms 50] [--big-mb 256] [--small-count 200] [--small-kb 256]
//                 [--concurrency 20] [--rate-limit 100/10] [--soak-count 10000] [--soak-fail 0.1]
//                 [--cases big,download,throughput,rateLimit,soak,sanity,byUrl] [--big-modes filesystem,default] [--cpu-prof DIR]
//                 [--flat-mb 64,1024]   (more file sizes for the big case, filesystem mode: is peak RSS flat?)
//                 [--repeat 1] [--skip-build] [--keep] [--out BENCHMARKS.md]
//
// --repeat N runs every big-file workflow N times and reports medians (the throughput runs at least 3
// times whatever N is: they are short and the noise is large). --concurrency N adds
// throughput runs with that Concurrency besides the default. --cases runs only those cases
// (the report then leaves the others out). --cpu-prof DIR writes a V8 CPU profile of every
// n8n process of the big uploads and downloads and the throughput runs into DIR (node --cpu-prof;
// the profiler's own cost then shows in those figures).
//
// Each case is one file in ./cases: prepare (inputs and workflows), measure, report.

import fs from 'node:fs';
import os from 'node:os';

import { bigFile } from './cases/bigFile.mjs';
import { byUrl } from './cases/byUrl.mjs';
import { download } from './cases/download.mjs';
import { rateLimit } from './cases/rateLimit.mjs';
import { sanity } from './cases/sanity.mjs';
import { soak } from './cases/soak.mjs';
import { throughput } from './cases/throughput.mjs';
import { readSettings } from './options.mjs';
import { renderReport } from './report.mjs';
import { describeMachine, setUp, tearDown } from './setup.mjs';
import { log } from './util.mjs';

/** The cases, in the order they run and appear in the report. */
const CASES = [bigFile, download, throughput, rateLimit, soak, sanity, byUrl];

async function main() {
	const startedAt = new Date();
	const loadBefore = os.loadavg();
	const config = readSettings();
	log(`settings: ${JSON.stringify({ ...config, cases: [...config.cases] })}`);
	const cases = CASES.filter((benchCase) => config.cases.has(benchCase.name));
	const ctx = await setUp(config, cases);
	try {
		const sections = [];
		for (const benchCase of cases) {
			const result = await benchCase.measure(ctx, ctx.prepared[benchCase.name]);
			sections.push(benchCase.report(result, ctx));
		}
		const machine = await describeMachine(ctx, loadBefore);
		const report = renderReport({ startedAt, durationMs: Date.now() - startedAt.getTime(), config, machine, retries: ctx.retries, sections });
		fs.writeFileSync(config.out, report.markdown);
		process.stdout.write(`${report.markdown}\n`);
		log(`wrote ${config.out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
		if (!report.allVerified) {
			log('some uploads did not arrive whole or a check failed: see the tables');
			process.exitCode = 1;
		}
	} finally {
		await tearDown(ctx);
	}
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.once(sig, () => {
		log(`${sig}: stopping`);
		process.exit(130); // the exit hooks kill the n8n process groups started so far
	});
}

main().catch((err) => {
	log(`FAILED: ${err.stack ?? err.message}`);
	process.exit(1);
});
