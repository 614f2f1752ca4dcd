// The transport room: how a request reaches a vendor API and what its answer means. The API client,
// sending with timeouts, retries and the request window, errors and their wording, URLs,
// credential checks and credential tests, Request Options and the check run before sending.
// It is the bottom room: it imports nothing from binary/ or node/.

export * from './answerHeaders';
export * from './apiClient';
export { isStream, readJson } from './bodies';
export * from './credentialChecks';
export * from './credentialProbe';
export { MAX_TIMER_MS, TIMER_STOPPED } from './deadline';
export * from './errors';
export * from './perRun';
export * from './preflight';
export * from './redirects';
export * from './request';
export * from './requestOptions';
export * from './requestWindow';
export * from './retry';
export * from './urls';
