/**
 * Proof that files stream: what n8n's binary data service was handed to store (a stream, not
 * a Buffer) and the largest Buffer built meanwhile by Buffer.from / Buffer.concat; and how
 * uploads read stored files (whole, or as a stream of which read size).
 */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

export interface BufferWatch<T> {
	result: T;
	/** The data each `BinaryDataService.store` call received, in order. */
	stored: unknown[];
	/** Size of the largest Buffer that Buffer.from or Buffer.concat returned while `run` ran. */
	largestBuffer: number;
}

export const isStreamLike = (value: unknown): boolean =>
	!Buffer.isBuffer(value) && typeof (value as { pipe?: unknown } | null)?.pipe === 'function';

export async function watchBuffers<T>(run: () => Promise<T>): Promise<BufferWatch<T>> {
	const store = jest.spyOn(Container.get(BinaryDataService), 'store');
	const from = jest.spyOn(Buffer, 'from');
	const concat = jest.spyOn(Buffer, 'concat');
	try {
		const result = await run();
		const sizes = [...from.mock.results, ...concat.mock.results]
			.map((call) => call.value as unknown)
			.filter((value): value is Buffer => Buffer.isBuffer(value))
			.map((value) => value.length);
		return { result, stored: store.mock.calls.map((call) => call[1] as unknown), largestBuffer: Math.max(0, ...sizes) };
	} finally {
		store.mockRestore();
		from.mockRestore();
		concat.mockRestore();
	}
}

export interface StorageReads<T> {
	result: T;
	/** The arguments of each `BinaryDataService.getAsBuffer` call: a stored file read whole. */
	wholeReads: unknown[][];
	/** The arguments of each `BinaryDataService.getAsStream` call: the file's id and the read size. */
	streamReads: unknown[][];
}

export async function watchStorageReads<T>(run: () => Promise<T>): Promise<StorageReads<T>> {
	const service = Container.get(BinaryDataService);
	const getAsBuffer = jest.spyOn(service, 'getAsBuffer');
	const getAsStream = jest.spyOn(service, 'getAsStream');
	try {
		const result = await run();
		return { result, wholeReads: [...getAsBuffer.mock.calls], streamReads: [...getAsStream.mock.calls] };
	} finally {
		getAsBuffer.mockRestore();
		getAsStream.mockRestore();
	}
}
