import type { IExecuteFunctions } from 'n8n-workflow';

import { getPathId } from '../shared/parameters';

/** The path prefix of every org-scoped route; `c` is the key's own organization. */
export function organizationPath(context: IExecuteFunctions, itemIndex: number): string {
	return `/orgs/${getPathId(context, 'organizationId', 'Organization ID', itemIndex)}`;
}
