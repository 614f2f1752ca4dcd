// Case `soak`: many 1 KB items (10,000 by default) through CityPay with On Error: Continue
// while the sink fails a share of uploads at random; beside the HTTP Request node through the
// same faults, for how much of the memory growth is n8n's own.

import fs from 'node:fs';
import path from 'node:path';

import { nodeTask, runSucceeded } from '../measure.mjs';
import { fmt, mb, ms, pass, table, TARGETS } from '../report.mjs';
import { orderKeptWithErrors } from '../sinkProcess.mjs';
import { log } from '../util.mjs';
import { workflow } from '../workflows.mjs';

function prepare(ctx) {
	const { glob } = ctx.inputs.soak();
	return {
		workflows: {
			benchSoak: workflow('benchSoak', 'Bench: soak → CityPay (continue)', glob, [ctx.nodes.cityPay(undefined, { onError: 'continueRegularOutput' })]),
			benchSoakHttp: workflow('benchSoakHttp', 'Bench: soak → HTTP Request (continue)', glob, [ctx.nodes.httpRequest({ onError: 'continueRegularOutput' })]),
		},
	};
}

/** The upload counts the live heap is read at: the 1,000th, the middle one and the last (those the run reached). */
const marks = (uploads) => [1000, Math.floor(uploads / 2), uploads].filter((n) => n > 0 && n <= uploads);

/** The last of `samples` ({ t, … }) taken by the time the sink recorded its n-th upload; undefined before it had n. */
function sampleAtUpload(samples, sinkState, n) {
	const at = sinkState.requests[n - 1]?.at;
	return at === undefined ? undefined : samples.filter((x) => x.t <= at).at(-1);
}

/**
 * The live heap along a second run of `key`: a full garbage collection every 500 ms (see
 * ../n8n-preload.cjs). A second run, since the forced collections would also keep the first
 * run's RSS down.
 */
async function heapAlong(ctx, key) {
	const file = path.join(ctx.tmp, `heap-${key}.log`);
	fs.rmSync(file, { force: true });
	const { sinkState } = await ctx.execute(key, 'filesystem', { failRate: ctx.config.soakFailRate }, { allowFailure: true, env: { BENCH_HEAP_LOG: file } });
	const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
	const samples = lines.map((line) => line.split(' ').map(Number)).map(([t, heapKb]) => ({ t, heapKb }));
	return marks(sinkState.requests.length)
		.map((n) => ({ uploads: n, heapKb: sampleAtUpload(samples, sinkState, n)?.heapKb }))
		.filter((x) => x.heapKb !== undefined);
}

/** One run of `key` through the faults: { result, sinkState, figures: output counts, node time, RSS at the marks, peak RSS }. */
async function soakRun(ctx, key, nodeName) {
	const { result, sinkState } = await ctx.execute(key, 'filesystem', { failRate: ctx.config.soakFailRate }, { allowFailure: true });
	const outputs = nodeTask(result.run, nodeName)?.data?.main?.[0] ?? [];
	const uploads = sinkState.requests.length;
	const figures = {
		outputs: outputs.length,
		errorItems: outputs.filter((item) => item.json.error !== undefined).length,
		accepted: uploads,
		nodeMs: nodeTask(result.run, nodeName)?.executionTime,
		rss: [1000, Math.floor(uploads / 2), uploads].filter((n) => n > 0).map((n) => ({ uploads: n, rssKb: sampleAtUpload(result.rssSamples, sinkState, n)?.rss })),
		peakKb: result.peakKb,
	};
	return { result, sinkState, figures };
}

/** CityPay's soak: every item out, in order, no file sent twice or unknown, and every success one kept upload. */
function cityPayChecks(ctx, { result, sinkState, figures }) {
	const wanted = new Set(ctx.inputs.soak().files.map((f) => f.sha256));
	const shas = sinkState.requests.flatMap((r) => r.files.map((f) => f.sha256));
	const uploaded = figures.outputs - figures.errorItems;
	return {
		items: ctx.config.soakCount,
		runOk: runSucceeded(result),
		uploaded,
		faults: sinkState.faults,
		duplicates: shas.length - new Set(shas).size,
		unknown: shas.filter((sha) => !wanted.has(sha)).length,
		// Every successful output item's upload reached the sink, and every upload the sink kept is one output item.
		acceptedMatch: uploaded === sinkState.requests.length,
		orderKept: orderKeptWithErrors(result.run, 'CityPay'),
	};
}

async function measure(ctx) {
	const { soakCount, soakFailRate } = ctx.config;
	log(`soak: ${soakCount} items through CityPay (Continue), ${soakFailRate * 100}% failing`);
	const cityPay = await soakRun(ctx, 'benchSoak', 'CityPay');
	log(`soak: the same ${soakCount} items through the HTTP Request node (Continue)`);
	const http = await soakRun(ctx, 'benchSoakHttp', 'HTTP Request');
	log('soak: both again, with a full garbage collection every 500 ms (live heap)');
	const soak = {
		...cityPay.figures,
		...cityPayChecks(ctx, cityPay),
		heap: await heapAlong(ctx, 'benchSoak'),
		http: { ...http.figures, heap: await heapAlong(ctx, 'benchSoakHttp') },
	};
	log(`  ${JSON.stringify({ ...soak, rss: soak.rss.map((r) => `${r.uploads}: ${(r.rssKb / 1024).toFixed(0)} MB`) })}`);
	return soak;
}

const rssAlong = (rss) => rss.map((r) => `${fmt(mb(r.rssKb))} MB at ${r.uploads}`).join(', ');

/** The live heap (after a full garbage collection) along the run, e.g. "148 MB at 1000, 150 MB at 4600, 153 MB at 9300 uploads". */
const heapAlongText = (heap = []) => (heap.length < 2 ? 'not sampled' : `${heap.map((h) => `${fmt(mb(h.heapKb))} MB at ${h.uploads}`).join(', ')} uploads`);

const isCorrect = (soak) => soak.outputs === soak.items && soak.orderKept && soak.duplicates === 0 && soak.unknown === 0 && soak.acceptedMatch;

function targets(soak, ctx) {
	const growthMb = mb(soak.rss.at(-1).rssKb - soak.rss[0].rssKb);
	const rows = [
		[
			`Soak: ${soak.items} items through CityPay (Continue), ${fmt(ctx.config.soakFailRate * 100)}% of requests failing`,
			`${soak.outputs} outputs, ${soak.errorItems} error items, order ${soak.orderKept ? 'kept' : 'BROKEN'}, ${soak.duplicates} sent twice; RSS ${rssAlong(soak.rss)} uploads (HTTP Request node: ${rssAlong(soak.http.rss)})`,
			`all in order, none twice, RSS growth ≤ ${TARGETS.soakRssGrowthMb} MB`,
			pass(isCorrect(soak) && growthMb <= TARGETS.soakRssGrowthMb),
		],
	];
	if (soak.heap.length >= 2) {
		rows.push([
			'Soak, what RSS leaves open: live heap after a full garbage collection, 1,000th upload to the last',
			`${heapAlongText(soak.heap)} (HTTP Request node: ${heapAlongText(soak.http.heap)})`,
			`growth ≤ ${TARGETS.soakRssGrowthMb} MB`,
			pass(mb(soak.heap.at(-1).heapKb - soak.heap[0].heapKb) <= TARGETS.soakRssGrowthMb),
		]);
	}
	return rows;
}

function lines(soak) {
	return [
		['Items / output items', `${soak.items} / ${soak.outputs}`],
		['Uploaded / error items', `${soak.uploaded} / ${soak.errorItems}`],
		['Faults the sink made (kind: count)', Object.entries(soak.faults).map(([k, v]) => `${k}: ${v}`).join(', ')],
		['Uploads the sink kept / sent twice / unknown files', `${soak.accepted} / ${soak.duplicates} / ${soak.unknown}`],
		['Every successful output item is one kept upload', soak.acceptedMatch ? '✅' : '❌'],
		['Output order and pairing', soak.orderKept ? '✅' : '❌'],
		['Node time', ms(soak.nodeMs)],
		...soak.rss.map((r) => [`n8n process RSS when the sink had ${r.uploads} uploads`, `${fmt(mb(r.rssKb))} MB`]),
		['Peak RSS of the process (VmHWM)', `${fmt(mb(soak.peakKb))} MB`],
		['Live heap after a full garbage collection (second run), at the same points', heapAlongText(soak.heap)],
		[
			'HTTP Request node, same items and faults (On Error: Continue)',
			`${soak.http.outputs} outputs, ${soak.http.errorItems} error items, ${soak.http.accepted} uploads kept, ${ms(soak.http.nodeMs)}`,
		],
		['HTTP Request node: n8n process RSS at the same points', `${rssAlong(soak.http.rss)}; peak ${fmt(mb(soak.http.peakKb))} MB`],
		['HTTP Request node: live heap after a full garbage collection (second run)', heapAlongText(soak.http.heap)],
	];
}

function report(soak, ctx) {
	const markdown = `## Soak: ${soak.items} files × 1 KB through CityPay Upload, On Error: Continue (regular output), ${fmt(ctx.config.soakFailRate * 100)}% of requests failing

The sink fails that share of uploads at random, before reading them: 500, 429 (no Retry-After) or a dropped connection.
Default settings otherwise (3 retries: a 429 is retried, a 500 or a dropped upload is not, since it may have arrived).
RSS is the heap as V8 has sized it, garbage included. The live heap is what remains after a full garbage collection,
forced every 500 ms (a preload, scripts/bench/n8n-preload.cjs) in a second run of each workflow, so that the forced
collections do not touch the RSS figures; it is read at the same upload counts.

${table(['Check', 'Figure'], lines(soak))}`;
	return { targets: targets(soak, ctx), markdown, verified: isCorrect(soak) };
}

export const soak = { name: 'soak', prepare, measure, report };
