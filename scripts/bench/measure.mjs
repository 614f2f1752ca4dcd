// How the benchmark measures: `n8n execute` runs with peak-RSS sampling, curl under
// /usr/bin/time, and a filter that keeps n8n's printed run data small.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { prepareN8n } from '../n8n-local/prepare.mjs';
import { freePort, n8nEnv } from '../n8n-local/run.mjs';

const SAMPLE_EVERY_MS = 20;

/** VmRSS and VmHWM (peak RSS) of a live process, in KiB; undefined once it is gone. */
export function readMemory(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
		const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
		return rss && hwm ? { rss: Number(rss[1]), hwm: Number(hwm[1]) } : undefined;
	} catch {
		return undefined;
	}
}

/**
 * User + system CPU time a live process has used so far, in ms (clock ticks of 10 ms); undefined
 * once it is gone. With `mainThread`, only its main thread's: the one that runs the nodes' code
 * (the others are V8's garbage-collection helpers and libuv's file-system pool).
 */
export function readCpuMs(pid, { mainThread = false } = {}) {
	try {
		const stat = fs.readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may hold spaces) start after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return undefined;
	}
}

/**
 * CPU time (ms) the process (or, with field 'mainCpuMs', its main thread) used while one node
 * ran: between the samples around the node's `startTime` and `startTime + executionTime` in the run data.
 */
export function cpuDuringNode(samples, task, field = 'cpuMs') {
	if (!task?.startTime || task.executionTime === undefined) return undefined;
	const from = task.startTime;
	const to = from + task.executionTime;
	const before = samples.filter((x) => x.t <= from && x[field] !== undefined).at(-1);
	const after = samples.find((x) => x.t >= to && x[field] !== undefined);
	return before && after ? after[field] - before[field] : undefined;
}

/**
 * A stream filter for JSON text that cuts every string value longer than `limit` characters
 * (keeping the JSON valid). In the default binary data mode the run data printed by
 * `n8n execute` holds each file as base64 (341 MB for the 256 MB file): this keeps only what
 * the benchmark reads.
 */
export class LongStringCutter {
	constructor(limit = 4096) {
		this.limit = limit;
		this.inString = false;
		this.escaped = false;
		this.length = 0;
		this.cut = false;
		this.out = [];
	}

	write(chunk) {
		// Start of the bytes of this chunk to keep; -1 while skipping a long string.
		let keepFrom = this.inString && this.cut ? -1 : 0;
		for (let i = 0; i < chunk.length; i++) {
			const byte = chunk[i];
			if (byte === 0x0a) {
				// JSON strings hold no raw line break: a log line with a stray quote cannot derail us.
				if (this.inString && this.cut) {
					this.out.push(Buffer.from('...[cut]'));
					keepFrom = i;
				}
				this.inString = false;
				this.escaped = false;
			} else if (!this.inString) {
				if (byte === 0x22) {
					this.inString = true;
					this.length = 0;
					this.cut = false;
				}
			} else if (this.escaped) {
				this.escaped = false;
				this.length++;
			} else if (this.cut) {
				// Skipping the rest of a long string: jump to its next quote, backslash or line break.
				const next = [0x22, 0x5c, 0x0a]
					.map((b) => chunk.indexOf(b, i))
					.filter((at) => at !== -1)
					.sort((a, b) => a - b)[0];
				if (next === undefined) break;
				if (chunk[next] === 0x5c) {
					this.escaped = true;
					i = next;
				} else if (chunk[next] === 0x0a) {
					i = next - 1; // handled as a line break on the next step
				} else {
					this.out.push(Buffer.from('...[cut]'));
					this.inString = false;
					keepFrom = next; // the closing quote and what follows
					i = next;
				}
			} else if (byte === 0x5c) {
				this.escaped = true;
				this.length++;
			} else if (byte === 0x22) {
				this.inString = false;
			} else if (++this.length > this.limit) {
				// Cut before an ordinary character, so no escape is left dangling.
				this.out.push(chunk.subarray(keepFrom, i));
				this.cut = true;
				keepFrom = -1;
			}
		}
		if (keepFrom !== -1 && keepFrom < chunk.length) this.out.push(chunk.subarray(keepFrom));
	}

	text() {
		return Buffer.concat(this.out).toString('utf8');
	}
}

// Log lines can come before and after the JSON on stdout: the run is the last block from a
// line "{" to a line "}" that parses.
function parseRunJson(stdout) {
	const lines = stdout.split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		if (lines[i] !== '{') continue;
		for (let j = lines.length - 1; j > i; j--) {
			if (lines[j] !== '}') continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {
				// keep looking
			}
		}
	}
	return undefined;
}

/** Samples RSS and CPU of process `pid` every 20 ms: { samples, peakKb(), stop() } (VmHWM: the kernel's exact peak). */
function sampleProcess(pid) {
	const samples = [];
	let peakKb = 0;
	const sample = () => {
		const m = readMemory(pid);
		if (!m) return;
		samples.push({ t: Date.now(), rss: m.rss, cpuMs: readCpuMs(pid), mainCpuMs: readCpuMs(pid, { mainThread: true }) });
		peakKb = Math.max(peakKb, m.hwm);
	};
	const sampler = setInterval(sample, SAMPLE_EVERY_MS);
	sample();
	return { samples, peakKb: () => peakKb, stop: () => clearInterval(sampler) };
}

/** The run `n8n execute` printed into `outFile` (long strings cut), and the highest RSS sampled while it ran. */
async function readPrintedRun(outFile, samples) {
	const cutter = new LongStringCutter();
	for await (const chunk of fs.createReadStream(outFile, { highWaterMark: 1024 * 1024 })) cutter.write(chunk);
	const stdout = cutter.text();
	const run = parseRunJson(stdout);
	// Kept when there is no run in it, for a look at what n8n printed instead.
	if (run) fs.rmSync(path.dirname(outFile), { recursive: true, force: true });
	let runPeakKb;
	if (run?.startedAt && run?.stoppedAt) {
		const from = Date.parse(run.startedAt);
		const to = Date.parse(run.stoppedAt);
		const inRun = samples.filter((s) => s.t >= from && s.t <= to + SAMPLE_EVERY_MS);
		if (inRun.length > 0) runPeakKb = Math.max(...inRun.map((s) => s.rss));
	}
	return { run, stdout, runPeakKb };
}

/**
 * Runs `n8n execute --id=<id> --rawOutput` on `userFolder` and samples /proc/<pid>/status of
 * that n8n process (the one that runs the workflow: `execute` runs it in-process; the task
 * runner it starts runs Code nodes only and is not counted) every 20 ms until it exits.
 * Returns { run, peakKb (VmHWM: the kernel's exact peak RSS of the process's whole life),
 * runPeakKb (highest VmRSS sampled between the run's startedAt and stoppedAt), wallMs, code, signal, stderr }.
 */
export async function executeMeasured(userFolder, workflowId, { env = {}, timeoutMs = 600_000, outDir = os.tmpdir() } = {}) {
	const paths = await prepareN8n();
	const brokerPort = await freePort();
	const port = await freePort();
	// stdout goes to a file: n8n exits right after printing the run, and output still queued
	// for a pipe would be lost (seen with the default binary mode's large run data).
	const outFile = path.join(fs.mkdtempSync(path.join(outDir, 'n8n-execute-')), 'stdout.json');
	const outFd = fs.openSync(outFile, 'w');
	const started = Date.now();
	const child = spawn(paths.node, [paths.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		cwd: userFolder,
		env: n8nEnv({ userFolder, port, brokerPort, env }, paths),
		stdio: ['ignore', outFd, 'pipe'],
		detached: true, // own process group: the task runner goes with it
	});
	fs.closeSync(outFd);
	const killGroup = (signal) => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// already gone
		}
	};
	const onParentExit = () => killGroup('SIGKILL');
	process.once('exit', onParentExit);
	const sampler = sampleProcess(child.pid);

	let stderr = '';
	child.stderr.on('data', (b) => {
		stderr += b;
		if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
	});
	const timer = setTimeout(() => killGroup('SIGKILL'), timeoutMs);
	const { code, signal } = await new Promise((resolve, reject) => {
		child.once('error', reject);
		// `exit`, not `close`: /proc/<pid> stays readable until the parent reaps the child, so a
		// last sample would still work, but the peak has long been reached by then.
		child.once('exit', (c, s) => resolve({ code: c, signal: s }));
	});
	sampler.stop();
	clearTimeout(timer);
	killGroup('SIGKILL'); // the task runner it started
	process.removeListener('exit', onParentExit);

	const { run, stdout, runPeakKb } = await readPrintedRun(outFile, sampler.samples);
	const { samples } = sampler;
	return { run, peakKb: sampler.peakKb(), runPeakKb, samples: samples.length, rssSamples: samples, wallMs: Date.now() - started, code, signal, stdout, stderr, outFile };
}

/** The run's task data of one node (first run): executionTime, executionStatus, output items. */
export function nodeTask(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0];
}

/** A run that finished successfully (the isolated-vm teardown crash after a printed success counts as success). */
export function runSucceeded(result) {
	const { run } = result;
	return run?.finished === true && run.status === 'success' && !run.data?.resultData?.error;
}

/** One run's failure, in a few lines. */
export function runFailure(result) {
	const error = result.run?.data?.resultData?.error;
	if (error) return `${error.message}${error.description ? ` (${error.description})` : ''}`;
	return `n8n execute ended with ${result.signal ?? `exit code ${result.code}`} without a successful run (stdout kept in ${result.outFile}):\n${(result.stdout + result.stderr).slice(-2000)}`;
}

/**
 * Runs a command under /usr/bin/time (GNU time: peak RSS from wait4's rusage, exact for a
 * process without children, such as curl). Returns { code, stdout, wallMs, maxRssKb }.
 */
export async function timed(cmd, args) {
	const started = process.hrtime.bigint();
	const child = spawn('/usr/bin/time', ['-f', '__time__ %M %e', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (b) => (stdout += b));
	child.stderr.on('data', (b) => (stderr += b));
	const code = await new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('close', resolve);
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const m = /__time__ (\d+) ([\d.]+)/.exec(stderr);
	return { code, stdout, stderr: stderr.replace(/__time__.*\n?/, ''), wallMs, maxRssKb: m ? Number(m[1]) : undefined };
}
