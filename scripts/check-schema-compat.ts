// `npm run check:schema` (part of `npm test`): compares the committed schema/schema.graphql with the
// one on the main branch (SCHEMA_BASE_REF, default `main`) with graphql-js's findBreakingChanges, so
// that a change that would break existing clients fails here, inside the repository. An intended
// break is accepted by adding its line, as printed, to schema/accepted-breaking-changes.txt (with a
// comment saying why) in the same change; dangerous changes are printed and allowed.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

const ROOT = join(__dirname, '..');
const SCHEMA = 'schema/schema.graphql';
export const ACCEPTED_FILE = 'schema/accepted-breaking-changes.txt';

export interface Compatibility {
  /** Breaking changes not listed as accepted: each `TYPE: description`. */
  breaking: string[];
  /** Breaking changes listed as accepted. */
  accepted: string[];
  dangerous: string[];
}

/** Compares two SDL texts; `acceptedText` is the accepted-changes file (one change a line, `#` comments). */
export function compareSchemas(before: string, after: string, acceptedText = ''): Compatibility {
  const allowed = new Set(
    acceptedText
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  const [old, now] = [buildSchema(before), buildSchema(after)];
  const all = findBreakingChanges(old, now).map((c) => `${c.type}: ${c.description}`);
  return {
    breaking: all.filter((c) => !allowed.has(c)),
    accepted: all.filter((c) => allowed.has(c)),
    dangerous: findDangerousChanges(old, now).map((c) => `${c.type}: ${c.description}`),
  };
}

function baseline(ref: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:${SCHEMA}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

function main(): number {
  const ref = process.env.SCHEMA_BASE_REF || 'main';
  const before = baseline(ref);
  if (before === null) {
    process.stdout.write(`check:schema: no ${SCHEMA} at git ref "${ref}" (set SCHEMA_BASE_REF); nothing to compare\n`);
    return 0;
  }
  const acceptedPath = join(ROOT, ACCEPTED_FILE);
  const result = compareSchemas(before, readFileSync(join(ROOT, SCHEMA), 'utf8'), existsSync(acceptedPath) ? readFileSync(acceptedPath, 'utf8') : '');
  for (const c of result.dangerous) process.stdout.write(`dangerous (allowed): ${c}\n`);
  for (const c of result.accepted) process.stdout.write(`breaking, accepted in ${ACCEPTED_FILE}: ${c}\n`);
  if (result.breaking.length) {
    process.stderr.write(`check:schema: ${result.breaking.length} breaking change(s) against ${ref}:${SCHEMA}:\n`);
    for (const c of result.breaking) process.stderr.write(`  ${c}\n`);
    process.stderr.write(
      `Keep the old field or argument (deprecate it), or, if the break is intended, add the line(s) above to ${ACCEPTED_FILE} with a comment saying why.\n`,
    );
    return 1;
  }
  process.stdout.write(`check:schema: no breaking change against ${ref}:${SCHEMA}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
