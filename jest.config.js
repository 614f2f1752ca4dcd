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
	testTimeout: 60000,
};
