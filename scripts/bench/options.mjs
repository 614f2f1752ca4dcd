// `npm run bench` options (see ./bench.mjs for what each does) and the settings they make.

import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from '../n8n-local/prepare.mjs';
import { MB } from './util.mjs';

export const ALL_CASES = ['big', 'download', 'throughput', 'rateLimit', 'soak', 'sanity', 'byUrl'];

const OPTIONS = {
	concurrency: { type: 'string', default: '' },
	'rate-limit': { type: 'string', default: '100/10' },
	'soak-count': { type: 'string', default: '10000' },
	'soak-fail': { type: 'string', default: '0.1' },
	cases: { type: 'string', default: ALL_CASES.join(',') },
	'big-modes': { type: 'string', default: 'filesystem,default' },
	'flat-mb': { type: 'string', default: '64,1024' },
	'cpu-prof': { type: 'string', default: '' },
	'latency-ms': { type: 'string', default: '50' },
	'big-mb': { type: 'string', default: '256' },
	'small-count': { type: 'string', default: '200' },
	'small-kb': { type: 'string', default: '256' },
	repeat: { type: 'string', default: '1' },
	'skip-build': { type: 'boolean', default: false },
	keep: { type: 'boolean', default: false },
	out: { type: 'string', default: path.join(REPO_ROOT, 'BENCHMARKS.md') },
};

/** The settings from the command line (`process.argv` unless `args` is given). */
export function readSettings(args) {
	const { values: opts } = parseArgs({ args, options: OPTIONS });
	const [requests, windowSeconds] = opts['rate-limit'].split('/').map(Number);
	const cases = new Set(opts.cases.split(','));
	const unknown = [...cases].filter((name) => !ALL_CASES.includes(name));
	if (unknown.length > 0) throw new Error(`--cases: no case ${unknown.join(', ')} (cases: ${ALL_CASES.join(', ')})`);
	return {
		concurrency: opts.concurrency === '' ? undefined : Number(opts.concurrency),
		rateLimit: { requests, windowMs: windowSeconds * 1000 },
		soakCount: Number(opts['soak-count']),
		soakFailRate: Number(opts['soak-fail']),
		cases,
		bigModes: opts['big-modes'].split(','),
		flatBytes: opts['flat-mb'] === '' ? [] : opts['flat-mb'].split(',').map((mb) => Number(mb) * MB),
		latencyMs: Number(opts['latency-ms']),
		bigBytes: Number(opts['big-mb']) * MB,
		smallCount: Number(opts['small-count']),
		smallBytes: Number(opts['small-kb']) * 1024,
		repeat: Math.max(1, Number(opts.repeat)),
		/** Throughput runs are short and the machine noisy: each workflow runs at least 3 times there, reported by median. */
		smallRounds: Math.max(3, Number(opts.repeat)),
		cpuProfDir: opts['cpu-prof'] === '' ? undefined : path.resolve(opts['cpu-prof']),
		skipBuild: opts['skip-build'],
		keep: opts.keep,
		out: opts.out,
	};
}
