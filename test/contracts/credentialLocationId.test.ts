/**
 * Leadway's credential test reads `/locations/<Location ID>` when a Location ID is set: an ID
 * that is not one path segment ("." or "..") would read another route and pass. It is
 * refused before sending, by the same check the nodes apply to the IDs they put in paths.
 */
import { LEADWAY_LOCATION, LEADWAY_TOKEN, LEADWAY_VERSION, LeadwayDouble } from '../doubles/leadway';
import { useApiDoubles } from '../harness/apiDoubles';
import { testCredential } from '../harness/credentialTest';

const leadway = new LeadwayDouble();
const { pkg } = useApiDoubles([leadway], { binaryData: false });

const test = (locationId: string) =>
	testCredential(pkg, 'leadwayApi', { accessToken: LEADWAY_TOKEN, apiVersion: LEADWAY_VERSION, baseUrl: leadway.url, locationId });

describe('Leadway credential test: Location ID', () => {
	it.each(['.', '..', ' .. '])('refuses %j before sending anything', async (locationId) => {
		const result = await test(locationId);

		expect(result).toEqual({
			status: 'Error',
			message: `Location ID "${locationId.trim()}" is not a valid ID. Check the Location ID: enter the real Location ID, or leave it empty; "." and ".." would change the request path.`,
		});
		expect(leadway.requests).toHaveLength(0);
	});

	it('reads the location when the ID is real, and searches the token\'s own location when it is empty', async () => {
		expect(await test(LEADWAY_LOCATION)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await test('')).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(leadway.requests.map((request) => request.path)).toEqual([`/locations/${LEADWAY_LOCATION}`, '/conversations/search']);
	});
});
