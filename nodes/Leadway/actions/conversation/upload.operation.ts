import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { inputTypeProperty, optionsCollection, showOnlyFor, textParameter } from '../../../shared/node';
import { itemError } from '../../../shared/transport';
import {
	attachmentUrlsOption,
	conversationLocator,
	filesFromProperty,
	filesMimeTypeOption,
	inputBinaryFieldsProperty,
	locationIdProperty,
} from '../../descriptions';
import type { UploadTarget } from '../../helpers';
import {
	conversationIdParameter,
	mergeUploadAnswers,
	readAttachmentUrls,
	resolveLocationId,
	uploadItemFiles,
} from '../../helpers';
import type { LeadwayCredentials } from '../../transport';
import { leadwayApi } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Enter a Conversation ID, a Contact ID, or both: Leadway needs at least one of them to know where the files go.',
		name: 'targetNotice',
		type: 'notice',
		default: '',
	},
	conversationLocator('ID of the conversation to upload to, e.g. ve9EPM428h8vShlRW1KT. Enter a Conversation ID, a Contact ID, or both.', false),
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 9VEmS0si86GW6gXWU89b',
		description: 'ID of the contact whose conversation gets the files. Enter a Conversation ID, a Contact ID, or both.',
	},
	locationIdProperty,
	inputTypeProperty('Leadway'),
	{
		displayName: 'File URLs',
		name: 'fileUrls',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/files/report.pdf, https://example.com/files/photo.jpg',
		description:
			'One or more public http(s) URLs of the files to upload, separated by commas or new lines, for example https://example.com/files/report.pdf. n8n downloads each without credentials and streams it straight to Leadway; each file is named after the end of its URL.',
		displayOptions: { show: { inputType: ['url'] } },
	},
	{
		...filesFromProperty(
			false,
			'You get one output item per input item, with the URL of each uploaded file in "files". More than 5 files are sent in several requests.',
		),
		displayOptions: { show: { inputType: ['binary'] } },
	},
	{ ...inputBinaryFieldsProperty, displayOptions: { show: { inputType: ['binary'], filesFrom: ['named'] } } },
	optionsCollection([
		attachmentUrlsOption('URLs of files already hosted elsewhere, sent along with the first upload request'),
		{
			displayName: 'Chat Service SID',
			name: 'chatServiceSid',
			type: 'string',
			default: '',
			placeholder: 'ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
			description: 'Twilio chat service SID, for group SMS uploads',
		},
		{
			displayName: 'Group SMS',
			name: 'isGroupSms',
			type: 'boolean',
			default: false,
			description: 'Whether to use the group SMS upload flow. Leadway then accepts exactly one file per request.',
		},
		filesMimeTypeOption,
	]),
];

export const description = showOnlyFor('conversation', 'upload', properties);

export const changesDataIn = 'Leadway';

function getConversation(context: IExecuteFunctions, itemIndex: number): Pick<UploadTarget, 'conversationId' | 'contactId'> {
	const conversationId = conversationIdParameter(context, itemIndex);
	const contactId = textParameter(context, 'contactId', itemIndex);
	// Leadway: one of conversationId or contactId must be given (API docs).
	if (conversationId === '' && contactId === '') {
		throw itemError(
			context.getNode(),
			itemIndex,
			'Conversation ID and Contact ID are both empty',
			'Leadway needs to know where the files go: enter a Conversation ID, a Contact ID, or both.',
		);
	}
	return { conversationId, contactId };
}

function getUploadTarget(
	context: IExecuteFunctions,
	itemIndex: number,
	credentials: LeadwayCredentials,
	conversation: Pick<UploadTarget, 'conversationId' | 'contactId'>,
): UploadTarget {
	const locationId = resolveLocationId(context, itemIndex, credentials, textParameter(context, 'locationId', itemIndex));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		...conversation,
		locationId,
		attachmentUrls: readAttachmentUrls(context, itemIndex, options.attachmentUrls),
		chatServiceSid: String(options.chatServiceSid ?? '').trim(),
		isGroupSms: options.isGroupSms === true,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const conversation = getConversation(this, itemIndex);
	const leadway = await leadwayApi.session(this, itemIndex);
	const target = getUploadTarget(this, itemIndex, leadway.credentials, conversation);

	const answers = await uploadItemFiles(this, itemIndex, leadway, target.isGroupSms, () => target);
	return [{ json: mergeUploadAnswers(answers) }];
}
