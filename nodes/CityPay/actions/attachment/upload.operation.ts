import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readBinaryFile } from '../../../shared/binaryInput';
import { inputBinaryField, showOnlyFor } from '../../../shared/description';
import { assertFileAllowed } from '../../../shared/fileRules';
import { cityPayApi } from '../../transport';

const properties: INodeProperties[] = [
	inputBinaryField('The name of the input binary field containing the file to be uploaded'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name to store the file under, instead of the binary file name',
			},
		],
	},
];

export const description = showOnlyFor('attachment', 'upload', properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const propertyName = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const file = await readBinaryFile(this, itemIndex, propertyName, {
		fileName: options.fileName as string | undefined,
	});
	assertFileAllowed(this.getNode(), file, { apiName: 'CityPay' });

	// CityPay: multipart with the bytes in the required `file` field (API docs).
	const response = await cityPayApi.request(this, itemIndex, {
		method: 'POST',
		path: '/attachments',
		multipart: { fields: [], files: [{ fieldName: 'file', file }] },
		ifUnsure: {
			outcome: 'The file may or may not have arrived in CityPay',
			check: 'Check the attachments in CityPay (Get Many) before running this item again, so the file is not stored twice.',
		},
	});
	return [{ json: response.body as IDataObject }];
}
