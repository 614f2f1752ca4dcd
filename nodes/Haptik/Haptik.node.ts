import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/transport';
import { routeOperations } from '../shared/node';
import * as file from './actions/file';
import { testHaptikCredential } from './transport';

export class Haptik implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Haptik',
		name: 'haptik',
		icon: { light: 'file:../../icons/haptik.svg', dark: 'file:../../icons/haptik.dark.svg' },
		group: ['output'],
		version: 1,
		// What the node does, as a person would say it, by resource:operation.
		subtitle:
			'={{ { "file:send": "Send file to conversation" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: "Send a user's file into a Haptik conversation",
		defaults: { name: 'Haptik' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Haptik has no read-only route, so the credential is tested by a probe that tells 401 from other refusals.
		credentials: [{ name: 'haptikApi', required: true, testedBy: 'haptikApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'File', value: 'file' }],
				default: 'file',
			},
			...file.description,
			requestOptionsProperty,
		],
	};

	methods = {
		credentialTest: { haptikApiTest: testHaptikCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, { file });
	}
}
