// Renders the benchmark's figures as Markdown (BENCHMARKS.md) and evaluates the targets of issue 7.

export const TARGETS = Object.freeze({
	rssIncreaseMb: 64, // peak RSS over the same workflow without the upload, filesystem mode
	timeVsCurl: 1.5, // upload node time / curl wall time, same file
	throughputVsHttp: 1, // our node time / HTTP Request node time, 200 small files with latency
});

const mb = (kb) => (kb === undefined ? undefined : kb / 1024);
const fmt = (value, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const ms = (value) => (value === undefined ? '–' : `${fmt(value)} ms`);
const pass = (ok) => (ok ? '✅ met' : '❌ not met');
const table = (head, rows) =>
	[`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function renderReport(data) {
	const { config, machine, curl, big, throughput, sanity } = data;
	const bigMb = config.bigBytes / 1024 / 1024;
	const smallKb = config.smallBytes / 1024;
	const targets = [];
	let allVerified = true;

	const bigSection = (mode) => {
		const rows = big[mode];
		const base = rows.baseline;
		const lines = [];
		const add = (label, key, row) => {
			if (!row.verified) allVerified = false;
			const delta = key === 'baseline' ? undefined : mb(row.peakKb - base.peakKb);
			const runDelta = key === 'baseline' || row.runPeakKb === undefined ? undefined : mb(row.runPeakKb - base.runPeakKb);
			const vsCurl = key === 'baseline' ? undefined : row.nodeMs / curl.multipart.wallMs;
			lines.push([
				label,
				key === 'baseline' ? `(read: ${ms(row.readMs)})` : ms(row.nodeMs),
				key === 'baseline' ? '–' : `${fmt(vsCurl, 2)}×`,
				`${fmt(mb(row.peakKb))} MB`,
				key === 'baseline' ? '–' : `${delta >= 0 ? '+' : ''}${fmt(delta)} MB`,
				`${fmt(mb(row.runPeakKb))} MB${runDelta === undefined ? '' : ` (${runDelta >= 0 ? '+' : ''}${fmt(runDelta)})`}`,
				key === 'baseline' ? (row.verified ? 'no request (as expected)' : '❌ requests seen') : row.verified ? '✅ every byte' : `❌ ${row.problems.join('; ')}`,
			]);
			return { delta, vsCurl };
		};
		const figures = {};
		add('Read/Write Files from Disk only (baseline)', 'baseline', base);
		figures.invent = add('Read → **Invent** (JSON, base64 streamed)', 'invent', rows.invent);
		figures.cityPay = add('Read → **CityPay** (multipart)', 'cityPay', rows.cityPay);
		figures.httpRequest = add('Read → HTTP Request node v4.2 (multipart)', 'httpRequest', rows.httpRequest);
		lines.push([
			'curl, multipart (same file)',
			`${ms(curl.multipart.wallMs)} wall`,
			'1.00×',
			`${fmt(mb(curl.multipart.maxRssKb), 1)} MB`,
			'–',
			'–',
			'✅ every byte',
		]);
		lines.push([
			"curl, Invent's JSON body (base64, prepared file)",
			`${ms(curl.json.wallMs)} wall`,
			`${fmt(curl.json.wallMs / curl.multipart.wallMs, 2)}×`,
			`${fmt(mb(curl.json.maxRssKb), 1)} MB`,
			'–',
			'–',
			'✅ every byte',
		]);
		const text = table(
			['Workflow', 'Upload node time', '× curl multipart', 'Peak RSS (VmHWM)', 'Δ peak over baseline', 'Peak RSS during the run (Δ)', 'Sink check (sha256)'],
			lines,
		);
		return { text, figures };
	};

	const fs = bigSection('filesystem');
	const mem = bigSection('default');
	for (const [label, key] of [
		['Invent', 'invent'],
		['CityPay', 'cityPay'],
	]) {
		const f = fs.figures[key];
		targets.push([
			`${label}: peak RSS increase, ${bigMb} MB upload, filesystem mode`,
			`+${fmt(f.delta)} MB`,
			`≤ ${TARGETS.rssIncreaseMb} MB`,
			pass(f.delta <= TARGETS.rssIncreaseMb),
		]);
		targets.push([
			`${label}: upload node time vs curl wall time (${bigMb} MB, filesystem mode)`,
			`${ms(big.filesystem[key].nodeMs)} / ${ms(curl.multipart.wallMs)} = ${fmt(f.vsCurl, 2)}×`,
			`≤ ${TARGETS.timeVsCurl}×`,
			pass(f.vsCurl <= TARGETS.timeVsCurl),
		]);
	}

	const http = throughput.find((t) => t.label === 'HTTP Request node');
	const throughputLines = throughput.map((t) => {
		if (!t.verified) allVerified = false;
		const isHttp = t === http;
		return [
			isHttp ? 'HTTP Request node v4.2' : `**${t.label}**`,
			isHttp ? "n8n's own (unbounded)" : `${t.concurrency}${t.concurrency === 5 ? ' (default)' : ''}`,
			ms(t.nodeMs),
			isHttp ? '1.00×' : `${fmt(t.nodeMs / http.nodeMs, 2)}×`,
			String(t.maxInFlight),
			t.verified ? `✅ all ${data.files.smallCount}` : `❌ ${t.problems.join('; ')}`,
			isHttp ? '–' : t.orderKept ? '✅' : '❌',
		];
	});
	for (const t of throughput.filter((x) => x !== http && x.concurrency === config.concurrency)) {
		targets.push([
			`${t.label}: ${data.files.smallCount} × ${smallKb} KB at ${config.latencyMs} ms latency, Concurrency ${t.concurrency}`,
			`${ms(t.nodeMs)} vs HTTP Request ${ms(http.nodeMs)} (${fmt(t.nodeMs / http.nodeMs, 2)}×)`,
			'≤ HTTP Request node',
			pass(t.nodeMs <= http.nodeMs * TARGETS.throughputVsHttp),
		]);
	}
	for (const t of throughput.filter((x) => x !== http)) {
		targets.push([
			`${t.label}, Concurrency ${t.concurrency}: never more requests in flight than the setting`,
			`${t.maxInFlight} at most`,
			`≤ ${t.concurrency}`,
			pass(t.maxInFlight <= t.concurrency),
		]);
	}
	const sanityOk = sanity.every((s) => s.ok);
	if (!sanityOk) allVerified = false;
	targets.push(['Haptik and Leadway still work (small file, both binary modes)', sanityOk ? 'all checks passed' : 'see below', 'no regression', pass(sanityOk)]);

	const memNote = mb(big.default.baseline.peakKb);
	const markdown = `# Benchmarks

Generated by \`npm run bench\` (scripts/bench/) on ${data.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${fmt(data.durationMs / 60000, 1)} min.
Regenerate it with \`npm run bench\`; the figures are from one run on a shared machine, so expect some noise.

**Machine**: ${machine.cores} × ${machine.cpu}, ${fmt(machine.memoryGb, 1)} GB RAM, ${machine.kernel};
load average ${machine.loadBefore.map((v) => v.toFixed(2)).join(' / ')} before, ${machine.loadAfter.map((v) => v.toFixed(2)).join(' / ')} after.
**Software**: n8n ${machine.n8n} on Node ${machine.n8nNode}; benchmark driver on Node ${machine.benchNode}; ${machine.curl}.

## Targets (issue 7)

${table(['Target', 'Figure', 'Limit', 'Result'], targets)}

## ${bigMb} MB file, filesystem binary data mode

${fs.text}

## ${bigMb} MB file, default (memory) binary data mode

${mem.text}

In this mode the file lives in the item as base64 (${fmt(bigMb * 4 / 3)} MB of text), so every uploader has to
decode it into one ${bigMb} MB buffer before sending: this mode holds whole files by design.

## Throughput: ${data.files.smallCount} files × ${smallKb} KB, sink answering after ${config.latencyMs} ms (filesystem mode)

${table(['Uploader', 'Concurrency', 'Node time', '× HTTP Request node', 'Max requests in flight (sink)', 'Sink check (sha256)', 'Output order and pairing'], throughputLines)}

## Haptik and Leadway (no-regression check, one ${fmt(sanity[0]?.bytes / 1024)} KB PDF)

${table(
	['Node', 'Binary mode', 'Node time', 'Sink check'],
	sanity.map((s) => [s.node, s.mode, ms(s.nodeMs), s.ok ? '✅ file whole, fields and headers as the API wants, output item as expected' : `❌ ${s.problems.join('; ')}`]),
)}

## How each figure is measured

- **n8n**: the real n8n ${machine.n8n} prepared by \`scripts/n8n-local/prepare.mjs\` (as \`npm run dev\` does). The
  package is built, packed with \`npm pack\` and installed as a community package into a fresh
  temporary user folder; credentials (pointing at the sink) and workflows are imported with
  \`n8n import:credentials\` / \`n8n import:workflow\`. Every workflow is Manual Trigger →
  Read/Write Files from Disk → the uploader, run with \`n8n execute --id … --rawOutput\`
  (a fresh n8n process each time; \`N8N_EXPRESSION_ENGINE=legacy\`, \`EXECUTIONS_DATA_SAVE_ON_SUCCESS=none\`,
  \`N8N_DEFAULT_BINARY_DATA_MODE=filesystem\` or \`default\`)${config.repeat > 1 ? `; each ${config.repeat} times, medians shown` : ''}.
- **Printed run**: a preload (\`scripts/bench/n8n-preload.cjs\`, via \`NODE_OPTIONS\`) cuts strings over 4 KB
  in the run data \`n8n execute\` prints after the run (the base64 of a file in the default mode) and lets
  n8n's exit wait until that output is complete; nothing it does happens before the run has finished.${data.retries?.length ? ` Run again once because n8n printed no run: ${data.retries.join(', ')}.` : ''}
- **Node time**: \`executionTime\` of the node's task data in the printed run data (n8n's own
  measurement of the node's execute call).
- **Peak RSS (VmHWM)**: \`VmHWM\` from \`/proc/<pid>/status\` of the \`n8n execute\` process, the
  process that runs the workflow (\`execute\` runs it in-process; the task runner it starts runs only
  Code nodes and is not counted), sampled every 20 ms until it exits; VmHWM is the kernel's exact
  high-water mark, so sampling cannot miss the peak. **Δ over baseline** subtracts the same
  measurement of the workflow that only reads the file. **Peak RSS during the run** is the highest
  \`VmRSS\` sample between the run's \`startedAt\` and \`stoppedAt\` (sampled, so it can miss a short spike).
- **curl**: \`curl -F file=@… \` (multipart, like CityPay and the HTTP Request node) and \`curl -T\` of a
  prepared file holding Invent's JSON body, each run 3 times under \`/usr/bin/time\` (median shown);
  wall time measured around the process, peak RSS from GNU time (\`wait4\` rusage). \`Expect: 100-continue\`
  is turned off so that curl does not wait for the server's go-ahead.
- **Sink**: \`scripts/bench/sink.mjs\`, its own Node process on 127.0.0.1. It parses each upload
  as it streams (multipart parts; Invent's JSON with the base64 decoded on the fly), hashes the
  file bytes with sha256 without holding the body, checks Content-Length against the bytes received,
  and answers with JSON shaped like each API's answer, after ${config.latencyMs} ms in the throughput runs
  (0 otherwise). Every file the sink hashed is compared with the sha256 of the generated file; the
  sink also counts the requests in flight at once.
- **Output order and pairing**: output item *i* of our node must carry \`pairedItem.item = i\` and the
  file name of input item *i*.
`;
	return { markdown, targets, allVerified };
}
