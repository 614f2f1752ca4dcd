import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getOutputBinaryField, getPathId, outputBinaryField, showOnlyFor } from '../../../shared/node';
import { isGenericMimeType } from '../../../shared/binary';
import { cityPayApi, downloadAttachmentFile } from '../../transport';
import { attachmentLocator } from '../../rules';

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
	const fileUrl = attachment.file_url;
	if (typeof fileUrl !== 'string' || fileUrl.trim() === '') {
		throw new NodeOperationError(this.getNode(), `CityPay sent no file URL for attachment "${decodeURIComponent(attachmentId)}" on item ${itemIndex}`, {
			itemIndex,
			description: 'The attachment has no file to download. Check it in CityPay, or upload the file again.',
		});
	}

	const binary = await downloadAttachmentFile(this, itemIndex, fileUrl.trim(), {
		fileName: typeof attachment.filename === 'string' ? attachment.filename.trim() : undefined,
		// A generic type (binary/octet-stream) names no type: the file name decides instead.
		mimeType:
			typeof attachment.file_type === 'string' && !isGenericMimeType(attachment.file_type)
				? attachment.file_type.trim()
				: undefined,
	});
	return [{ json: attachment, binary: { [propertyName]: binary } }];
}
