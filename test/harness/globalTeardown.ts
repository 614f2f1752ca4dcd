import { CITYPAY_TOKEN } from '../doubles/citypay';
import { HAPTIK_CLIENT_ID, HAPTIK_TOKEN } from '../doubles/haptik';
import { INVENT_API_KEY } from '../doubles/invent';
import { LEADWAY_TOKEN } from '../doubles/leadway';
import { tearDownLeakScan } from './leakCheck';

/** The doubles' secrets, checked even in runs that never passed them to a credential. */
export default function globalTeardown(): void {
	tearDownLeakScan([INVENT_API_KEY, HAPTIK_TOKEN, HAPTIK_CLIENT_ID, CITYPAY_TOKEN, LEADWAY_TOKEN]);
}
