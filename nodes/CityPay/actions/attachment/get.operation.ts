import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getPathId, showOnlyFor } from '../../../shared/node';
import { cityPayApi } from '../../transport';
import { attachmentLocator } from '../../descriptions';

export const description = showOnlyFor('attachment', 'get', [
	attachmentLocator('The attachment to get'),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const attachmentId = getPathId(this, 'attachmentId', 'Attachment ID', itemIndex);
	const response = await cityPayApi.request(this, itemIndex, { method: 'GET', path: `/attachments/${attachmentId}` });
	return [{ json: response.body as IDataObject }];
}
