import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { MultipartField, UploadFile } from '../../../shared/binary';
import {
	fileNameOption,
	fileUrlProperty,
	inputBinaryField,
	inputTypeProperty,
	mimeTypeOption,
	optionsCollection,
	requiredTextParameter,
	showOnlyFor,
	textParameter,
} from '../../../shared/node';
import { multipartBody, sendInputFile } from '../../../shared/binary';
import { itemError } from '../../../shared/transport';
import type { AcceptedFile, MessageTypeChoice } from '../../rules';
import { HAPTIK_FILE_RULES, acceptFile, messageTypeFor } from '../../rules';
import { UPLOAD_PATH, haptikApi } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'User Auth ID',
		name: 'authId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'customer-4711',
		description:
			"The user's ID in your system, as registered with Haptik, for example customer-4711. Haptik must already know the user (register it with Haptik's user API first).",
	},
	{
		displayName: 'Business ID',
		name: 'businessId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '1234',
		description: 'Numeric ID of the Haptik channel or queue to log the message on, digits only, for example 1234',
	},
	inputTypeProperty('Haptik'),
	inputBinaryField('The name of the input binary field containing the file to be sent'),
	fileUrlProperty('Haptik'),
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
		description: 'Whether Haptik shows the file as an image or a document. Auto decides from the file extension.',
	},
	optionsCollection([
		{
			...fileNameOption,
			placeholder: 'report.pdf',
			description:
				'Name to send the file under, for example report.pdf, instead of the binary file name or the name at the end of the File URL. Its extension decides the file type.',
		},
		{
			displayName: 'Message Body',
			name: 'messageBody',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: 'Text sent with the file to the bot or agent, for example "Here is my invoice"',
		},
		mimeTypeOption,
	]),
];

export const description = showOnlyFor('file', 'send', properties);

export const changesDataIn = 'Haptik';

function getBusinessId(context: IExecuteFunctions, itemIndex: number): string {
	const businessId = textParameter(context, 'businessId', itemIndex);
	// Haptik: business_id is a numeric identifier of the channel or queue (API docs).
	if (!/^\d+$/.test(businessId)) {
		const shown = businessId === '' ? 'empty' : `"${businessId.slice(0, 60)}", which is not a number`;
		throw itemError(
			context.getNode(),
			itemIndex,
			`Business ID is ${shown}`,
			'Enter the numeric ID of the Haptik channel or queue (digits only, for example 1234).',
		);
	}
	return businessId;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const authId = requiredTextParameter(this, itemIndex, {
		name: 'authId',
		displayName: 'User Auth ID',
		fix: "Enter the user's ID in your system, or map it from a previous node with an expression.",
	});
	const businessId = getBusinessId(this, itemIndex);
	const choice = this.getNodeParameter('messageType', itemIndex, 'auto') as MessageTypeChoice;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	// Checked before any byte is sent, on what the binary data or the URL's host declares.
	const decided: { accepted?: AcceptedFile; messageType?: string } = {};
	const check = (candidate: UploadFile) => {
		decided.accepted = acceptFile(this.getNode(), candidate);
		decided.messageType = messageTypeFor(this.getNode(), candidate, decided.accepted, choice);
	};
	return await sendInputFile(this, itemIndex, { rules: HAPTIK_FILE_RULES, check }, async (file) => {
		const { accepted, messageType } = decided as Required<typeof decided>;
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
			streamed: multipartBody(fields, files),
			ifUnsure: {
				outcome: 'The file may or may not have reached the Haptik conversation',
				check: "Check the user's conversation in Haptik before running this item again, so the file is not sent twice.",
			},
		});
		return [{ json: response.body as IDataObject }];
	});
}
