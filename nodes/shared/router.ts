import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { getConcurrency } from './requestOptions';
import { withRequestWindow } from './requestWindow';

/** What one operation exports besides its description: how to run it for one item. */
export interface OperationModule {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
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
function asNodeError(node: INode, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error, { itemIndex });
}

/** One item's outcome: its output items, or the error that stops the node. */
type ItemOutcome = { items: INodeExecutionData[] } | { error: unknown };

/**
 * Runs the chosen operation once per input item, up to Concurrency items at once (from the
 * node's Request Options); their requests share one window (./requestWindow) that narrows
 * when the API answers 429 or 503 and widens again up to Concurrency. The output is as if
 * the items had run one at a time: every output item is paired with its input and kept in
 * input order (an item's several outputs stay together); with Continue On Fail a failed
 * item becomes an error item in its place and the other items go on. Without it, no item
 * starts once one has failed, the items already under way finish, and the node fails with
 * the error of the first failed item in input order, the one a one-at-a-time run would have
 * stopped on.
 */
export async function routeOperations(
	context: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const outcomes: Array<ItemOutcome | undefined> = new Array(items.length);
	let nextIndex = 0;
	let failed = false;

	// Read once for the run, as n8n's own routers do: each read costs n8n a parameter lookup and
	// a validation against the node's description, a sizeable share of a small item's CPU.
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const handler = findOperation(operations, resource, operation);

	const runItem = async (itemIndex: number): Promise<ItemOutcome> => {
		try {
			if (!handler) {
				throw new NodeOperationError(
					context.getNode(),
					`The operation "${operation}" is not supported for resource "${resource}"`,
					{ itemIndex },
				);
			}
			const results = await handler.execute.call(context, itemIndex);
			return { items: context.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }) };
		} catch (error) {
			if (context.continueOnFail()) return { items: [errorItem(error as Error, itemIndex)] };
			return { error };
		}
	};

	// Each worker takes the next item not yet started; at most `concurrency` run at once.
	const worker = async (): Promise<void> => {
		while (!failed && nextIndex < items.length) {
			const itemIndex = nextIndex++;
			const outcome = await runItem(itemIndex);
			outcomes[itemIndex] = outcome;
			if ('error' in outcome) failed = true;
		}
	};
	const concurrency = getConcurrency(context);
	const workers = Math.min(concurrency, items.length);
	await withRequestWindow(context, concurrency, async () => await Promise.all(Array.from({ length: workers }, worker)));

	const returnData: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		// Items after a failure may not have run; the first failure in input order is reported.
		if (outcome === undefined) continue;
		if ('error' in outcome) throw asNodeError(context.getNode(), outcome.error as Error, itemIndex);
		returnData.push(...outcome.items);
	}
	return [returnData];
}
