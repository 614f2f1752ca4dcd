// Lints what we ship (nodes/, credentials/, package.json) with n8n's two community
// rule sets: eslint-plugin-n8n-nodes-base (community, credentials, nodes) and
// @n8n/eslint-plugin-community-nodes (recommended).
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const nodesBaseRules = (set) => n8nNodesBase.configs[set].rules;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', '.n8n-local/**', 'scripts/**', 'gulpfile.js'] },
	{
		files: ['**/*.ts', 'package.json'],
		languageOptions: {
			parser: tsParser,
			parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] },
		},
	},
	{
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodesBaseRules('community'),
			// We target self-hosted installs. The design allows exactly two runtime
			// dependencies, form-data (streamed multipart bodies) and mime-types (MIME
			// type from a file name); bundling would not pass Cloud verification either.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodesBaseRules('credentials'),
			// Contradicts this plugin's own cred-class-field-documentation-url-not-http-url
			// (community credentials must link an http(s) URL, which is never camelCase) and
			// @n8n/community-nodes/credential-documentation-url; both of those stay on.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...nodesBaseRules('nodes'),
			// These two accept only the string literal 'main', which
			// @n8n/community-nodes/node-connection-type-literal forbids in favour of
			// NodeConnectionTypes.Main; the newer rule stays on.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
