/**
 * The secrets check itself (test/harness/leakCheck.ts, run as jest globalTeardown over every
 * test file's runs) must be able to fail: a secret anywhere in what a run shows is found.
 */
import { findLeaks } from '../harness/leakCheck';
import { secretsOf, visibleText } from '../harness/leakScan';

describe('secrets check', () => {
	it('finds a secret in an error description, nested causes included', () => {
		const error = Object.assign(new Error('Could not reach Invent'), {
			description: 'Check the Base URL',
			cause: { config: { headers: { Authorization: 'Bearer inv_secret_123456' } } },
		});
		const record = { kind: 'runNode' as const, test: 'a test', secrets: ['inv_secret_123456'], texts: visibleText(error) };
		expect(findLeaks([record])).toEqual(['runNode in "a test" shows the secret inv_…']);
	});

	it('finds a secret of one run shown by another run', () => {
		const records = [
			{ kind: 'runNode' as const, test: 'first', secrets: ['client-secret-42'], texts: visibleText({ ok: true }) },
			{ kind: 'testCredential' as const, test: 'second', secrets: [], texts: visibleText({ message: 'id client-secret-42' }) },
		];
		expect(findLeaks(records)).toEqual(['testCredential in "second" shows the secret clie…']);
	});

	it('passes clean records', () => {
		const record = { kind: 'runNode' as const, test: 't', secrets: ['tok_abcdef'], texts: visibleText({ message: 'ok' }) };
		expect(findLeaks([record])).toEqual([]);
	});

	it('treats password fields and token, key and client id fields as secrets, line by line', () => {
		const type = { name: 'x', displayName: 'X', properties: [{ displayName: 'P', name: 'pass', type: 'string' as const, typeOptions: { password: true }, default: '' }] };
		expect(
			secretsOf(type, { pass: 'hunter22', apiKey: 'key_1234567', clientId: 'client-42', baseUrl: 'http://x', token: 'tok_part1\r\ntok_part2' }),
		).toEqual(['hunter22', 'key_1234567', 'client-42', 'tok_part1', 'tok_part2']);
	});
});
