/**
 * The node panels as n8n lays them out (parameters in order, shown by n8n's own display
 * rules), and CityPay Upload's Conversation ID through the node's real run.
 */
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { CITYPAY_TOKEN, CityPayDouble } from '../doubles/citypay';
import { credentialsFor, useApiDoubles } from '../harness/apiDoubles';
import { runNode } from '../harness/engine';
import { fixture } from '../harness/fixtures';

const citypay = new CityPayDouble();
const { pkg } = useApiDoubles([citypay]);

function nodeType(name: string): INodeType {
	const type = pkg.nodeTypes.get(`${pkg.packageName}.${name}`);
	if (!type) throw new Error(`no node ${name}`);
	return type;
}

/** The top-level parameters n8n shows for these values, in panel order. */
function panel(name: string, values: IDataObject): INodeProperties[] {
	const { description } = nodeType(name);
	return description.properties.filter((property) =>
		NodeHelpers.displayParameter(values as never, property, { typeVersion: 1 }, description),
	);
}

const shown = (name: string, values: IDataObject) => panel(name, values).map((property) => property.displayName);

describe('Invent panels', () => {
	it.each([
		['contact', 'create', ['Add at least one channel field: Name, Email, Phone, User ID or External Contact ID', 'Channel Fields', 'Segment ID']],
		['contact', 'getMany', ['Return All', 'Limit', 'Filters']],
		['contactFile', 'upload', ['Contact ID', 'Input Type', 'Input Binary Field', 'Options']],
		['contactFile', 'getMany', ['Contact ID', 'Return All', 'Limit', 'Filters']],
		['contactFile', 'download', ['Contact ID', 'File', 'Put Output File in Field']],
	])('%s → %s shows Organization ID right after the operation', (resource, operation, rest) => {
		expect(shown('invent', { resource, operation, returnAll: false, inputType: 'binary' })).toEqual([
			'Resource',
			'Operation',
			'Organization ID',
			...rest,
			'Request Options',
		]);
		const organization = panel('invent', { resource, operation }).find((property) => property.name === 'organizationId');
		// Visible under the field, not only in a tooltip.
		expect(organization?.hint).toMatch(/"c".*organization your API key belongs to/);
	});

	it('Contact → Create says up front that a channel field is required, and names the external ID apart', () => {
		const properties = panel('invent', { resource: 'contact', operation: 'create' });
		const channelAt = properties.findIndex((property) => property.name === 'channel');
		// A notice right above the field, visible before any run.
		expect(properties[channelAt - 1]).toMatchObject({ type: 'notice', displayName: expect.stringMatching(/^Add at least one channel field/) });
		const channel = properties[channelAt];
		const fields = (channel?.options as INodeProperties[]).map((option) => [option.name, option.displayName]);
		expect(fields).toContainEqual(['contact_id', 'External Contact ID']);
		// Every "Contact ID" in the node (Contact File's operations) is Invent's contact, one parameter name for all.
		const contactIds = nodeType('invent').description.properties.filter((property) => property.displayName === 'Contact ID');
		expect(new Set(contactIds.map((property) => property.name))).toEqual(new Set(['contactId']));
		expect(contactIds.every((property) => property.type === 'resourceLocator')).toBe(true);
	});

	it('Contact File → Get Many offers its filters and says they are applied by n8n', () => {
		const filters = panel('invent', { resource: 'contactFile', operation: 'getMany' }).find((property) => property.name === 'filters');
		const options = filters?.options as INodeProperties[];
		expect(options.map((option) => option.displayName)).toEqual(['File Name Contains', 'MIME Type', 'Source']);
		for (const option of options) expect(option.description).toMatch(/Applied by n8n to the files Invent returns/);
		const source = options.find((option) => option.name === 'source');
		expect((source?.options as Array<{ value: string }>).map((option) => option.value).sort()).toEqual(['chat', 'direct', 'note']);
	});

	it('Contact File → Download picks the File From List, By ID or By URL', () => {
		const file = panel('invent', { resource: 'contactFile', operation: 'download' }).find((property) => property.name === 'fileId');
		expect(file?.modes?.map((mode) => mode.displayName)).toEqual(['From List', 'By ID', 'By URL']);
		expect(file?.modes?.[0].typeOptions?.searchListMethod).toBe('searchContactFiles');
	});

	it.each([
		['invent', { resource: 'contactFile', operation: 'upload' }, /contact's file list once per run: one request per 100 files/],
		['cityPay', { resource: 'attachment', operation: 'upload' }, /once per run: one request per 100 attachments/],
	])('%s upload: If File Exists says the rule and the cost, Upload Again by default', (name, values, cost) => {
		const options = panel(name, values).find((property) => property.name === 'options')?.options as INodeProperties[];
		const option = options.find((each) => each.name === 'ifFileExists');
		expect(option).toMatchObject({ displayName: 'If File Exists', type: 'options', default: 'uploadAgain' });
		expect((option?.options as Array<{ name: string }>).map((each) => each.name)).toEqual(['Fail', 'Skip', 'Upload Again']);
		expect(option?.description).toMatch(/same name and the same size in bytes|same file name and the same size in bytes/);
		expect(option?.description).toMatch(cost);
		expect(option?.description).toMatch(/URL/);
	});

	it('names segments the same way in Create and in the Get Many filter', () => {
		const create = panel('invent', { resource: 'contact', operation: 'create' }).find((property) => property.name === 'segmentIds');
		const filters = panel('invent', { resource: 'contact', operation: 'getMany' }).find((property) => property.name === 'filters');
		const filter = (filters?.options as INodeProperties[]).find((option) => option.name === 'segment_id');
		expect([create?.displayName, filter?.displayName]).toEqual(['Segment ID', 'Segment ID']);
	});
});

describe('every node', () => {
	const nodes = ['invent', 'haptik', 'cityPay', 'leadway'];

	it.each(nodes)('%s: Request Options show units, with tooltips of one or two sentences', (name) => {
		const requestOptions = nodeType(name).description.properties.find((property) => property.name === 'requestOptions');
		const options = requestOptions?.options as INodeProperties[];
		expect(options.map((option) => option.displayName)).toEqual([
			'Concurrency',
			'Max Retries',
			'Retry Delay (Milliseconds)',
			'Timeout (Milliseconds)',
		]);
		for (const option of options) {
			const sentences = (option.description ?? '').split(/(?<=\.)\s+/).filter((sentence) => sentence !== '');
			expect({ option: option.displayName, sentences: sentences.length <= 2 }).toEqual({ option: option.displayName, sentences: true });
		}
	});

	it.each(nodes)('%s: collections say "Add option" (sentence case, as n8n\'s own nodes)', (name) => {
		const placeholders = nodeType(name)
			.description.properties.filter((property) => property.type === 'collection' || property.type === 'fixedCollection')
			.map((property) => String(property.placeholder));
		expect(placeholders.length).toBeGreaterThan(0);
		for (const placeholder of placeholders) expect(placeholder).toMatch(/^Add [a-z]+$/);
	});
});

describe('CityPay Upload: Conversation ID', () => {
	const upload = (conversationId?: string) =>
		runNode({
			pkg,
			node: {
				type: 'cityPay',
				parameters: { resource: 'attachment', operation: 'upload', ...(conversationId === undefined ? {} : { conversationId }) },
			},
			input: [{ files: [{ fileName: 'invoice.pdf', content: fixture('invoice.pdf') }] }],
			credentials: credentialsFor(citypay),
		});

	/** The part names of the upload, in the order they were sent. */
	const partNames = () =>
		[...citypay.requestsTo('POST', /^\/attachments$/)[0].body.toString('latin1').matchAll(/Content-Disposition: form-data; name="([^"]+)"/g)].map(
			(match) => match[1],
		);

	it('sends the conversation first, as conversation_id, and CityPay lists the file in it', async () => {
		const result = await upload(' conv_42 ');
		expect(result.error).toBeUndefined();
		expect(partNames()).toEqual(['conversation_id', 'file']);
		expect(citypay.attachments.map((attachment) => attachment.conversationId)).toEqual(['conv_42']);
		const listed = await runNode({
			pkg,
			node: { type: 'cityPay', parameters: { resource: 'attachment', operation: 'getMany', conversationId: 'conv_42' } },
			input: [{}],
			credentials: credentialsFor(citypay),
		});
		expect(listed.items.map((item) => item.json.id)).toEqual([result.items[0].json.id]);
	});

	it.each([['left out', undefined], ['empty', ''], ['blank', '  ']])('sends only the file when the Conversation ID is %s', async (_case, conversationId) => {
		const result = await upload(conversationId);
		expect(result.error).toBeUndefined();
		expect(partNames()).toEqual(['file']);
		expect(citypay.attachments.map((attachment) => attachment.conversationId)).toEqual([null]);
	});

	it('the CityPay double refuses conversation_id after the file, as the contract orders the fields', async () => {
		const form = new FormData();
		form.append('file', new Blob([Buffer.from('x')], { type: 'text/plain' }), 'x.txt');
		form.append('conversation_id', 'conv_42');
		const response = await fetch(`${citypay.url}/attachments`, {
			method: 'POST',
			headers: { authorization: `Bearer ${CITYPAY_TOKEN}` },
			body: form,
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ message: 'conversation_id must come before file' });
	});
});
