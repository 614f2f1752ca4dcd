// The report of case `big` (./bigFile.mjs): targets, a table per binary data mode for the
// big file, and peak RSS by file size.

import { fmt, mb, ms, pass, percent, signed, table, TARGETS } from '../report.mjs';

const LABELS = {
	baseline: 'Read/Write Files from Disk only (baseline)',
	floor: "Read → n8n's own read of the file, bytes dropped (floor)",
	invent: 'Read → **Invent** (JSON, base64 streamed)',
	cityPay: 'Read → **CityPay** (multipart)',
	httpRequest: 'Read → HTTP Request node v4.2 (multipart)',
};

const HEAD = [
	'Workflow',
	'Node time',
	"Of it, n8n's read (floor)",
	'× curl multipart',
	'Peak RSS (VmHWM)',
	'Δ peak over baseline',
	'Peak RSS during the run (Δ)',
	'Sink check (sha256)',
];

/** MB `row` holds over the baseline in `field` (peakKb or runPeakKb). */
const added = (row, base, field = 'peakKb') => (row[field] === undefined || base[field] === undefined ? undefined : mb(row[field] - base[field]));

function checkCell(key, row) {
	if (!row.verified) return `❌ ${row.problems.join('; ')}`;
	if (key === 'baseline') return 'no request (as expected)';
	if (key === 'floor') return 'no request; every byte read';
	return '✅ every byte';
}

function nodeRow(key, rows, curl) {
	const row = rows[key];
	const isBaseline = key === 'baseline';
	const runAdded = isBaseline ? undefined : added(row, rows.baseline, 'runPeakKb');
	return [
		LABELS[key],
		isBaseline ? `(read: ${ms(row.readMs)})` : ms(row.nodeMs),
		isBaseline || key === 'floor' ? '–' : percent(rows.floor.nodeMs, row.nodeMs),
		isBaseline ? '–' : `${fmt(row.nodeMs / curl.multipart.wallMs, 2)}×`,
		`${fmt(mb(row.peakKb))} MB`,
		isBaseline ? '–' : signed(added(row, rows.baseline)),
		`${fmt(mb(row.runPeakKb))} MB${runAdded === undefined ? '' : ` (${runAdded >= 0 ? '+' : ''}${fmt(runAdded)})`}`,
		checkCell(key, row),
	];
}

function curlRows(curl) {
	const { multipart, json } = curl;
	return [
		['curl, multipart (same file)', `${ms(multipart.wallMs)} wall`, '–', '1.00×', `${fmt(mb(multipart.maxRssKb), 1)} MB`, '–', '–', '✅ every byte'],
		[
			"curl, Invent's JSON body (base64, prepared file)",
			`${ms(json.wallMs)} wall`,
			'–',
			`${fmt(json.wallMs / multipart.wallMs, 2)}×`,
			`${fmt(mb(json.maxRssKb), 1)} MB`,
			'–',
			'–',
			'✅ every byte',
		],
	];
}

function modeSection(size, mode, curl) {
	const rows = size.modes[mode];
	const text = table(HEAD, [...Object.keys(LABELS).map((key) => nodeRow(key, rows, curl)), ...curlRows(curl)]);
	if (mode === 'filesystem') return `## ${size.mb} MB file, filesystem binary data mode\n\n${text}`;
	return `## ${size.mb} MB file, default (memory) binary data mode

${text}

In this mode the file lives in the item as base64 (${fmt((size.mb * 4) / 3)} MB of text), so every uploader has to
decode it into one ${size.mb} MB buffer before sending: this mode holds whole files by design.`;
}

const FLOOR_NOTE = `The floor is the benchmark's own node (\`scripts/bench/floorNode/\`, installed into n8n's custom
nodes folder): it reads the same file through n8n's binary helpers, as our uploads do, and drops the
bytes. In filesystem mode that is \`getBinaryStream\` in 256 KiB reads (the uploads' read size; Invent's
JSON body reads in smaller slices), in the default mode \`getBinaryDataBuffer\`. Its node time is what
reading the file through n8n costs any node before a byte is sent; *Of it, n8n's read* is that time as a
share of each node's time.`;

/** Peak RSS added over reading the file alone, and node time, at every size (filesystem mode). */
function sizesSection(sizes) {
	const cell = (row, base) => `${signed(added(row, base))}, ${ms(row.nodeMs)}${row.verified ? '' : ' ❌'}`;
	const lines = [...sizes]
		.filter((size) => size.modes.filesystem)
		.sort((a, b) => a.mb - b.mb)
		.map(({ mb: sizeMb, modes: { filesystem: r } }) => [`${sizeMb} MB`, `${fmt(mb(r.baseline.peakKb))} MB`, ...['floor', 'invent', 'cityPay', 'httpRequest'].map((key) => cell(r[key], r.baseline))]);
	return `## Peak RSS by file size (filesystem mode): added over reading the file alone, and node time

${table(['File', 'Read only (baseline peak)', "n8n's own read (floor)", 'Invent', 'CityPay', 'HTTP Request node v4.2'], lines)}`;
}

function timeTargets(size, curl) {
	const { floor, invent, cityPay, httpRequest } = size.modes.filesystem;
	const cityVsHttp = cityPay.nodeMs / httpRequest.nodeMs;
	const inventVsCity = invent.nodeMs / cityPay.nodeMs;
	return [
		[
			`CityPay: ${size.mb} MB upload node time vs the HTTP Request node (filesystem mode)`,
			`${ms(cityPay.nodeMs)} vs ${ms(httpRequest.nodeMs)} = ${fmt(cityVsHttp, 2)}× (curl ${ms(curl.multipart.wallMs)}; n8n's own read ${ms(floor.nodeMs)})`,
			`≤ ${TARGETS.bigVsHttp}×`,
			pass(cityVsHttp <= TARGETS.bigVsHttp),
		],
		[
			`Invent: ${size.mb} MB upload node time vs CityPay's (filesystem mode)`,
			`${ms(invent.nodeMs)} vs ${ms(cityPay.nodeMs)} = ${fmt(inventVsCity, 2)}× (curl JSON ${ms(curl.json.wallMs)})`,
			`≤ ${TARGETS.inventVsCityPay}×`,
			pass(inventVsCity <= TARGETS.inventVsCityPay),
		],
	];
}

function rssTargets(size) {
	const rows = size.modes.filesystem;
	return ['invent', 'cityPay'].map((key) => {
		const increase = added(rows[key], rows.baseline);
		return [
			`${key === 'invent' ? 'Invent' : 'CityPay'}: peak RSS increase, ${size.mb} MB upload, filesystem mode${size.main ? '' : ' (flat)'}`,
			`${signed(increase)} (HTTP Request node ${signed(added(rows.httpRequest, rows.baseline))})`,
			`≤ ${TARGETS.rssIncreaseMb} MB`,
			pass(increase <= TARGETS.rssIncreaseMb),
		];
	});
}

/** { targets, markdown, verified } for the report (../report.mjs). */
export function bigFileReport({ curl, sizes }) {
	const main = sizes.find((size) => size.main);
	const withFilesystem = sizes.filter((size) => size.modes.filesystem);
	const targets = [...(main.modes.filesystem ? timeTargets(main, curl) : []), ...withFilesystem.flatMap(rssTargets)];
	const sections = Object.keys(main.modes).map((mode) => modeSection(main, mode, curl));
	sections.push(FLOOR_NOTE);
	if (withFilesystem.length > 1) sections.push(sizesSection(withFilesystem));
	const verified = sizes.every((size) => Object.values(size.modes).every((rows) => Object.values(rows).every((row) => row.verified)));
	return { targets, markdown: sections.join('\n\n'), verified };
}
