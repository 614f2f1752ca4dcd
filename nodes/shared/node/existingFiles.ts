import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { NodeOperationError } from 'n8n-workflow';

import { itemError, readOncePerRun } from '../transport';
import type { FileRecordFields } from '../binary';

/** What an upload does when the same file is already there. */
export type IfFileExists = 'uploadAgain' | 'skip' | 'fail';

/** The "If File Exists" option of an upload; `description` says where "there" is and what the check costs. */
export function ifFileExistsOption(description: string): INodeProperties {
	return {
		displayName: 'If File Exists',
		name: 'ifFileExists',
		type: 'options',
		default: 'uploadAgain',
		description,
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Fail the item with an error naming the file already there',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Upload nothing and output the file already there, with alreadyUploaded set to true',
			},
			{
				name: 'Upload Again',
				value: 'uploadAgain',
				description: 'Upload the file even if the same file is already there',
			},
		],
	};
}

/** The If File Exists option in an item's Options collection; Upload Again when not set. */
export function ifFileExistsOf(options: IDataObject): IfFileExists {
	const value = options.ifFileExists;
	return value === 'skip' || value === 'fail' ? value : 'uploadAgain';
}

/** Where files are looked for, as one API lists them. */
export interface FilePlace {
	/** The API's name as the user sees it. */
	apiName: string;
	/** Identifies the place within one node run: the contact or conversation (with its organization). */
	key: string;
	/** The place in a message: `on contact "ct_1"`, `in conversation "c_9"`, `in CityPay`. */
	shownAs: string;
	/** What the API calls one record: `file`, `attachment`. */
	recordNoun: string;
	/** Reads every record of the place (all pages). Called once per node run and place. */
	readAll(): Promise<IDataObject[]>;
	/** Where a record lists the file's name and size. */
	fields: FileRecordFields;
}

/** The files of one place as far as this run knows them, and the uploads of this run still under way. */
interface PlaceIndex {
	known: Map<string, IDataObject>;
	uploading: Map<string, Promise<void>>;
}

/** Each place's index, by node run and place (see readOncePerRun): never shared across runs. */
const indexesOfRun = readOncePerRun<PlaceIndex>();

/** The rule for "the same file": the same name and the same size in bytes. */
const fileKey = (name: string, size: number) => `${size}\u0000${name}`;

/** A size in bytes as an API lists it (a number, or digits as text); undefined for anything else. */
function byteCount(value: unknown): number | undefined {
	const size = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
	return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

function buildIndex(place: FilePlace, records: IDataObject[]): PlaceIndex {
	const known = new Map<string, IDataObject>();
	for (const record of records) {
		const name = typeof record[place.fields.name] === 'string' ? (record[place.fields.name] as string) : undefined;
		const size = byteCount(record[place.fields.size]);
		// The first listed of several equal files stands for them.
		if (name !== undefined && size !== undefined && !known.has(fileKey(name, size))) known.set(fileKey(name, size), record);
	}
	return { known, uploading: new Map() };
}

/** The place's index for this node run: its list is read once and shared by every item. */
async function placeIndex(context: object, place: FilePlace): Promise<PlaceIndex> {
	return await indexesOfRun(context, place.key, async () => buildIndex(place, await place.readAll()));
}

/** The file an upload is about to send: its name, and its size when known. */
export interface FileToSend {
	fileName: string;
	size: number | undefined;
}

/**
 * Runs `upload` unless the same file (name and size) is already at `place`, as If File Exists
 * says: Upload Again always uploads; Skip outputs the record already there, marked
 * `alreadyUploaded: true` (and an upload `alreadyUploaded: false`); Fail fails the item,
 * naming that record. A file of unknown size is uploaded. A file uploaded in this run counts
 * for the items after it; an item whose twin is being uploaded right now waits for its outcome.
 */
export async function uploadUnlessExists(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: { ifFileExists: IfFileExists; file: FileToSend; place: () => FilePlace },
	upload: () => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const { ifFileExists, file } = settings;
	const marked = (record: IDataObject, alreadyUploaded: boolean) =>
		ifFileExists === 'skip' ? { ...record, alreadyUploaded } : record;
	if (ifFileExists === 'uploadAgain' || file.size === undefined) return [{ json: marked(await upload(), false) }];

	const place = settings.place();
	const index = await placeIndex(context, place);
	const key = fileKey(file.fileName, file.size);
	for (;;) {
		const existing = index.known.get(key);
		if (existing) {
			if (ifFileExists === 'skip') return [{ json: marked(existing, true) }];
			throw alreadyThereError(context, itemIndex, place, file, existing);
		}
		const underWay = index.uploading.get(key);
		if (!underWay) break;
		await underWay;
	}

	let done = () => {};
	index.uploading.set(key, new Promise<void>((resolve) => (done = resolve)));
	try {
		const record = await upload();
		index.known.set(key, record);
		return [{ json: marked(record, false) }];
	} finally {
		index.uploading.delete(key);
		done();
	}
}

function alreadyThereError(
	context: IExecuteFunctions,
	itemIndex: number,
	place: FilePlace,
	file: FileToSend,
	existing: IDataObject,
): NodeOperationError {
	const id = typeof existing.id === 'string' || typeof existing.id === 'number' ? ` ${existing.id}` : '';
	return itemError(
		context.getNode(),
		itemIndex,
		`File "${file.fileName}" already exists ${place.shownAs}`,
		`${place.apiName} already has this file (same name, ${file.size} bytes) as ${place.recordNoun}${id}. Set If File Exists to Skip to pass the existing file on instead, or to Upload Again to upload another copy.`,
	);
}
