// Case `sanity`: Haptik and Leadway still work (a 200 KB PDF, both binary data modes): the file
// arrives whole with the fields and headers each API wants, and each node's output is as expected.

import { nodeTask } from '../measure.mjs';
import { fmt, ms, pass, table } from '../report.mjs';
import { verifyUploads } from '../sinkProcess.mjs';
import { log } from '../util.mjs';
import { workflow } from '../workflows.mjs';

function prepare(ctx) {
	const file = ctx.inputs.sanity();
	return { workflows: { benchSanity: workflow('benchSanity', 'Bench: small PDF → Haptik and Leadway', file.file, [ctx.nodes.haptik(), ctx.nodes.leadway()]) }, file };
}

/** The sink's record of one API's uploads, checked against the file; `extra(record, output)` adds that API's own problems. */
function checkApi(sinkState, api, file, extra, output) {
	const mine = { ...sinkState, requests: sinkState.requests.filter((r) => r.api === api) };
	const check = verifyUploads(mine, api, [file]);
	if (mine.requests[0]) check.problems.push(...extra(mine.requests[0]));
	check.problems.push(...output());
	return check;
}

function haptikProblems(record) {
	const f = record.fields;
	return [
		...(f.auth_id !== 'bench-user' || f.business_id !== '1234' || f.message_type !== '52' ? [`fields ${JSON.stringify(f)}`] : []),
		...(record.clientId ? [] : ['no client-id header']),
	];
}

function leadwayProblems(record) {
	const f = record.fields;
	return [
		...(f.conversationId !== 'bench-conversation' || f.locationId !== 'bench-location' ? [`fields ${JSON.stringify(f)}`] : []),
		...(record.version === '2021-07-28' ? [] : ['no Version header']),
	];
}

async function measureMode(ctx, mode, file) {
	log(`sanity: Haptik and Leadway (${mode})`);
	const { result, sinkState } = await ctx.execute('benchSanity', mode);
	const out = (node) => nodeTask(result.run, node)?.data?.main?.[0]?.[0]?.json ?? {};
	const checks = {
		Haptik: checkApi(sinkState, 'haptik', file, haptikProblems, () => (out('Haptik').message_id === undefined ? ['no message_id in the output'] : [])),
		Leadway: checkApi(sinkState, 'leadway', file, leadwayProblems, () => (out('Leadway').uploadedFiles?.[file.fileName] ? [] : ['no uploaded file URL in the output'])),
	};
	return Object.entries(checks).map(([node, check]) => ({
		node,
		mode,
		nodeMs: nodeTask(result.run, node)?.executionTime,
		ok: check.problems.length === 0,
		problems: check.problems,
		bytes: check.bytes,
	}));
}

async function measure(ctx, { file }) {
	const rows = [];
	for (const mode of ['filesystem', 'default']) rows.push(...(await measureMode(ctx, mode, file)));
	return rows;
}

function report(rows) {
	const ok = rows.every((s) => s.ok);
	const lines = rows.map((s) => [s.node, s.mode, ms(s.nodeMs), s.ok ? '✅ file whole, fields and headers as the API wants, output item as expected' : `❌ ${s.problems.join('; ')}`]);
	return {
		targets: [['Haptik and Leadway still work (small file, both binary modes)', ok ? 'all checks passed' : 'see below', 'no regression', pass(ok)]],
		markdown: `## Haptik and Leadway (no-regression check, one ${fmt(rows[0]?.bytes / 1024)} KB PDF)\n\n${table(['Node', 'Binary mode', 'Node time', 'Sink check'], lines)}`,
		verified: ok,
	};
}

export const sanity = { name: 'sanity', prepare, measure, report };
