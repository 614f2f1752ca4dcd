import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty } from '../shared/transport';
import { routeOperations } from '../shared/node';
import * as contact from './actions/contact';
import * as contactFile from './actions/contactFile';
import { searchContactFiles, searchContacts } from './methods/listSearch';
import { testInventCredential } from './transport';

export class Invent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Invent',
		name: 'invent',
		icon: { light: 'file:../../icons/invent.svg', dark: 'file:../../icons/invent.dark.svg' },
		group: ['output'],
		version: 1,
		// What the node does, as a person would say it, by resource:operation.
		subtitle:
			'={{ { "contact:create": "Create contact", "contact:getMany": "Get many contacts", "contactFile:download": "Download contact file", "contactFile:getMany": "Get many contact files", "contactFile:upload": "Upload file to contact" }[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: "Create and list contacts, and upload, list and download a contact's files in Invent",
		defaults: { name: 'Invent' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Tested by a node function, which can say what to check for an unreachable host, 401 and 403.
		credentials: [{ name: 'inventApi', required: true, testedBy: 'inventApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Contact File', value: 'contactFile' },
				],
				default: 'contactFile',
			},
			...contact.description,
			...contactFile.description,
			requestOptionsProperty,
		],
	};

	methods = {
		credentialTest: { inventApiTest: testInventCredential },
		listSearch: { searchContactFiles, searchContacts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperations(this, { contact, contactFile });
	}
}
