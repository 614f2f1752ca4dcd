// The node room: what every node shares in the editor and in a run. The operation router with
// n8n's error-output contract, description helpers, resource locators, node parameters,
// paging for Get Many and list searches, the file records APIs list, and If File Exists.

export * from './description';
export * from './existingFiles';
export * from './paging';
export * from './parameters';
export * from './resourceLocator';
export * from './router';
