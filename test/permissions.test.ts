import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mutationNames, ROOT } from './helpers/schema';
import { PERMISSIONS, rowName, withPermissionTable } from './permissions';

describe('the permission table (test/permissions.ts)', () => {
  it('has a row for every mutation of schema/schema.graphql, and none for a mutation that does not exist', () => {
    const covered = new Set(PERMISSIONS.map((r) => r.mutation));
    expect(
      mutationNames().filter((m) => !covered.has(m)),
      'mutations without a row',
    ).toEqual([]);
    expect(
      [...covered].filter((m) => !mutationNames().includes(m)),
      'rows for unknown mutations',
    ).toEqual([]);
  });

  it('names each case of a mutation once', () => {
    const names = PERMISSIONS.map(rowName);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('is the table README.md shows (run `npm run docs:permissions` after changing it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(withPermissionTable(readme));
  });
});
