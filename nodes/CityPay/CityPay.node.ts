import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/transport';
import { routeOperations } from '../shared/node';
import * as attachment from './actions/attachment';
import { searchAttachments } from './methods/listSearch';
import { testCityPayCredential } from './transport';

export class CityPay implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CityPay',
		name: 'cityPay',
		icon: { light: 'file:../../icons/citypay.svg', dark: 'file:../../icons/citypay.dark.svg' },
		group: ['output'],
		version: 1,
		// What the node does, as a person would say it, by resource:operation.
		subtitle:
			'={{ { "attachment:delete": "Delete attachment", "attachment:download": "Download attachment", "attachment:get": "Get attachment", "attachment:getMany": "Get many attachments", "attachment:rename": "Rename attachment", "attachment:upload": "Upload attachment" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Upload, list, rename, download and delete attachments in CityPay',
		defaults: { name: 'CityPay' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Tested by a node function, which can say what to check for an unreachable host, 401 and 403.
		credentials: [{ name: 'cityPayApi', required: true, testedBy: 'cityPayApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Attachment', value: 'attachment' }],
				default: 'attachment',
			},
			...attachment.description,
			requestOptionsProperty,
		],
	};

	methods = {
		credentialTest: { cityPayApiTest: testCityPayCredential },
		listSearch: { searchAttachments },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, { attachment });
	}
}
