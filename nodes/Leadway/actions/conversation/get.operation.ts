import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getPathId, showOnlyFor } from '../../../shared/node';
import { conversationLocator } from '../../descriptions';
import { leadwayApi } from '../../transport';

const properties: INodeProperties[] = [conversationLocator('ID of the conversation to get, e.g. ve9EPM428h8vShlRW1KT. Pick it from the list, or map it from Conversation > Get Many.', true)];

export const description = showOnlyFor('conversation', 'get', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const path = `/conversations/${getPathId(this, 'conversationId', 'Conversation ID', itemIndex)}`;
	const { body } = await leadwayApi.request(this, itemIndex, { method: 'GET', path });
	return [{ json: body as IDataObject }];
}
