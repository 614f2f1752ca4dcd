// Preloaded into every `n8n execute` of the benchmark (NODE_OPTIONS=--require); it only touches
// what n8n prints after the run has finished.
//
// 1. `n8n execute --rawOutput` prints the run as JSON.stringify(run, null, 2). In the default
//    binary data mode the run holds each file as base64 (341 MB for the 256 MB file): printing
//    it would dominate the process's peak RSS, and n8n exits ~100 ms after handing the text to
//    its logger, so most of it never reaches stdout. Strings over 4 KB are cut in that one call.
// 2. A successful exit waits (at most 30 s) until stdout, when it is a file, holds the run's
//    last line "}", so that the printed run is complete.
// 3. With BENCH_HEAP_LOG set (the soak), a full garbage collection every BENCH_HEAP_EVERY_MS
//    (500 ms), each followed by a line "epochMs heapUsedKb" appended to that file: the live heap
//    along the run, which RSS (the heap as V8 sized it, garbage included) does not show.
const fs = require('node:fs');

const heapLog = process.env.BENCH_HEAP_LOG;
if (heapLog) {
	require('node:v8').setFlagsFromString('--expose-gc');
	const gc = require('node:vm').runInNewContext('gc');
	const sample = () => {
		gc();
		fs.appendFileSync(heapLog, `${Date.now()} ${Math.round(process.memoryUsage().heapUsed / 1024)}\n`);
	};
	setInterval(sample, Number(process.env.BENCH_HEAP_EVERY_MS || 500)).unref();
}

const LONG_STRING = 4096;
const stringify = JSON.stringify;
JSON.stringify = function benchStringify(value, replacer, space) {
	const isRun = replacer == null && space === 2 && value?.data?.resultData?.runData !== undefined && 'finished' in value;
	if (!isRun) return stringify.call(this, value, replacer, space);
	return stringify.call(
		this,
		value,
		(_key, v) => (typeof v === 'string' && v.length > LONG_STRING ? `${v.slice(0, 64)}...[${v.length} characters cut]` : v),
		space,
	);
};

const realExit = process.exit.bind(process);

function runPrinted() {
	try {
		const stat = fs.fstatSync(1);
		if (!stat.isFile()) return true;
		if (stat.size < 2) return false;
		// The run ends with a line "}"; a log line may follow it.
		const length = Math.min(stat.size, 4096);
		const fd = fs.openSync('/proc/self/fd/1', 'r');
		const tail = Buffer.alloc(length);
		fs.readSync(fd, tail, 0, length, stat.size - length);
		fs.closeSync(fd);
		return tail.toString('latin1').includes('\n}\n');
	} catch {
		return true;
	}
}

process.exit = (code) => {
	if (code) return realExit(code);
	const deadline = Date.now() + 30_000;
	const check = () => (runPrinted() || Date.now() > deadline ? realExit(code) : setTimeout(check, 50));
	check();
};
