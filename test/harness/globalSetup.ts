import { setUpLeakScan } from './leakCheck';

export default function globalSetup(): void {
	setUpLeakScan();
}
