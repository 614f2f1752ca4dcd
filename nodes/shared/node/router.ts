import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { findRefusedItem, getConcurrency, withRequestWindow } from '../transport';

/** What one operation exports besides its description: how to run it for one item. */
export interface OperationModule {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
	/**
	 * The API whose data the operation changes (it uploads, sends, creates, renames or deletes).
	 * With On Error set to Stop Workflow, every item is then checked before any is sent, and a
	 * failed item's error names the items that had already changed something.
	 */
	changesDataIn?: string;
}

/** Resource name → the resource's module, whose exports include one module per operation. */
export type OperationMap = Record<string, Record<string, unknown>>;

function findOperation(operations: OperationMap, resource: string, operation: string) {
	const candidate = operations[resource]?.[operation] as Partial<OperationModule> | undefined;
	return typeof candidate?.execute === 'function' ? (candidate as OperationModule) : undefined;
}

/**
 * A failed item, kept in place of its input item. n8n-core moves an item to the node's error
 * output (On Error: Continue (using error output)) only when its JSON keys are all among
 * `error`, `message` and `details`, so the fix travels as `details`; any other key would leave
 * the failure on the success output.
 */
function errorItem(error: Error & { description?: string | null }, itemIndex: number): INodeExecutionData {
	return {
		json: { error: error.message, ...(error.description ? { details: error.description } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/** The error as n8n shows it, tied to the item it failed on. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** Item numbers as ranges, "0–3, 6, 9–10"; at most `maxRanges` of them, then "…". */
function itemRanges(itemIndexes: number[], maxRanges = 20): string {
	const ranges: string[] = [];
	for (let at = 0; at < itemIndexes.length && ranges.length < maxRanges; ) {
		let end = at;
		while (end + 1 < itemIndexes.length && itemIndexes[end + 1] === itemIndexes[end] + 1) end++;
		ranges.push(end === at ? String(itemIndexes[at]) : `${itemIndexes[at]}–${itemIndexes[end]}`);
		at = end + 1;
		if (ranges.length === maxRanges && at < itemIndexes.length) ranges.push('…');
	}
	return ranges.join(', ');
}

/**
 * The error that stops the node, telling which other items had already changed data in the
 * API (they ran at the same time as the failed one, or before it), so that running the
 * workflow again does not do them twice.
 */
function withItemsDone(error: NodeApiError | NodeOperationError, apiName: string, succeeded: number[], failed: number[]) {
	if (succeeded.length === 0) return error;
	const one = succeeded.length === 1;
	error.description = [
		error.description ?? '',
		`Before the run stopped, ${succeeded.length} other ${one ? 'item' : 'items'} had already been sent to ${apiName} and succeeded: ${one ? 'item' : 'items'} ${itemRanges(succeeded)}.`,
		failed.length === 0 ? '' : `${failed.length === 1 ? 'Item' : 'Items'} ${itemRanges(failed)} failed too.`,
		"Run only the other items again, or set On Error to Continue to get every item's result.",
	]
		.filter((part) => part !== '')
		.join(' ');
	return error;
}

/** One item's outcome: its output items, or the error that stops the node. */
type ItemOutcome = { items: INodeExecutionData[] } | { error: unknown };

/** The operation the node's Resource and Operation name, and its module (undefined when there is none). */
interface ChosenOperation {
	resource: string;
	operation: string;
	handler?: OperationModule;
}

/**
 * Reads Resource and Operation once for the run, as n8n's own routers do: each read costs n8n
 * a parameter lookup and a validation against the node's description, a sizeable share of a
 * small item's CPU.
 */
function chooseOperation(context: IExecuteFunctions, operations: OperationMap): ChosenOperation {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	return { resource, operation, handler: findOperation(operations, resource, operation) };
}

/**
 * Stop Workflow: an item the node refuses by itself stops the run before any item changes
 * anything. Each item runs up to its first request (sending nothing, reading no file); one
 * at a time, since this costs only CPU.
 */
async function refuseBeforeSending(context: IExecuteFunctions, handler: OperationModule, itemCount: number): Promise<void> {
	const refused = await findRefusedItem(context, itemCount, async (itemIndex) => await handler.execute.call(context, itemIndex));
	if (refused) throw asNodeError(context.getNode(), refused.error, refused.itemIndex);
}

/** Runs the operation for one item; with Continue On Fail a failure becomes the item's error item. */
async function runItem(context: IExecuteFunctions, chosen: ChosenOperation, itemIndex: number): Promise<ItemOutcome> {
	try {
		if (!chosen.handler) {
			throw new NodeOperationError(
				context.getNode(),
				`The operation "${chosen.operation}" is not supported for resource "${chosen.resource}"`,
				{ itemIndex },
			);
		}
		const results = await chosen.handler.execute.call(context, itemIndex);
		return { items: context.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }) };
	} catch (error) {
		if (context.continueOnFail()) return { items: [errorItem(error as Error, itemIndex)] };
		return { error };
	}
}

/**
 * Runs every item, up to Concurrency at once, inside one request window. Each worker takes
 * the next item not yet started; none starts once an item has failed. An item that never
 * started has no outcome.
 */
async function runItems(context: IExecuteFunctions, chosen: ChosenOperation, itemCount: number): Promise<Array<ItemOutcome | undefined>> {
	const outcomes: Array<ItemOutcome | undefined> = new Array(itemCount);
	let nextIndex = 0;
	let failed = false;
	const worker = async (): Promise<void> => {
		while (!failed && nextIndex < itemCount) {
			const itemIndex = nextIndex++;
			const outcome = await runItem(context, chosen, itemIndex);
			outcomes[itemIndex] = outcome;
			if ('error' in outcome) failed = true;
		}
	};
	const concurrency = getConcurrency(context);
	const workers = Math.min(concurrency, itemCount);
	await withRequestWindow(context, concurrency, async () => await Promise.all(Array.from({ length: workers }, worker)));
	return outcomes;
}

/**
 * The error of the failed item `failedIndex`; for an operation that changes data, it names
 * the items that ran beside it or before it (items never started have no outcome).
 */
function failureOf(
	context: IExecuteFunctions,
	outcomes: Array<ItemOutcome | undefined>,
	failedIndex: number,
	changesDataIn: string | undefined,
): NodeApiError | NodeOperationError {
	const outcome = outcomes[failedIndex] as { error: unknown };
	const error = asNodeError(context.getNode(), outcome.error, failedIndex);
	if (!changesDataIn) return error;
	const succeeded: number[] = [];
	const failed: number[] = [];
	outcomes.forEach((other, otherIndex) => {
		if (otherIndex !== failedIndex && other) ('error' in other ? failed : succeeded).push(otherIndex);
	});
	return withItemsDone(error, changesDataIn, succeeded, failed);
}

/**
 * Runs the chosen operation once per input item, up to Concurrency items at once (from the
 * node's Request Options); their requests share one request window (transport's
 * RequestWindow) that narrows when the API answers 429 or 503 and widens again up to
 * Concurrency. The output is as if the items had run one at a time: every output item is
 * paired with its input and kept in input order (an item's several outputs stay together);
 * with Continue On Fail a failed item becomes an error item in its place and the other items
 * go on. Without it, no item starts once one has failed, the items already under way finish,
 * and the node fails with the error of the first failed item in input order, the one a
 * one-at-a-time run would have stopped on.
 */
export async function routeOperations(
	context: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const itemCount = context.getInputData().length;
	const chosen = chooseOperation(context, operations);
	const changesDataIn = chosen.handler?.changesDataIn;
	if (chosen.handler && changesDataIn && !context.continueOnFail() && itemCount > 1) {
		await refuseBeforeSending(context, chosen.handler, itemCount);
	}

	const outcomes = await runItems(context, chosen, itemCount);
	const returnData: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		// Items after a failure may not have run; the first failure in input order is reported.
		if (outcome === undefined) continue;
		if ('error' in outcome) throw failureOf(context, outcomes, itemIndex, changesDataIn);
		returnData.push(...outcome.items);
	}
	return [returnData];
}
