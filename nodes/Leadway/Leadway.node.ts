import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/requestOptions';
import { routeOperations } from '../shared/router';
import * as conversation from './actions/conversation';
import { testLeadwayCredential } from './transport';

export class Leadway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Leadway',
		name: 'leadway',
		icon: { light: 'file:../../icons/leadway.svg', dark: 'file:../../icons/leadway.dark.svg' },
		group: ['output'],
		version: 1,
		// What the node does, as a person would say it, by resource:operation; the
		// conversation:get/getMany and message:* entries wait for those operations.
		subtitle:
			'={{ { "conversation:upload": "Upload files to conversation", "conversation:getMany": "Search conversations", "conversation:get": "Get conversation", "message:send": "Send message", "message:getMany": "Get many messages" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Upload files to conversations in Leadway',
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
				options: [{ name: 'Conversation', value: 'conversation' }],
				default: 'conversation',
			},
			...conversation.description,
			requestOptionsProperty,
		],
	};

	methods = {
		credentialTest: { leadwayApiTest: testLeadwayCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, { conversation });
	}
}
