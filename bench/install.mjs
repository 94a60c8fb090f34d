// Part of `npm run bench`: installs the benchmark's own tools (bench/package.json:
// PostGraphile and the Node 22 it runs on) into bench/node_modules the first time, so that the
// hub's `npm install` never downloads them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const { dependencies } = JSON.parse(readFileSync(join(bench, 'package.json'), 'utf8'));

// Where Node looks from bench/: its own node_modules, then the repository's.
const installed = (name) => [bench, dirname(bench)].some((dir) => existsSync(join(dir, 'node_modules', name, 'package.json')));
const missing = Object.keys(dependencies).filter((name) => !installed(name));
if (missing.length) {
  process.stdout.write(`bench: installing its tools into bench/node_modules (${missing.join(', ')}; about 200 MB, once)\n`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
}
