import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { showOnlyFor, splitList } from '../../../shared/node';
import { itemError } from '../../../shared/transport';
import { organizationIdProperty } from '../../descriptions';
import { organizationPath } from '../../helpers';
import { inventApi } from '../../transport';

const properties: INodeProperties[] = [
	organizationIdProperty,
	{
		// Shown before the run, so an empty Channel Fields is not first met as an error.
		displayName: 'Add at least one channel field: Name, Email, Phone, User ID or External Contact ID',
		name: 'channelNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Channel Fields',
		name: 'channel',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: 'How the contact is reached and found again',
		options: [
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: "The contact's email address, for example ada@example.com",
			},
			{
				displayName: 'External Contact ID',
				name: 'contact_id',
				type: 'string',
				default: '',
				description: "The contact's ID in your own system (not an Invent contact ID), for example crm-1042",
			},
			{ displayName: 'Name', name: 'name', type: 'string', default: '', description: "The contact's full name, for example Ada Lovelace" },
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				description: "The contact's phone number in international format, for example +4915123456789",
			},
			{
				displayName: 'User ID',
				name: 'user_id',
				type: 'string',
				default: '',
				description: 'The user ID in your own system, for example user-7781',
			},
		],
	},
	{
		displayName: 'Segment ID',
		name: 'segmentIds',
		type: 'string',
		default: '',
		placeholder: 'seg_1, seg_2',
		description: 'ID of the segment to add the contact to; separate several IDs with commas, for example seg_1, seg_2',
	},
];

export const description = showOnlyFor('contact', 'create', properties);

export const changesDataIn = 'Invent';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const channelInput = this.getNodeParameter('channel', itemIndex, {}) as IDataObject;
	const channel: IDataObject = {};
	for (const [key, value] of Object.entries(channelInput)) {
		const text = String(value ?? '').trim();
		if (text !== '') channel[key] = text;
	}
	if (Object.keys(channel).length === 0) {
		throw itemError(
			this.getNode(),
			itemIndex,
			'Channel Fields are empty',
			'Add at least one channel field (Name, Email, Phone, User ID or External Contact ID) so the contact can be found again.',
		);
	}

	const body: IDataObject = { channel };
	const segmentIds = splitList(this.getNodeParameter('segmentIds', itemIndex, '') as string);
	if (segmentIds.length > 0) body.segment_ids = segmentIds;

	const response = await inventApi.request(this, itemIndex, {
		method: 'POST',
		path: `${organizationPath(this, itemIndex)}/contacts`,
		body,
		ifUnsure: {
			outcome: 'The contact may or may not have been created in Invent',
			check: 'Look for it in Invent (Contact → Get Many with a filter) before running this item again, so it is not created twice.',
		},
	});
	return [{ json: response.body as IDataObject }];
}
