import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getPathId, showOnlyFor } from '../../../shared/node';
import { isJsonObject } from '../../../shared/transport';
import { cityPayApi } from '../../transport';
import { attachmentLocator } from '../../descriptions';

export const description = showOnlyFor('attachment', 'delete', [
	attachmentLocator('The attachment to delete. CityPay deletes the file permanently.'),
]);

export const changesDataIn = 'CityPay';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const attachmentId = getPathId(this, 'attachmentId', 'Attachment ID', itemIndex);
	const response = await cityPayApi.request(this, itemIndex, {
		method: 'DELETE',
		path: `/attachments/${attachmentId}`,
		emptyAnswerOk: true,
	});
	const body = response.body;
	// CityPay documents no response body for a delete; pass one on when it sends it.
	const hasBody = isJsonObject(body) && Object.keys(body).length > 0;
	return [{ json: hasBody ? (body as IDataObject) : { id: decodeURIComponent(attachmentId), deleted: true } }];
}
