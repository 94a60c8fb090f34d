// Part of `npm run build`: writes the dashboard, bundled and minified, beside the compiled server
// (dist/src/dashboard), so that the compiled hub serves it without bundling at start.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleDashboard, DASHBOARD_DIR, PREBUILT_BUNDLE } from '../src/server/dashboard';

const out = join(__dirname, '..', 'dist', 'src', 'dashboard');

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const bundle = await bundleDashboard(true);
  writeFileSync(join(out, PREBUILT_BUNDLE), bundle);
  for (const file of ['index.html', 'styles.css']) copyFileSync(join(DASHBOARD_DIR, file), join(out, file));
  process.stdout.write(`dashboard: ${Math.round(bundle.length / 1024)} KB → ${out}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`dashboard build failed: ${err.message}\n`);
  process.exitCode = 1;
});
