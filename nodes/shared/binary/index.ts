// The binary room: files. Reading the items' binary data, the file rules and MIME types,
// multipart and JSON file bodies, streams, files fetched from a URL, and downloads into binary
// data. It sends through transport/ and never imports node/. The URL files' inner steps (host
// errors, byte counting, the reading record) stay inside the room.

export * from './binaryInput';
export * from './download';
export * from './fileRecords';
export * from './fileRules';
export { parseFileUrl, splitUrlList } from './fileUrl';
export { explainUnfinishedUpload } from './hostReading';
export * from './inputFile';
export * from './jsonFileBody';
export * from './mime';
export * from './multipart';
export * from './streams';
export * from './urlFile';
