// The binary room: files. Reading the items' binary data, the file rules and MIME types,
// multipart and JSON file bodies, streams, files fetched from a URL, and downloads into binary
// data. It sends through transport/ and never imports node/.

export * from './binaryInput';
export * from './download';
export * from './fileRules';
export * from './jsonFileBody';
export * from './mime';
export * from './multipart';
export * from './streams';
export * from './urlInput';
