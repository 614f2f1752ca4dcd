/**
 * The set-up a test file needs to run nodes against the API doubles, registered as jest hooks
 * in the describe block (or file) that calls it: the doubles started on 127.0.0.1 before its
 * tests, reset before each test and stopped after the last; n8n's binary data service in a
 * fresh folder; and the credentials that point each node at its double.
 */
import { Container } from '@n8n/di';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { BinaryDataConfig, BinaryDataService, ErrorReporter } from 'n8n-core';

import { CITYPAY_TOKEN, CityPayDouble } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN, HaptikDouble } from '../doubles/haptik';
import { INVENT_API_KEY, InventDouble } from '../doubles/invent';
import { LEADWAY_LOCATION, LEADWAY_TOKEN, LeadwayDouble } from '../doubles/leadway';
import type { BinaryMode, RunOptions, RunResult } from './engine';
import { runNode, useBinaryDataMode } from './engine';
import type { LoadedPackage } from './packageLoader';
import { loadPackage } from './packageLoader';

/** A server the tests talk to: an API double, a file host. */
export interface Double {
	start(): Promise<unknown>;
	stop(): Promise<void>;
	/** Back to the state a test starts from. */
	reset(): void;
}

export interface BinaryData {
	/** The folder the binary data service stores in; set once the block's tests start. */
	readonly storagePath: string;
}

/**
 * n8n's binary data service in `mode`, in a fresh folder, for the tests of the calling block;
 * after them the folder goes and the service the enclosing block had is back.
 */
export function useBinaryData(mode: BinaryMode): BinaryData {
	const state = { storagePath: '', cleanup: () => {}, restore: () => {} };
	beforeAll(async () => {
		state.restore = currentBinaryDataServiceRestorer();
		({ storagePath: state.storagePath, cleanup: state.cleanup } = await useBinaryDataMode(mode));
	});
	afterAll(() => {
		state.cleanup();
		state.restore();
	});
	return {
		get storagePath() {
			return state.storagePath;
		},
	};
}

/** Puts back the binary data service in use now (nothing, if none is). */
function currentBinaryDataServiceRestorer(): () => void {
	if (!Container.has(BinaryDataService)) return () => {};
	const config = Container.get(BinaryDataConfig);
	const errorReporter = Container.get(ErrorReporter);
	const service = Container.get(BinaryDataService);
	return () => {
		Container.set(BinaryDataConfig, config);
		Container.set(ErrorReporter, errorReporter);
		Container.set(BinaryDataService, service);
	};
}

export interface ApiDoublesOptions {
	/** The binary data mode of the block's runs; `false` for tests that store no binary data. */
	binaryData?: BinaryMode | false;
}

/** Starts `doubles` before the calling block's tests, resets each before every test and stops them after the last. */
export function useDoubles(doubles: Double[]): void {
	beforeAll(async () => {
		await Promise.all(doubles.map(async (double) => await double.start()));
	});
	afterAll(async () => {
		await Promise.all(doubles.map(async (double) => await double.stop()));
	});
	beforeEach(() => {
		for (const double of doubles) double.reset();
	});
}

/**
 * The doubles of `useDoubles`, with binary data in filesystem mode unless told otherwise.
 * Returns the package, loaded from its TypeScript source, to run the nodes of.
 */
export function useApiDoubles(
	doubles: Double[],
	{ binaryData = 'filesystem' }: ApiDoublesOptions = {},
): { pkg: LoadedPackage; binaryData: BinaryData } {
	const storage = binaryData === false ? { storagePath: '' } : useBinaryData(binaryData);
	useDoubles(doubles);
	return { pkg: loadPackage('source'), binaryData: storage };
}

export type VendorDouble = InventDouble | HaptikDouble | CityPayDouble | LeadwayDouble;

/** One double of each vendor's API, not started yet (hand them to `useApiDoubles`). */
export function vendorDoubles(): { invent: InventDouble; haptik: HaptikDouble; citypay: CityPayDouble; leadway: LeadwayDouble } {
	return { invent: new InventDouble(), haptik: new HaptikDouble(), citypay: new CityPayDouble(), leadway: new LeadwayDouble() };
}

/**
 * The credentials a node reads, by credential type, with the double's test secrets and its
 * address as Base URL; `data` overrides or adds fields.
 */
export function credentialsFor(
	double: VendorDouble,
	data: ICredentialDataDecryptedObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	const baseUrl = double.url;
	if (double instanceof InventDouble) return { inventApi: { apiKey: INVENT_API_KEY, baseUrl, ...data } };
	if (double instanceof HaptikDouble) return { haptikApi: { token: HAPTIK_TOKEN, clientId: HAPTIK_CLIENT_ID, baseUrl, ...data } };
	if (double instanceof CityPayDouble) return { cityPayApi: { token: CITYPAY_TOKEN, baseUrl, ...data } };
	return { leadwayApi: { accessToken: LEADWAY_TOKEN, baseUrl, locationId: LEADWAY_LOCATION, ...data } };
}

/** Runs a node with the credentials that point it at `double`; `credentialData` overrides their fields. */
export async function runAgainst(
	double: VendorDouble,
	run: Omit<RunOptions, 'credentials'>,
	credentialData: ICredentialDataDecryptedObject = {},
): Promise<RunResult> {
	return await runNode({ ...run, credentials: credentialsFor(double, credentialData) });
}

/**
 * Collects unhandled promise rejections while the calling block's tests run, and fails each
 * test during which one happened.
 */
export function expectNoUnhandledRejections(): void {
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(reason);
	beforeAll(() => {
		process.on('unhandledRejection', onUnhandled);
	});
	afterAll(() => {
		process.off('unhandledRejection', onUnhandled);
	});
	beforeEach(() => {
		unhandled.length = 0;
	});
	afterEach(() => {
		expect(unhandled).toEqual([]);
	});
}
