/**
 * End-to-end tests against a real n8n (scripts/n8n-local) and headless Chromium: `npm run e2e`.
 * Separate from jest.config.js so that plain `npx jest` stays fast. The tests are plain ESM
 * (.mjs, no transform) because they import the ESM scripts; hence --experimental-vm-modules.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.mjs'],
	transform: {},
	// One n8n at a time: each start takes ~20 s and a good share of the machine.
	maxWorkers: 1,
	// The first run prepares n8n (~7 min); every later step has its own, shorter timeout.
	testTimeout: 15 * 60 * 1000,
};
