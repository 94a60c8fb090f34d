import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashGoalsDocument } from '../../src/dashboard/generated/operations';
import { ok } from '../helpers/client';
import { hasChromium, launchChromium, openTab, signIn, startDemoHub, type DemoHub, type DemoPerson } from './helpers';

const suite = hasChromium ? describe : describe.skip;

suite("the model page's audit pack link", () => {
  let hub: DemoHub;
  let browser: Browser;
  let modelId: string;

  beforeAll(async () => {
    hub = await startDemoHub();
    browser = await launchChromium();
    modelId = ok(await hub.gql(hub.users.sme.token, DashGoalsDocument, {})).goals.nodes[0].models.nodes[0].id;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  async function modelPage(who: DemoPerson) {
    const tab = await openTab(browser, `${hub.base}#/model/${encodeURIComponent(modelId)}/1`);
    tab.page.setDefaultTimeout(10_000);
    await signIn(tab.page, hub.users[who].token);
    await tab.page.locator('section.lineage').waitFor();
    return tab;
  }

  it('lets a risk manager download audit.html of the version shown', async () => {
    const { page, context, problems } = await modelPage('risk');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a.audit-link[data-format="html"]').click()]);
    expect(download.suggestedFilename()).toBe('audit.html');
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html).toContain('Audit pack: churn-model v1');
    await page.locator('.note-ok', { hasText: 'Downloaded the audit pack of churn-model v1 (audit.html).' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it.each<DemoPerson>(['sme', 'scientist'])(
    'is not offered to %s',
    async (who) => {
      const { page, context } = await modelPage(who);
      expect(await page.locator('a.audit-link').count()).toBe(0);
      await context.close();
    },
    60_000,
  );
});
