import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Application, Response } from 'express';
import { log } from '../logger';

/**
 * Where the dashboard lives: `index.html`, `styles.css` and either the TypeScript entry `main.ts`
 * (from source: bundled at start) or `app.js` (in `dist/`: bundled by `npm run build`).
 */
export const DASHBOARD_DIR = join(__dirname, '..', 'dashboard');

/** The bundle `npm run build` writes beside the compiled server. */
export const PREBUILT_BUNDLE = 'app.js';

interface Asset {
  body: Buffer;
  type: string;
}

/** Bundles the dashboard's TypeScript for the browser with esbuild (about 100 ms); minified in production. */
export async function bundleDashboard(production: boolean): Promise<Buffer> {
  // Loaded only when bundling: the compiled hub serves the prebuilt bundle and never needs esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(DASHBOARD_DIR, 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: production,
    sourcemap: production ? false : 'inline',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

async function script(production: boolean): Promise<Buffer> {
  const prebuilt = join(DASHBOARD_DIR, PREBUILT_BUNDLE);
  return existsSync(prebuilt) ? readFileSync(prebuilt) : bundleDashboard(production);
}

function send(res: Response, asset: Asset): void {
  // Unhashed file names: browsers revalidate every time (cheap 304s with the ETag) and never show a stale dashboard.
  res.set({ 'Content-Type': asset.type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.send(asset.body);
}

/**
 * Serves the dashboard at `/`: a static page that talks to the public GraphQL API and the
 * `lifecycleEvents` subscription like any other client. No data is served here.
 */
export async function mountDashboard(app: Application, production: boolean): Promise<void> {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) return;
  let assets: Record<string, Asset>;
  try {
    assets = {
      '/': { body: readFileSync(join(DASHBOARD_DIR, 'index.html')), type: 'text/html; charset=utf-8' },
      '/app.js': { body: await script(production), type: 'text/javascript; charset=utf-8' },
      '/app.css': { body: readFileSync(join(DASHBOARD_DIR, 'styles.css')), type: 'text/css; charset=utf-8' },
    };
  } catch (err) {
    log.error({ err }, 'the dashboard could not be built; the API works without it');
    return;
  }
  const security = {
    'Content-Security-Policy':
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  };
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, (_req, res) => {
      if (path === '/') res.set(security);
      send(res, asset);
    });
  }
}
