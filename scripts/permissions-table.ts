/**
 * Writes README.md's permission table (between `<!-- permissions:start -->` and
 * `<!-- permissions:end -->`) from the table the tests check, test/permissions.ts.
 * `npm run docs:permissions`; test/permissions.test.ts fails while README differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPermissionTable } from '../test/permissions';

const README = join(__dirname, '..', 'README.md');
const before = readFileSync(README, 'utf8');
const after = withPermissionTable(before);
if (after !== before) writeFileSync(README, after);
console.log(after === before ? 'README.md: the permission table is up to date' : 'README.md: permission table rewritten');
