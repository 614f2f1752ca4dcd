// Case `download`: the big file downloaded into binary data (filesystem mode) by CityPay's
// Download and by the HTTP Request node, each beside the same workflow downloading 1 KB
// (its baseline): peak RSS added and node time.

import { nodeTask } from '../measure.mjs';
import { fmt, mb, ms, pass, signed, table, TARGETS } from '../report.mjs';
import { log, MB } from '../util.mjs';
import { triggerWorkflow } from '../workflows.mjs';

const DOWNLOAD_ID = 'att_bench_download';

const NODES = [
	{ key: 'cityPay', workflow: 'benchDownloadCityPay', node: 'CityPay', label: '**CityPay** Download' },
	{ key: 'httpRequest', workflow: 'benchDownloadHttp', node: 'HTTP Request', label: 'HTTP Request node v4.2 (Response Format: File)' },
];

function prepare(ctx) {
	return {
		workflows: {
			benchDownloadCityPay: triggerWorkflow('benchDownloadCityPay', 'Bench: CityPay Download', ctx.nodes.cityPayDownload(DOWNLOAD_ID)),
			benchDownloadHttp: triggerWorkflow('benchDownloadHttp', 'Bench: HTTP Request download', ctx.nodes.httpDownload(`${ctx.sink.url}/files/download.bin`)),
		},
		files: { small: ctx.inputs.tiny(), big: ctx.inputs.big() },
	};
}

async function measureOne(ctx, entry, file) {
	log(`download ${(file.size / MB).toFixed(3)} MB: ${entry.key}`);
	const sinkConfig = { download: { id: DOWNLOAD_ID, path: file.file, fileName: file.fileName, mimeType: 'application/octet-stream' } };
	const { result, sinkState } = await ctx.execute(entry.workflow, 'filesystem', sinkConfig, { cpuProf: file.size > 1024 });
	const task = nodeTask(result.run, entry.node);
	const binary = task?.data?.main?.[0]?.[0]?.binary?.data;
	const served = sinkState.downloads[0];
	const verified = served?.complete === true && binary?.bytes === file.size;
	log(`  node ${task?.executionTime} ms, peak RSS ${(result.peakKb / 1024).toFixed(0)} MB${verified ? '' : `, CHECK FAILED (${JSON.stringify({ served, bytes: binary?.bytes })})`}`);
	return { nodeMs: task?.executionTime, peakKb: result.peakKb, verified, bytes: binary?.bytes };
}

/** { cityPay: { small, big }, httpRequest: { small, big } }, each { nodeMs, peakKb, verified, bytes }. */
async function measure(ctx, { files }) {
	const result = {};
	for (const entry of NODES) {
		result[entry.key] = { small: await measureOne(ctx, entry, files.small), big: await measureOne(ctx, entry, files.big) };
	}
	return result;
}

function report(download, ctx) {
	const bigMb = ctx.config.bigBytes / MB;
	const downloadAdded = (key) => mb(download[key].big.peakKb - download[key].small.peakKb);
	const ratio = download.cityPay.big.nodeMs / download.httpRequest.big.nodeMs;
	const targets = [
		[
			`CityPay Download: ${bigMb} MB into binary data, filesystem mode, peak RSS added`,
			`${signed(downloadAdded('cityPay'))} (HTTP Request node ${signed(downloadAdded('httpRequest'))})`,
			`≤ ${TARGETS.rssIncreaseMb} MB`,
			pass(downloadAdded('cityPay') <= TARGETS.rssIncreaseMb && download.cityPay.big.verified),
		],
		[
			`CityPay Download: ${bigMb} MB node time vs the HTTP Request node downloading the same file`,
			`${ms(download.cityPay.big.nodeMs)} vs ${ms(download.httpRequest.big.nodeMs)} (${fmt(ratio, 2)}×)`,
			'≤ HTTP Request node',
			pass(ratio <= 1),
		],
	];
	const rows = NODES.map(({ key, label }) => [
		label,
		ms(download[key].big.nodeMs),
		`${fmt(mb(download[key].small.peakKb))} MB`,
		`${fmt(mb(download[key].big.peakKb))} MB`,
		signed(downloadAdded(key)),
		download[key].big.verified && download[key].small.verified ? '✅ every byte, output file of the right size' : `❌ (${download[key].big.bytes} bytes)`,
	]);
	const markdown = `## ${bigMb} MB download into binary data (filesystem mode)

The sink serves CityPay's attachment JSON and then the file itself (from disk, with its Content-Length).
Each node's baseline is the same workflow downloading a 1 KB file; a download counts when the sink sent
every byte and n8n's output binary holds the file's size. curl does not apply (no n8n binary data).

${table(['Workflow', `Node time (${bigMb} MB)`, 'Peak RSS, 1 KB file', 'Peak RSS, big file', 'Added', 'Check'], rows)}`;
	const verified = NODES.every(({ key }) => download[key].big.verified && download[key].small.verified);
	return { targets, markdown, verified };
}

export const download = { name: 'download', prepare, measure, report };
