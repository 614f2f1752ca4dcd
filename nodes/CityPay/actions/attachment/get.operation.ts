import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { showOnlyFor } from '../../../shared/description';
import { getPathId } from '../../../shared/parameters';
import { cityPayRequest } from '../../transport';
import { attachmentIdProperty } from './shared';

export const description = showOnlyFor('attachment', 'get', [
	{ ...attachmentIdProperty, description: 'ID of the attachment to get' } satisfies INodeProperties,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const attachmentId = getPathId(this, 'attachmentId', 'Attachment ID', itemIndex);
	const response = await cityPayRequest(this, itemIndex, 'GET', `/attachments/${attachmentId}`);
	return [{ json: response.body as IDataObject }];
}
