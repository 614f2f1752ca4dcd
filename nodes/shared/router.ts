import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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

function errorItem(error: Error & { description?: string | null }, itemIndex: number): INodeExecutionData {
	return {
		json: { error: error.message, ...(error.description ? { description: error.description } : {}) },
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

/**
 * Runs the chosen operation once per input item. Every output item is paired with its
 * input; with Continue On Fail a failed item becomes an error item in its place and
 * the other items go on.
 */
export async function routeOperations(
	context: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = context.getNodeParameter('resource', itemIndex) as string;
			const operation = context.getNodeParameter('operation', itemIndex) as string;
			const handler = findOperation(operations, resource, operation);
			if (!handler) {
				throw new NodeOperationError(
					context.getNode(),
					`The operation "${operation}" is not supported for resource "${resource}"`,
					{ itemIndex },
				);
			}
			const results = await handler.execute.call(context, itemIndex);
			returnData.push(
				...context.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }),
			);
		} catch (error) {
			if (context.continueOnFail()) {
				returnData.push(errorItem(error as Error, itemIndex));
				continue;
			}
			throw asNodeError(context.getNode(), error as Error, itemIndex);
		}
	}
	return [returnData];
}
