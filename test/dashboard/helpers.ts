import { Domain } from '../../src/domain/domain';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { initOrm, migrate, type Database } from '../../src/db/orm';
import { userService } from '../../src/domain/user/user.service';
import { seedDemo, type DemoUser } from '../../src/seed/demo';
import { startServer, type HubServer, type ServerOptions } from '../../src/server/http';
import type { Result } from '../helpers/client';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** The demo people, by what they do. */
export type DemoPerson = 'admin' | 'sme' | 'scientist' | 'dataEngineer' | 'mlEngineer' | 'risk';
const BY_EMAIL: Record<string, DemoPerson> = {
  'ada@demo.modelops.dev': 'admin',
  'sam@demo.modelops.dev': 'sme',
  'dana@demo.modelops.dev': 'scientist',
  'erin@demo.modelops.dev': 'dataEngineer',
  'max@demo.modelops.dev': 'mlEngineer',
  'rita@demo.modelops.dev': 'risk',
};

export interface DemoHub {
  /** http://127.0.0.1:<port>/ : the dashboard. */
  base: string;
  server: HubServer;
  db: Database;
  users: Record<DemoPerson, DemoUser>;
  /** Sends an operation over HTTP as a client would (a typed document string or plain text). */
  gql<R, V>(token: string, document: DocumentTypeDecoration<R, V> | string, variables?: V): Promise<Result<R>>;
  /** Revokes every token of a user, as `hub token revoke` does. */
  revokeTokens(email: string): Promise<void>;
  close(): Promise<void>;
}

/** A hub in this process with the demo workspace (as `npm start` makes it), on an ephemeral port. */
export async function startDemoHub(options: Pick<ServerOptions, 'deploymentGraceS'> = {}): Promise<DemoHub> {
  const db = await initOrm({ target: { dialect: 'sqlite', path: ':memory:' } });
  await migrate(db);
  const domain = new Domain(db);
  const demo = await seedDemo(domain);
  // A revoked token closes its WebSocket within a second (default 10 s).
  const server = await startServer({ db, port: 0, wsAuthRecheckMs: 1_000, ...options });
  const users = Object.fromEntries(demo.map((u) => [BY_EMAIL[u.email], u])) as Record<DemoPerson, DemoUser>;
  const base = server.url.replace(/graphql$/, '');
  return {
    base,
    server,
    db,
    users,
    async gql(token, document, variables) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      });
      const body = (await res.json()) as { data?: never; errors?: Result<never>['errors'] };
      return { status: res.status, data: body.data, errors: body.errors };
    },
    async revokeTokens(email) {
      await userService.revokeTokens(domain.operator(), email);
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

/** Chromium as the issue asks: headless, no sandbox (root in CI), no GPU, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors (a CSP violation shows up here). */
  problems: string[];
}

/** A fresh browser context (its own sessionStorage) with one page on the dashboard. */
export async function openTab(browser: Browser, base: string, viewport = { width: 1280, height: 800 }): Promise<Tab> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.goto(base);
  return { context, page, problems };
}

/** Pastes a token into the sign-in form and submits it. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Your API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
