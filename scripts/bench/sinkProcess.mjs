// The sink (./sink.mjs) in a process of its own, and the checks of what it received.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { nodeTask } from './measure.mjs';
import { READ_NODE } from './workflows.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts ./sink.mjs; resolves { url, pid, reset(config), requests(), stop() }. */
export async function startSinkProcess() {
	const child = spawn(process.execPath, [path.join(here, 'sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
	const line = await new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`sink exited (code ${code})`)));
		readline.createInterface({ input: child.stdout }).once('line', resolve);
	});
	const url = `http://127.0.0.1:${JSON.parse(line).port}`;
	const control = async (route, body) => {
		const res = await fetch(`${url}/_bench/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
		return await res.json();
	};
	return {
		url,
		pid: child.pid,
		/** Forgets every request; `config`: { latencyMs, rateLimit, failRate, download } (see ./sink.mjs). */
		reset: (config = {}) => control('reset', {}).then(() => control('config', { latencyMs: 0, ...config })),
		requests: () => control('requests'),
		stop: async () => {
			child.stdin.end();
			await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
		},
	};
}

/** The problems of one upload the sink recorded, with what it matched in `wanted` (sha256 → count left). */
function uploadProblems(record, wanted) {
	const problems = [];
	if (record.error) problems.push(`request ${record.n}: ${record.error}`);
	if (!record.bearer) problems.push(`request ${record.n}: no Bearer token`);
	if (record.files.length !== 1) problems.push(`request ${record.n}: ${record.files.length} files`);
	for (const f of record.files) {
		const left = wanted.get(f.sha256);
		if (!left) problems.push(`request ${record.n}: file ${f.filename} (${f.size} bytes) matches no generated file`);
		else wanted.set(f.sha256, left - 1);
	}
	return problems;
}

/** Did the sink get exactly the expected files, whole, from `api`? Returns { ok, problems, bytes, requests, maxInFlight }. */
export function verifyUploads(sinkState, api, expected) {
	const problems = [];
	const others = sinkState.requests.filter((r) => r.api !== api);
	if (others.length > 0) problems.push(`${others.length} unexpected requests to ${[...new Set(others.map((r) => r.api))].join(', ')}`);
	const mine = sinkState.requests.filter((r) => r.api === api);
	if (mine.length !== expected.length) problems.push(`${mine.length} requests, ${expected.length} expected`);
	const wanted = new Map();
	for (const e of expected) wanted.set(e.sha256, (wanted.get(e.sha256) ?? 0) + 1);
	for (const record of mine) problems.push(...uploadProblems(record, wanted));
	const missing = [...wanted.values()].reduce((a, b) => a + b, 0);
	if (missing > 0) problems.push(`${missing} files never arrived whole`);
	const bytes = mine.reduce((sum, r) => sum + r.files.reduce((s, f) => s + f.size, 0), 0);
	return { ok: problems.length === 0, problems: problems.slice(0, 5), bytes, requests: mine.length, maxInFlight: sinkState.maxInFlight };
}

/** A run that should have sent nothing: { ok, problems, bytes: 0 }. */
export function verifyNoUploads(sinkState) {
	const count = sinkState.requests.length;
	return { ok: count === 0, problems: count === 0 ? [] : [`${count} requests`], bytes: 0 };
}

const pairedIndex = (item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item;

/** The input and output items of `nodeName`'s run, when there are as many of each; undefined otherwise. */
function itemPairs(run, nodeName) {
	const inputs = nodeTask(run, READ_NODE)?.data?.main?.[0] ?? [];
	const outputs = nodeTask(run, nodeName)?.data?.main?.[0] ?? [];
	return outputs.length === inputs.length ? outputs.map((item, j) => ({ item, j, input: inputs[j] })) : undefined;
}

/** Output item i of `nodeName` belongs to input item i (pairedItem) and carries its file name when it names one. */
export function orderKept(run, nodeName) {
	return (
		itemPairs(run, nodeName)?.every(({ item, j, input }) => {
			const name = item.json.file_filename ?? item.json.filename;
			return pairedIndex(item) === j && (name === undefined || name === input.binary?.data?.fileName);
		}) ?? false
	);
}

/** The same with On Error: Continue: every item paired with its input; every item but an error item carries its file name. */
export function orderKeptWithErrors(run, nodeName) {
	return (
		itemPairs(run, nodeName)?.every(
			({ item, j, input }) => pairedIndex(item) === j && (item.json.error !== undefined || item.json.filename === input.binary?.data?.fileName),
		) ?? false
	);
}
