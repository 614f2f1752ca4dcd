// A node for the benchmark only (copied into the bench's n8n user folder, .n8n/custom): reads
// each item's file through n8n's binary helpers the way the uploads do, and drops the bytes.
// Its node time is the floor under any upload of that file: n8n's own read path, nothing sent.
// Stored files (filesystem mode) are read as a stream in STORAGE_READ_BYTES reads, the uploads'
// read size; files held in the item (default mode) as one buffer.

const STORAGE_READ_BYTES = 256 * 1024;

class BenchReadBinary {
	constructor() {
		this.description = {
			displayName: 'Bench Read Binary',
			name: 'benchReadBinary',
			group: ['transform'],
			version: 1,
			description: "Reads each item's file through n8n's binary helpers and discards it",
			defaults: { name: 'Read Binary' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data' }],
		};
	}

	async execute() {
		const items = this.getInputData();
		const output = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const field = this.getNodeParameter('binaryPropertyName', itemIndex);
			const binary = this.helpers.assertBinaryData(itemIndex, field);
			let bytes = 0;
			if (binary.id) {
				await this.helpers.getBinaryMetadata(binary.id);
				for await (const chunk of await this.helpers.getBinaryStream(binary.id, STORAGE_READ_BYTES)) bytes += chunk.length;
			} else {
				bytes = (await this.helpers.getBinaryDataBuffer(itemIndex, field)).length;
			}
			output.push({ json: { bytes, streamed: Boolean(binary.id) }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}

module.exports = { BenchReadBinary };
