import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import {
	fileNameOption,
	fileUrlProperty,
	ifFileExistsOf,
	ifFileExistsOption,
	inputBinaryField,
	inputTypeProperty,
	mimeTypeOption,
	optionsCollection,
	showOnlyFor,
	textParameter,
	uploadUnlessExists,
} from '../../../shared/node';
import type { MultipartField } from '../../../shared/binary';
import { multipartBody, sendInputFile } from '../../../shared/binary';
import { attachmentsPlace } from '../../helpers';
import { cityPayApi } from '../../transport';

const properties: INodeProperties[] = [
	inputTypeProperty('CityPay'),
	inputBinaryField('The name of the input binary field containing the file to be uploaded'),
	fileUrlProperty('CityPay'),
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		placeholder: 'xgQQXg3hrtjh7AvZ',
		description: 'The conversation to upload the file to, for example xgQQXg3hrtjh7AvZ. Leave empty to upload it without one.',
	},
	optionsCollection([
		fileNameOption,
		ifFileExistsOption(
			'What to do when CityPay already has an attachment with the same file name and the same size in bytes, in the same conversation (without Conversation ID: among all attachments the token sees). The check reads that attachment list once per run: one request per 100 attachments. A file from a URL is checked once its host states its size (Content-Length), and uploaded without the check when it does not.',
		),
		mimeTypeOption,
	]),
];

export const description = showOnlyFor('attachment', 'upload', properties);

export const changesDataIn = 'CityPay';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversationId = textParameter(this, 'conversationId', itemIndex);
	// CityPay: the conversation, when given, goes first as the `conversation_id` field, as Get Many filters by it.
	const fields: MultipartField[] = conversationId === '' ? [] : [['conversation_id', conversationId]];
	const ifFileExists = ifFileExistsOf(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const place = () => attachmentsPlace(this, itemIndex, conversationId);
	return await sendInputFile(this, itemIndex, { rules: { apiName: 'CityPay' } }, async (file) => {
		return await uploadUnlessExists(this, itemIndex, { ifFileExists, file, place }, async () => {
			// CityPay: multipart with the bytes in the required `file` field (API docs).
			const response = await cityPayApi.request(this, itemIndex, {
				method: 'POST',
				path: '/attachments',
				streamed: multipartBody(fields, [{ fieldName: 'file', file }]),
				ifUnsure: {
					outcome: 'The file may or may not have arrived in CityPay',
					check: 'Check the attachments in CityPay (Get Many) before running this item again, so the file is not stored twice.',
				},
			});
			return response.body as IDataObject;
		});
	});
}
