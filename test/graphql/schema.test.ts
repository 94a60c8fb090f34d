import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../../src/graphql/emit-schema';
import { ROOT } from '../helpers/schema';

const run = promisify(execFile);
const checker = join(ROOT, '..', 'shared', 'tools', 'check-contract.mjs');

describe('the committed schema', () => {
  it('is what the code emits (run `npm run schema` after changing types)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printedSchema());
  });

  it.skipIf(!existsSync(checker))('keeps every promise of the public contract, core and lifecycle', async () => {
    const { stdout } = await run(process.execPath, [checker], { cwd: ROOT });
    expect(stdout).toContain('contract kept');
  });
});

describe('the generated operation types', () => {
  it('are what codegen makes of the operations (run `npm run codegen`)', async () => {
    const { generate, loadCodegenConfig } = await import('@graphql-codegen/cli');
    const { config } = await loadCodegenConfig({ configFilePath: join(ROOT, 'codegen.yml') });
    const outputs = await generate({ ...config, cwd: ROOT, silent: true }, false);
    for (const output of outputs) {
      expect(readFileSync(join(ROOT, output.filename), 'utf8'), output.filename).toBe(output.content);
    }
    expect(outputs.length).toBeGreaterThan(0);
  });
});
