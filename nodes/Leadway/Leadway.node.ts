import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/transport';
import { routeOperations } from '../shared/node';
import * as conversation from './actions/conversation';
import * as message from './actions/message';
import { searchConversations } from './methods/listSearch';
import { testLeadwayCredential } from './transport';

export class Leadway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Leadway',
		name: 'leadway',
		icon: { light: 'file:../../icons/leadway.svg', dark: 'file:../../icons/leadway.dark.svg' },
		group: ['output'],
		version: 1,
		// What the node does, as a person would say it, by resource:operation.
		subtitle:
			'={{ { "conversation:upload": "Upload files to conversation", "conversation:getMany": "Search conversations", "conversation:get": "Get conversation", "message:send": "Send message", "message:getMany": "Get many messages" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Send messages with files, search conversations and read messages in Leadway',
		defaults: { name: 'Leadway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Tested by a node function, which can say what to check for an unreachable host, 401 and 403.
		credentials: [{ name: 'leadwayApi', required: true, testedBy: 'leadwayApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Message', value: 'message' },
				],
				default: 'conversation',
			},
			...conversation.description,
			...message.description,
			requestOptionsProperty,
		],
	};

	methods = {
		credentialTest: { leadwayApiTest: testLeadwayCredential },
		listSearch: { searchConversations },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, { conversation, message });
	}
}
