// The only module that imports node:stream: every streamed body is made here.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- Node builtin allowed by design (self-hosted package), like form-data and mime-types
import { PassThrough, Readable } from 'node:stream';

/** A byte stream that reads `chunks` as it is consumed; an error thrown by the generator destroys the stream with it. */
export function streamFrom(chunks: AsyncIterable<Buffer>): Readable {
	return Readable.from(chunks, { objectMode: false });
}

/** A modern Readable over an old-style stream (form-data's), so HTTP clients treat it as a plain byte stream. */
export function asReadable(legacy: NodeJS.ReadableStream): Readable {
	const output = new PassThrough();
	legacy.on('error', (error: Error) => output.destroy(error));
	return legacy.pipe(output);
}
