import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection, requiredTextParameter, showOnlyFor, splitList, textParameter } from '../../../shared/node';
import { itemError } from '../../../shared/transport';
import { attachmentUrlsOption, filesFromProperty, filesMimeTypeOption, inputBinaryFieldsProperty } from '../../descriptions';
import type { UploadedFile } from '../../helpers';
import { readAttachmentUrls, resolveLocationId, uploadItemFiles, withUploadedUrls } from '../../helpers';
import { leadwayApi } from '../../transport';

const SEND_PATH = '/conversations/messages';

/** Leadway: message channels of `POST /conversations/messages` (API docs). */
const MESSAGE_TYPES = ['SMS', 'Email', 'WhatsApp', 'IG', 'FB', 'Custom', 'Live_Chat', 'RCS', 'TIKTOK'];

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		required: true,
		options: [
			{ name: 'Custom', value: 'Custom' },
			{ name: 'Email', value: 'Email' },
			{ name: 'Facebook', value: 'FB' },
			{ name: 'Instagram', value: 'IG' },
			{ name: 'Live Chat', value: 'Live_Chat' },
			{ name: 'RCS', value: 'RCS' },
			{ name: 'SMS', value: 'SMS' },
			{ name: 'TikTok', value: 'TIKTOK' },
			{ name: 'WhatsApp', value: 'WhatsApp' },
		],
		default: 'SMS',
		description: 'The channel to send the message on, e.g. SMS or Email',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 9VEmS0si86GW6gXWU89b',
		description:
			"ID of the Leadway contact to send to, e.g. 9VEmS0si86GW6gXWU89b. The message goes into that contact's conversation.",
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The text of the message (for Email, the plain-text body), e.g. Here is your invoice',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		description: 'Subject line of the email, e.g. "Your invoice for March"',
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		displayName: 'HTML',
		name: 'html',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'HTML body of the email, e.g. <p>Here is your invoice.</p>. Leave empty to send Message as plain text.',
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		displayName: 'From',
		name: 'emailFrom',
		type: 'string',
		default: '',
		placeholder: 'e.g. Sales Team <sales@example.com>',
		description: "Sender address of the email. Leave empty for the location's default sender.",
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		displayName: 'To',
		name: 'emailTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. ana.souza@example.com',
		description: "Recipient address. Leave empty to use the contact's email address.",
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		displayName: 'CC',
		name: 'emailCc',
		type: 'string',
		default: '',
		placeholder: 'e.g. billing@example.com, manager@example.com',
		description: 'Comma-separated email addresses to copy in',
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		displayName: 'BCC',
		name: 'emailBcc',
		type: 'string',
		default: '',
		placeholder: 'e.g. archive@example.com',
		description: 'Comma-separated email addresses to copy in without showing them',
		displayOptions: { show: { type: ['Email'] } },
	},
	{
		...filesFromProperty(
			true,
			'Files to attach: each is uploaded to Leadway first, then sent with the message. The output lists the attachment URLs sent.',
		),
		default: 'none',
	},
	inputBinaryFieldsProperty,
	optionsCollection([
		attachmentUrlsOption('URLs of files to attach without uploading them, e.g. the URLs a failed send listed after its upload'),
		{
			displayName: 'From Number',
			name: 'fromNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +15550100',
			description: 'Phone number to send from, in international format',
		},
		{
			displayName: 'Location ID',
			name: 'locationId',
			type: 'string',
			default: '',
			description: "Location (sub-account) the files are uploaded to. Leave empty to use the credential's Location ID.",
		},
		{ ...filesMimeTypeOption, displayOptions: { hide: { '/filesFrom': ['none'] } } },
		{
			displayName: 'Reply To Message ID',
			name: 'replyMessageId',
			type: 'string',
			default: '',
			description: 'ID of the message this one answers, e.g. from Message > Get Many',
		},
		{
			displayName: 'Scheduled Time',
			name: 'scheduledTime',
			type: 'dateTime',
			default: '',
			description: "When to send the message, e.g. 2026-03-01T09:00:00Z. Without a time zone, the workflow's time zone applies.",
		},
		{
			displayName: 'Thread ID',
			name: 'threadId',
			type: 'string',
			default: '',
			description: 'ID of the email thread to send the message in',
		},
		{
			displayName: 'To Number',
			name: 'toNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +15550101',
			description: "Phone number to send to, in international format. Leave empty for the contact's number.",
		},
	]),
];

export const description = showOnlyFor('message', 'send', properties);

export const changesDataIn = 'Leadway';

/** Milliseconds a time zone is ahead of UTC at an instant. */
function zoneOffsetMs(timeZone: string, instant: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	}).formatToParts(new Date(instant));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wallClock - Math.floor(instant / 1000) * 1000;
}

/** Scheduled Time as UTC seconds (Leadway: `scheduledTimestamp`); a date without zone is in the workflow's time zone. */
function scheduledTimestamp(context: IExecuteFunctions, itemIndex: number, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let instant = Number.NaN;
	if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		instant = (value as { toMillis(): number }).toMillis();
	} else if (value instanceof Date) {
		instant = value.getTime();
	} else if (typeof value === 'string') {
		const text = value.trim();
		const hasZone = /(z|[+-]\d\d:?\d\d)$/i.test(text);
		const asUtc = Date.parse(hasZone || !/\d\d:\d\d/.test(text) ? text : `${text}Z`);
		instant = hasZone || !Number.isFinite(asUtc) ? asUtc : asUtc - zoneOffsetMs(context.getTimezone(), asUtc);
	}
	if (!Number.isFinite(instant)) {
		throw itemError(
			context.getNode(),
			itemIndex,
			'Scheduled Time is not a date',
			`Enter a date and time such as 2026-03-01T09:00:00Z (got "${String(value).slice(0, 60)}").`,
		);
	}
	return Math.floor(instant / 1000);
}

function assertMessageType(context: IExecuteFunctions, itemIndex: number, type: string): void {
	if (!MESSAGE_TYPES.includes(type)) {
		throw itemError(context.getNode(), itemIndex, `Type "${type}" is not a Leadway message type`, `Choose one of: ${MESSAGE_TYPES.join(', ')}.`);
	}
}

/** The JSON body of the message, without attachments; everything is checked before any upload. */
function messageBody(context: IExecuteFunctions, itemIndex: number, options: IDataObject): IDataObject {
	const type = String(context.getNodeParameter('type', itemIndex, 'SMS'));
	assertMessageType(context, itemIndex, type);
	const contactId = requiredTextParameter(context, itemIndex, {
		name: 'contactId',
		displayName: 'Contact ID',
		fix: 'Enter the ID of the Leadway contact to send to, or map it from a previous node with an expression.',
	});
	const body: IDataObject = { type, contactId };
	const message = String(context.getNodeParameter('message', itemIndex, '') ?? '');
	if (message.trim() !== '') body.message = message;
	if (type === 'Email') {
		for (const name of ['subject', 'html', 'emailFrom', 'emailTo']) {
			const value = textParameter(context, name, itemIndex);
			if (value !== '') body[name] = value;
		}
		for (const name of ['emailCc', 'emailBcc']) {
			const list = splitList(textParameter(context, name, itemIndex));
			if (list.length > 0) body[name] = list;
		}
	}
	for (const name of ['replyMessageId', 'threadId', 'fromNumber', 'toNumber']) {
		const value = String(options[name] ?? '').trim();
		if (value !== '') body[name] = value;
	}
	const scheduled = scheduledTimestamp(context, itemIndex, options.scheduledTime);
	if (scheduled !== undefined) body.scheduledTimestamp = scheduled;
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body = messageBody(this, itemIndex, options);
	const extraUrls = readAttachmentUrls(this, itemIndex, options.attachmentUrls);
	const leadway = await leadwayApi.session(this, itemIndex);
	// The files are uploaded to the contact's conversation first; their URLs go in `attachments`.
	const answers = await uploadItemFiles(this, itemIndex, leadway, false, () => ({
		conversationId: '',
		contactId: body.contactId as string,
		locationId: resolveLocationId(this, itemIndex, leadway.credentials, String(options.locationId ?? '').trim()),
		attachmentUrls: [],
		chatServiceSid: '',
		isGroupSms: false,
	}));
	const uploaded: UploadedFile[] = answers.flatMap((answer) =>
		Object.entries(answer.uploadedFiles).map(([name, url]) => ({ name, url })),
	);
	const attachments = [...uploaded.map((file) => file.url), ...extraUrls];
	if (attachments.length > 0) body.attachments = attachments;

	let answer: IDataObject;
	try {
		({ body: answer } = (await leadway.request({
			method: 'POST',
			path: SEND_PATH,
			body,
			ifUnsure: {
				outcome: 'The message may or may not have been sent',
				check: 'Check the conversation in Leadway before running this item again, so the message is not sent twice.',
			},
		})) as { body: IDataObject });
	} catch (error) {
		throw withUploadedUrls(this.getNode(), itemIndex, error, uploaded);
	}
	return [{ json: { ...answer, attachments } }];
}
