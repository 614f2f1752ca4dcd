import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readInputBinaryFile } from '../../../shared/binaryInput';
import { fileNameOption, inputBinaryField, optionsCollection, showOnlyFor } from '../../../shared/description';
import type { MultipartField } from '../../../shared/multipart';
import type { MessageTypeChoice } from '../../rules';
import { acceptFile, messageTypeFor } from '../../rules';
import { haptikApi, UPLOAD_PATH } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'User Auth ID',
		name: 'authId',
		type: 'string',
		required: true,
		default: '',
		description: "The user's ID in your system. Haptik must already know the user (register it with Haptik's user API first).",
	},
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1234',
		description: 'Numeric ID of the Haptik channel or queue to log the message on',
	},
	inputBinaryField('The name of the input binary field containing the file to be sent'),
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Image for jpg, jpeg, png and gif files, document otherwise' },
			{ name: 'Document', value: 'document', description: 'Docx, doc, pdf, xls, xlsx or csv (message type 52)' },
			{ name: 'Image', value: 'image', description: 'Jpg, jpeg, png or gif (message type 1)' },
		],
		default: 'auto',
	},
	optionsCollection([
		{
			...fileNameOption,
			placeholder: 'report.pdf',
			description: 'Name to send the file under, instead of the binary file name. Its extension decides the file type.',
		},
		{
			displayName: 'Message Body',
			name: 'messageBody',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: 'Text sent with the file to the bot or agent',
		},
	]),
];

export const description = showOnlyFor('file', 'send', properties);

function getAuthId(context: IExecuteFunctions, itemIndex: number): string {
	const authId = String(context.getNodeParameter('authId', itemIndex, '') ?? '').trim();
	if (authId === '') {
		throw new NodeOperationError(context.getNode(), `User Auth ID is empty on item ${itemIndex}`, {
			itemIndex,
			description: "Enter the user's ID in your system, or map it from a previous node with an expression.",
		});
	}
	return authId;
}

function getBusinessId(context: IExecuteFunctions, itemIndex: number): string {
	const businessId = String(context.getNodeParameter('businessId', itemIndex, '') ?? '').trim();
	// Haptik: business_id is a numeric identifier of the channel or queue (API docs).
	if (!/^\d+$/.test(businessId)) {
		const shown = businessId === '' ? 'empty' : `"${businessId.slice(0, 60)}", which is not a number`;
		throw new NodeOperationError(context.getNode(), `Business ID is ${shown} on item ${itemIndex}`, {
			itemIndex,
			description: 'Enter the numeric ID of the Haptik channel or queue (digits only, for example 1234).',
		});
	}
	return businessId;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const authId = getAuthId(this, itemIndex);
	const businessId = getBusinessId(this, itemIndex);
	const choice = this.getNodeParameter('messageType', itemIndex, 'auto') as MessageTypeChoice;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const file = await readInputBinaryFile(this, itemIndex);
	const accepted = acceptFile(this.getNode(), file);
	const messageType = messageTypeFor(this.getNode(), file, accepted, choice);

	// Haptik: auth_id, business_id, message_type, optional message_body, then the file (API docs).
	const fields: MultipartField[] = [
		['auth_id', authId],
		['business_id', businessId],
		['message_type', messageType],
	];
	const messageBody = (options.messageBody as string | undefined) ?? '';
	if (messageBody !== '') fields.push(['message_body', messageBody]);
	const files = [{ fieldName: 'file', file: { ...file, fileName: accepted.fileName } }];

	const response = await haptikApi.request(this, itemIndex, {
		method: 'POST',
		path: UPLOAD_PATH,
		multipart: { fields, files },
		ifUnsure: {
			outcome: 'The file may or may not have reached the Haptik conversation',
			check: "Check the user's conversation in Haptik before running this item again, so the file is not sent twice.",
		},
	});
	return [{ json: response.body as IDataObject }];
}
