import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadListedFile } from '../../../shared/binary';
import { getOutputBinaryField, getPathId, outputBinaryField, showOnlyFor } from '../../../shared/node';
import { attachmentLocator } from '../../descriptions';
import { ATTACHMENT_FIELDS } from '../../helpers';
import { cityPayApi, downloadAttachmentFile } from '../../transport';

const properties: INodeProperties[] = [
	attachmentLocator('The attachment to download'),
	outputBinaryField,
];

export const description = showOnlyFor('attachment', 'download', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const attachmentId = getPathId(this, 'attachmentId', 'Attachment ID', itemIndex);
	const propertyName = getOutputBinaryField(this, itemIndex);

	const response = await cityPayApi.request(this, itemIndex, { method: 'GET', path: `/attachments/${attachmentId}` });
	const attachment = response.body as IDataObject;
	return await downloadListedFile(this, itemIndex, attachment, {
		fields: ATTACHMENT_FIELDS,
		download: downloadAttachmentFile,
		propertyName,
		noUrl: {
			problem: `CityPay sent no file URL for attachment "${decodeURIComponent(attachmentId)}"`,
			fix: 'The attachment has no file to download. Check it in CityPay, or upload the file again.',
		},
	});
}
