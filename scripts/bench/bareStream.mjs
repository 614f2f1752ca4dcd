// The floor for streaming a file through Node, without n8n: run with n8n's own Node binary
// by the URL bench case. The process first builds a live heap of about n8n's size (the time
// a full garbage collection takes grows with it), then streams the file at `url` into a POST
// to `uploadUrl` with http.get / http.request and pipe, and prints how much its peak RSS grew.
//
//   node bareStream.mjs <url> <uploadUrl>

import fs from 'node:fs';
import http from 'node:http';

const [url, uploadUrl] = process.argv.slice(2);
const statusKb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);

// About 300 MB of small live objects, as in an n8n process with its modules loaded.
const live = [];
for (let i = 0; i < 3_000_000; i++) live.push({ i, text: `item ${i}`, list: [i] });
await new Promise((resolve) => setTimeout(resolve, 500));
fs.writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
const beforeKb = statusKb('VmRSS');
const started = Date.now();

const download = await new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
const answer = await new Promise((resolve, reject) => {
	const upload = http.request(
		uploadUrl,
		{ method: 'POST', headers: { 'content-length': download.headers['content-length'] } },
		(response) => {
			let text = '';
			response.on('data', (chunk) => (text += chunk));
			response.on('end', () => resolve(text));
		},
	);
	upload.on('error', reject);
	download.pipe(upload);
});
process.stdout.write(
	JSON.stringify({ addedKb: statusKb('VmHWM') - beforeKb, ms: Date.now() - started, received: JSON.parse(answer).bytes, live: live.length }),
);
