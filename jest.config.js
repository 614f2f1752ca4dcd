/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// Type-checking is tsc's job (npm run build, lint); tests only transpile.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
	},
	setupFiles: ['<rootDir>/test/harness/setupEnv.ts'],
	// The secrets check: workers record what users see; teardown fails the run on any secret in it.
	globalSetup: '<rootDir>/test/harness/globalSetup.ts',
	globalTeardown: '<rootDir>/test/harness/globalTeardown.ts',
	testTimeout: 60000,
};
