import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashAddCommentDocument, DashFlagDriftDocument, DashGoalsDocument, type DashGoalsQuery } from '../../src/dashboard/generated/operations';
import { hasChromium, launchChromium, openTab, signIn, startDemoHub, type DemoHub, type Tab } from './helpers';
import { CreateMonitorDocument, CreateUserDocument, RecordKpiValueDocument } from '../../src/generated/operations';
import { ok, request as send } from '../helpers/client';
import { ROOT } from '../helpers/schema';
import { until } from '../helpers/wait';

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** Console noise that is not a fault of the page: the browser logs every 401 the sign-in test provokes. */
const EXPECTED_NOISE = /Failed to load resource: the server responded with a status of 401/;

function expectNoProblems(tab: Tab): void {
  expect(tab.problems.filter((p) => !EXPECTED_NOISE.test(p))).toEqual([]);
}

/** The text of the live-connection indicator once it is in `state`. */
async function liveState(page: Page, state: 'live' | 'lost'): Promise<string> {
  const status = page.locator(`#live-status[data-state="${state}"]`);
  await status.waitFor();
  return (await status.textContent()) ?? '';
}

const suite = hasChromium ? describe : describe.skip;
const title = hasChromium
  ? 'the dashboard in Chromium'
  : 'the dashboard in Chromium (skipped: /usr/bin/chromium is missing; `apt-get install chromium`, as .ci/run does)';

suite(title, () => {
  let hub: DemoHub;
  let browser: Browser;
  let goal: DashGoalsQuery['goals']['nodes'][number];
  let model: DashGoalsQuery['goals']['nodes'][number]['models']['nodes'][number];
  const versionId = (n: number) => model.versions.nodes.find((v) => v.version === n)!.id;
  const tabs: Tab[] = [];

  async function open(token?: string, viewport?: { width: number; height: number }, hash = ''): Promise<Tab> {
    const tab = await openTab(browser, hub.base + hash, viewport);
    tab.page.setDefaultTimeout(10_000);
    tabs.push(tab);
    if (token) {
      await signIn(tab.page, token);
      await tab.page.locator('#view-title').waitFor();
    }
    return tab;
  }

  beforeAll(async () => {
    // Two seconds of grace: a version approved for production is soon shown as not deployed.
    hub = await startDemoHub({ deploymentGraceS: 2 });
    browser = await launchChromium();
    goal = ok(await hub.gql(hub.users.sme.token, DashGoalsDocument, {})).goals.nodes[0];
    model = goal.models.nodes[0];
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    for (const tab of tabs) await tab.context.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
  });

  it('is served by the hub with revalidation headers and a strict Content-Security-Policy', async () => {
    const page = await fetch(hub.base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const etag = page.headers.get('etag');
    expect(etag).toBeTruthy();
    // A browser revalidating (fetch() would add "cache-control: no-cache" to a conditional request).
    expect((await fetch(hub.base, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } })).status).toBe(304);
    const script = await fetch(`${hub.base}app.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toBe('no-cache');
    expect(await script.text()).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css)/i);
    const css = await fetch(`${hub.base}app.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('refuses an invalid token with a clear message', async () => {
    const tab = await open();
    await signIn(tab.page, 'mh_not-a-real-token');
    await expect.poll(() => tab.page.locator('#signin-message').textContent()).toContain('That token is not valid');
    expect(await tab.page.locator('#app-view').isHidden()).toBe(true);
    expect(await tab.page.evaluate(() => sessionStorage.length)).toBe(0);
    expectNoProblems(tab);
  });

  it('signs in, shows the demo goal with its KPI chart, keeps the session on reload and signs out', async () => {
    const { page, ...tab } = await open(hub.users.sme.token);
    const card = page.locator('article.goal', { hasText: 'Reduce customer churn' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Which customers are likely to cancel in the next 30 days');
    expect(await card.textContent()).toContain('Owner: Sam Expert');

    // The KPI chart: its history against baseline and target, with the production version marked.
    const churn = card.locator('figure.kpi', { hasText: 'Monthly churn rate' });
    const chart = churn.locator('svg.line-chart');
    expect(await chart.getAttribute('data-points')).toBe('6');
    expect(await chart.locator('polyline.series').count()).toBe(1);
    expect(await chart.locator('line.baseline').count()).toBe(1);
    expect(await chart.locator('line.target').count()).toBe(1);
    expect(await chart.locator('text.band-label').allTextContents()).toEqual(['churn-model v1']);
    expect(await chart.locator('desc').textContent()).toContain('baseline 5.2%; target 4%; in production: churn-model v1');

    // Its model: stage badges, open drift flags by severity, the pending promotion.
    const row = card.locator('li.model-row', { hasText: 'churn-model' });
    expect(await row.locator('li[data-version="1"]').textContent()).toContain('PRODUCTION');
    expect(await row.locator('li[data-version="3"]').textContent()).toContain('STAGING');
    expect(await row.locator('.drift-summary').textContent()).toContain('1 HIGH');
    expect(await row.locator('.pending').textContent()).toMatch(/v3 STAGING → PRODUCTION, awaiting risk manager/);
    await page.screenshot({ path: join(SCREENSHOTS, 'goals.png') });

    await page.reload();
    await card.waitFor();
    expect(await page.locator('#who').textContent()).toContain('Sam Expert');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signin-view').waitFor();
    expect(await page.locator('#signin-message').textContent()).toContain('You are signed out');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    await page.getByLabel('Your API token').waitFor();
    expect(await page.locator('#app-view').isHidden()).toBe(true);
    expectNoProblems({ page, ...tab });
  });

  it("lists the goal's monitors on the goal page", async () => {
    ok(
      await send(
        hub.server.url,
        CreateMonitorDocument,
        {
          input: {
            goalId: goal.id,
            name: 'Churn watch',
            source: 'KPI',
            kpiId: goal.kpis[0].id,
            condition: 'ABOVE',
            threshold: 6,
            window: 2,
            severity: 'HIGH',
            autoResolveAfter: 3,
          },
        },
        hub.users.sme.token,
      ),
    );
    const { page } = await open(hub.users.sme.token);
    const monitors = page.locator('article.goal', { hasText: 'Reduce customer churn' }).locator('section.monitors');
    const row = monitors.locator('li.monitor-row', { hasText: 'Churn watch' });
    await row.waitFor();
    expect(await row.textContent()).toBe(
      `Churn watch: KPI ${goal.kpis[0].name} above 6 for 2 values in a row raises HIGH drift; resolves after 3 healthy values`,
    );
  });

  it('works with the keyboard: sign in with Enter, move between views with (Shift+)Tab and Enter', async () => {
    const { page } = await open();
    // The token field has the focus from the start.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('token');
    await page.keyboard.type(hub.users.risk.token);
    await page.keyboard.press('Enter');
    await page.locator('h2#view-title', { hasText: 'Goals' }).waitFor();
    let focused = '';
    for (let i = 0; i < 8 && focused !== 'My queue'; i++) {
      await page.keyboard.press('Shift+Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).toBe('My queue');
    await page.keyboard.press('Enter');
    await page.locator('h2#view-title', { hasText: 'My queue' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('view-title');
    // The focus is visible: the stylesheet draws an outline on :focus-visible controls.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
  });

  it('shows a model page: versions on a timeline, the model card with feature importance, lineage, and comments', async () => {
    const tab = await open(hub.users.sme.token);
    const { page } = tab;
    await page.locator('li.model-row').getByRole('link', { name: 'churn-model' }).click();
    await page.locator('h2#view-title', { hasText: 'churn-model' }).waitFor();
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('li[data-version="1"]').textContent()).toContain('PRODUCTION');
    expect(await timeline.locator('li[data-version="2"]').textContent()).toContain('STAGING');
    expect(await timeline.locator('li[data-version="3"]').textContent()).toContain('pending → PRODUCTION');
    expect(await page.locator('#card-title').textContent()).toBe('Model card · v1');

    await timeline.locator('li[data-version="3"] a').click();
    await page.locator('#card-title', { hasText: 'Model card · v3' }).waitFor();
    const modelCard = page.locator('section.model-card');
    expect(await modelCard.textContent()).toContain('Rank active consumer customers by 30-day churn risk');
    expect(await modelCard.textContent()).toContain('Not validated for business accounts');
    expect(await modelCard.textContent()).toContain('Customer snapshots 2025-01 to 2026-08, 1.2M rows.');
    const bars = modelCard.locator('svg.bar-chart');
    expect(await bars.getAttribute('data-bars')).toBe('4');
    expect(await bars.locator('text.bar-label').allTextContents()).toEqual([
      'usage_decline_30d',
      'support_tickets_90d',
      'tenure_months',
      'plan_downgrade',
    ]);

    const lineage = page.locator('section.lineage');
    expect(await lineage.locator('[data-step="version"]').textContent()).toContain('s3://demo-models/churn-model/3/model.pkl');
    const run = await lineage.locator('[data-step="run"]').textContent();
    expect(run).toContain('Run gbm-3');
    expect(run).toMatch(/learning_rate\s*0\.03/);
    expect(run).toMatch(/auc\s*0\.86/);
    expect(run).toContain('s3://demo-lake/churn/snapshot-2026-09.parquet');
    expect(run).toContain('git:4f2c9e2');
    expect(await lineage.locator('[data-step="experiment"]').textContent()).toContain('Churn gradient boosting');
    expect(await lineage.locator('[data-step="goal"]').textContent()).toContain('Reduce customer churn');

    // The discussion already there, and the pending request with the SME's approval.
    expect(await page.locator('section', { has: page.locator('#discussion-title') }).textContent()).toContain('Latency is 4 ms p99');
    expect(await page.locator('article.promotion').first().textContent()).toMatch(/Sam Expert approved as SME/);
    await page.screenshot({ path: join(SCREENSHOTS, 'model.png') });

    // A comment on the version, through the form; it shows up without a reload.
    const box = page.getByLabel('Comment on churn-model v3', { exact: true });
    await box.fill('The disparate-impact check is attached to the card now.');
    await box.locator('xpath=ancestor::form').getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.comment', { hasText: 'The disparate-impact check is attached' }).waitFor();
    await page.locator('#feed li', { hasText: 'Sam Expert commented: The disparate-impact check' }).waitFor();
    expect(await box.inputValue()).toBe('');
    expectNoProblems(tab);
  });

  it('looks up why a customer was flagged, draws the waterfall and records a dispute', async () => {
    const attributions = [
      { feature: 'tenure_months', value: '4', contribution: 0.08 },
      { feature: 'usage_decline_30d', value: '-62%', contribution: 0.31 },
      { feature: 'support_tickets_90d', value: '5', contribution: 0.12 },
      { feature: 'plan_price', value: '19.99', contribution: -0.06 },
    ];
    const recorded = await hub.gql(
      hub.users.scientist.token,
      'mutation ($input: RecordPredictionExplanationsInput!) { recordPredictionExplanations(input: $input) { recorded } }',
      { input: { modelVersionId: versionId(1), items: [{ subjectKey: '4711', prediction: 'likely to churn', score: 0.83, attributions }] } },
    );
    expect(ok(recorded)).toEqual({ recordPredictionExplanations: { recorded: 1 } });

    const tab = await open(hub.users.sme.token, undefined, `#/model/${encodeURIComponent(model.id)}/1`);
    const { page } = tab;
    const section = page.locator('section', { has: page.locator('#explain-title') });
    const search = section.getByLabel('Subject key (e.g. a customer number)');
    await search.fill('9999');
    await section.getByRole('button', { name: 'Explain' }).click();
    await section.locator('[data-note]', { hasText: 'v1 has no explanation for 9999' }).waitFor();

    await search.fill('4711');
    await search.press('Enter');
    const chart = section.locator('svg.waterfall-chart');
    await chart.waitFor();
    expect(await section.locator('.explanation-result > p').first().textContent()).toContain('4711 → likely to churn (score 0.83)');
    expect(await chart.getAttribute('data-steps')).toBe('4');
    expect(await chart.locator('g.wf-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')))).toEqual([
      'base',
      'usage_decline_30d = -62%',
      'support_tickets_90d = 5',
      'tenure_months = 4',
      'plan_price = 19.99',
      'score',
    ]);
    expect(await chart.locator('rect.wf-up').count()).toBe(3);
    expect(await chart.locator('rect.wf-down').count()).toBe(1);
    expect(await chart.locator('desc').textContent()).toMatch(/^Base 0\.38; usage_decline_30d = -62% \+0\.31, .* score 0\.83\.$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'explanation.png') });

    const dispute = section.getByLabel('Why is this outcome wrong?');
    await dispute.fill('4711 renewed for two years last week.');
    await section.getByRole('button', { name: 'Dispute' }).click();
    await section.locator('[data-note]', { hasText: "Dispute of the outcome for 4711 recorded; the model's owner is notified." }).waitFor();
    const feedback = ok(
      await hub.gql(
        hub.users.sme.token,
        'query ($id: ID!) { node(id: $id) { ... on ModelVersion { feedback(first: 1) { nodes { kind comment explanation { subjectKey } } } } } }',
        { id: versionId(1) },
      ),
    );
    expect(feedback).toEqual({
      node: { feedback: { nodes: [{ kind: 'OUTCOME', comment: '4711 renewed for two years last week.', explanation: { subjectKey: '4711' } }] } },
    });
    expectNoProblems(tab);
  });

  it('shows an event made through the API in the feed and in the views without a reload', async () => {
    const tab = await open(hub.users.sme.token);
    const { page } = tab;
    expect(await liveState(page, 'live')).toBe('Live');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const row = page.locator('li.model-row', { hasText: 'churn-model' });
    expect(await row.locator('.drift-summary').textContent()).not.toContain('CRITICAL');

    ok(
      await hub.gql(hub.users.scientist.token, DashFlagDriftDocument, {
        input: { modelVersionId: versionId(2), kind: 'DATA', severity: 'CRITICAL', description: 'The usage feed stopped on the 3rd.' },
      }),
    );
    await page.locator('#feed li[data-type="DRIFT_FLAGGED"]', { hasText: 'CRITICAL' }).waitFor();
    await row.locator('.drift-summary', { hasText: '1 CRITICAL' }).waitFor();

    const kpi = goal.kpis.find((k) => k.name === 'Monthly churn rate')!;
    ok(await send(hub.server.url, RecordKpiValueDocument, { input: { kpiId: kpi.id, value: 4.4 } }, hub.users.sme.token));
    const chart = page.locator('figure.kpi', { hasText: 'Monthly churn rate' });
    await chart.locator('svg.line-chart[data-points="7"]').waitFor();
    expect(await chart.locator('.kpi-current').textContent()).toBe('4.4%');
    await page.locator('#feed li[data-type="KPI_RECORDED"]').first().waitFor();

    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expectNoProblems(tab);
  });

  it('raises the bell count live when someone mentions me, lists it under Notifications, and marks it read', async () => {
    const tab = await open(hub.users.sme.token);
    const { page } = tab;
    expect(await liveState(page, 'live')).toBe('Live');
    const badge = page.locator('#bell-count');
    const before = Number(await badge.textContent());

    ok(
      await hub.gql(hub.users.scientist.token, DashAddCommentDocument, {
        input: { subjectId: goal.id, body: '@sam can you confirm the churn definition?', isQuestion: true },
      }),
    );
    await page.locator(`#bell-count[data-count="${before + 1}"]`).waitFor();
    expect(await page.locator('#bell').getAttribute('aria-label')).toBe(`Notifications, ${before + 1} unread`);

    await page.locator('#bell').click();
    const item = page.locator('li.notification.unread', { hasText: 'can you confirm the churn definition?' });
    await item.waitFor();
    expect(await item.locator('strong').textContent()).toBe('mentioned');
    await page.screenshot({ path: join(SCREENSHOTS, 'notifications.png') });
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.locator('#bell-count[data-count="0"]').waitFor();
    await page.locator('li.notification', { hasText: 'can you confirm the churn definition?' }).and(page.locator(':not(.unread)')).waitFor();
    expectNoProblems(tab);
  });

  it('lets the risk manager approve the pending promotion, and every open view shows the stage change', async () => {
    const watcher = await open(hub.users.sme.token, undefined, `#/model/${encodeURIComponent(model.id)}/3`);
    await watcher.page.locator('#card-title', { hasText: 'v3' }).waitFor();
    await liveState(watcher.page, 'live');
    await watcher.page.evaluate(() => Object.assign(window, { sameDocument: true }));

    const rita = await open(hub.users.risk.token);
    await rita.page.getByRole('link', { name: 'My queue' }).click();
    const request = rita.page.locator('article.promotion', { hasText: 'churn-model v3' });
    expect(await request.textContent()).toMatch(/risk manager: awaiting/);
    await request.getByRole('button', { name: 'Approve' }).click();
    await rita.page.locator('#announcer', { hasText: 'Approved: churn-model v3 is now in PRODUCTION.' }).waitFor();
    await rita.page.getByText('Nothing awaits a role you hold.').waitFor();

    await rita.page.getByRole('link', { name: 'Goals' }).click();
    const row = rita.page.locator('li.model-row', { hasText: 'churn-model' });
    await row.locator('li[data-version="3"]', { hasText: 'PRODUCTION' }).waitFor();
    expect(await row.locator('li[data-version="1"]').textContent()).toContain('ARCHIVED');
    expect(await row.locator('.pending').count()).toBe(0);

    // The SME's model page changed in place: v3 in production, v1 archived, the request approved.
    const timeline = watcher.page.locator('ol.timeline');
    await timeline.locator('li[data-version="3"]', { hasText: 'PRODUCTION' }).waitFor();
    await timeline.locator('li[data-version="1"]', { hasText: 'ARCHIVED' }).waitFor();
    await watcher.page.locator('#feed li', { hasText: 'churn-model v3 moved STAGING → PRODUCTION' }).waitFor();
    expect(await watcher.page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expectNoProblems(watcher);
    expectNoProblems(rita);
  });

  it('shows where each version runs, and a version approved for production but not deployed until a deployment succeeds', async () => {
    // v3 reached PRODUCTION in the test before: wait out its two seconds of grace before opening the page.
    const overdue = 'query ($id: ID!) { node(id: $id) { ... on ModelVersion { deploymentOverdue } } }';
    await until(
      async () =>
        (ok(await hub.gql(hub.users.sme.token, overdue, { id: versionId(3) })) as { node: { deploymentOverdue: boolean } }).node.deploymentOverdue,
      'v3 overdue',
    );
    const tab = await open(hub.users.sme.token, undefined, `#/model/${encodeURIComponent(model.id)}/3`);
    const { page } = tab;
    await page.locator('#deployments-title', { hasText: 'Deployments of v3' }).waitFor();
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('li[data-version="1"] .tl-runs').textContent()).toBe('on production: SUCCEEDED');
    // v3 reached PRODUCTION in the test before; its only deployment is the shadow one from before that.
    await page.locator('li[data-version="3"] .tl-overdue', { hasText: 'Approved for production but not deployed' }).waitFor();
    await page.locator('section p.overdue').waitFor();
    expect(await page.locator('ul.deployments li[data-environment="shadow"]').textContent()).toContain('Max Mlops');

    const record = 'mutation ($input: RecordDeploymentInput!) { recordDeployment(input: $input) { deployment { id } } }';
    ok(
      await hub.gql(hub.users.mlEngineer.token, record, {
        input: { modelVersionId: versionId(3), environment: 'production', status: 'SUCCEEDED', url: 'https://serving.example/v3' },
      }),
    );
    await page.locator('ul.deployments li[data-environment="production"]', { hasText: 'https://serving.example/v3' }).waitFor();
    await page.locator('li[data-version="3"] .tl-overdue').waitFor({ state: 'detached' });
    expect(await page.locator('section p.overdue').count()).toBe(0);
    expectNoProblems(tab);
  });

  it('explains a four-eyes refusal, and asks for a reason before a rejection', async () => {
    const created = ok(
      await send(
        hub.server.url,
        CreateUserDocument,
        {
          input: { name: 'Fay Both', email: 'fay@demo.modelops.dev', roles: ['DATA_SCIENTIST', 'SME'] },
        },
        hub.users.admin.token,
      ),
    );
    const fay = await open(created.createUser.token, undefined, `#/model/${encodeURIComponent(model.id)}/2`);
    await fay.page.locator('#card-title', { hasText: 'v2' }).waitFor();
    await fay.page.getByLabel('Move v2 to').selectOption('PRODUCTION');
    await fay.page.getByLabel('Justification (optional)').fill('Usage signals hold up on the newest holdout.');
    await fay.page.getByRole('button', { name: 'Request promotion' }).click();
    await fay.page.locator('.note-ok', { hasText: 'Requested churn-model v2 → PRODUCTION; awaiting SME, risk manager.' }).waitFor();
    const pendingId = await fay.page.locator('article.promotion.pr-pending', { hasText: 'churn-model v2' }).getAttribute('data-request');
    const request = fay.page.locator(`article.promotion[data-request="${pendingId}"]`);
    await request.getByText('You made this request.').waitFor();
    await request.getByRole('button', { name: 'Approve' }).click();
    await request.locator('.note-error', { hasText: 'Four eyes: you cannot review your own promotion request.' }).waitFor();
    expect(await request.textContent()).toContain('PENDING');
    // A request of one's own never awaits one's review (viewer.awaitingMyReview): Fay's queue does not list it.
    await fay.page.getByRole('link', { name: 'My queue' }).click();
    await fay.page.getByText('Nothing awaits a role you hold.').waitFor();
    await fay.page.goBack();
    await request.waitFor();
    expectNoProblems(fay);

    // The risk manager rejects it: not without a reason.
    const rita = await open(hub.users.risk.token, undefined, '#/queue');
    const pending = rita.page.locator('article.promotion', { hasText: 'churn-model v2' });
    await pending.getByRole('button', { name: 'Reject…' }).click();
    const reason = pending.getByLabel('Reason for rejecting (required)');
    await expect.poll(() => rita.page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await pending.getByRole('button', { name: 'Reject', exact: true }).click();
    await pending.locator('.note-error', { hasText: 'Give a reason for rejecting' }).waitFor();
    await reason.fill('Wait for the disparate-impact review of v2.');
    await pending.getByRole('button', { name: 'Reject', exact: true }).click();
    await rita.page.locator('#announcer', { hasText: 'Rejected: churn-model v2 stays in STAGING.' }).waitFor();
    await rita.page.getByText('Nothing awaits a role you hold.').waitFor();
    // Fay's model page shows the rejection, live.
    await request.locator('.badge', { hasText: 'REJECTED' }).waitFor();
    expectNoProblems(rita);
  });

  it('shows in the queue only the flags on models I own: none for an ML engineer who owns no model', async () => {
    const tab = await open(hub.users.mlEngineer.token, undefined, '#/queue');
    await tab.page.locator('#q-drift', { hasText: 'Drift flags on your models (0)' }).waitFor();
    expect(await tab.page.locator('article.drift').count()).toBe(0);
    expectNoProblems(tab);
  });

  it('shows My models: what I own, with open flags, the pending request and open questions', async () => {
    const tab = await open(hub.users.scientist.token, undefined, '#/models');
    const { page } = tab;
    const card = page.locator('li.my-model', { hasText: 'churn-model' });
    await card.waitFor();
    expect(await page.locator('#view-title').textContent()).toBe('My models (1)');
    expect(await card.locator('[data-fact="request"]').textContent()).toMatch(/^v\d awaits promotion to (STAGING|PRODUCTION)$|^no pending request$/);
    expect(await card.locator('[data-fact="flags"]').textContent()).toMatch(/^\d+ open drift flags?$/);
    ok(
      await hub.gql(hub.users.sme.token, DashAddCommentDocument, {
        input: { subjectId: model.id, body: 'Is the May dip seasonal?', isQuestion: true },
      }),
    );
    await card.locator('[data-fact="questions"]', { hasText: /^[1-9]\d* open questions?$/ }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'my-models.png') });
    const empty = await open(hub.users.risk.token, undefined, '#/models');
    await empty.page.locator('#view-title', { hasText: 'My models (0)' }).waitFor();
    expectNoProblems(tab);
  });

  it('lets the owner of a model acknowledge and resolve drift on it, flag drift and give feedback from the queue', async () => {
    const tab = await open(hub.users.scientist.token, undefined, '#/queue');
    const { page } = tab;
    const flag = page.locator('article.drift', { hasText: 'business drift on churn-model v1' });
    expect(await flag.textContent()).toContain('OPEN');
    await flag.getByRole('button', { name: 'Acknowledge' }).click();
    await flag.locator('.badge', { hasText: 'ACKNOWLEDGED' }).waitFor();
    expect(await flag.locator('.note-ok').textContent()).toBe('Acknowledged the HIGH drift flag on churn-model v1.');

    await flag.getByRole('button', { name: 'Resolve…' }).click();
    await flag.getByLabel('How was it resolved? (required)').fill('Annual-plan customers are excluded from the ranking.');
    await flag.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.locator('#announcer', { hasText: 'Resolved the drift flag on churn-model v1.' }).waitFor();
    await flag.waitFor({ state: 'detached' });

    const flagForm = page.getByRole('form', { name: 'Flag drift' });
    await flagForm.getByLabel('Model version').selectOption({ label: 'churn-model v3 (PRODUCTION)' });
    await flagForm.getByLabel('Severity').selectOption('LOW');
    await flagForm.getByLabel('Kind').selectOption('DATA');
    await flagForm.getByLabel('What did you notice? (required)').fill('PSI of monthly_spend went up after the price change.');
    await flagForm.getByLabel('Metric (optional)').fill('psi_monthly_spend');
    await flagForm.getByLabel('Observed (optional)').fill('0.31');
    await flagForm.getByLabel('Expected (optional)').fill('0.1');
    await flagForm.getByRole('button', { name: 'Flag drift' }).click();
    await flagForm.locator('.note-ok', { hasText: 'Flagged LOW drift on churn-model v3.' }).waitFor();
    await page.locator('article.drift', { hasText: 'PSI of monthly_spend went up' }).waitFor();

    const feedback = page.getByRole('form', { name: 'Give feedback' });
    await feedback.getByLabel('About').selectOption({ label: 'churn-model v3 (PRODUCTION)' });
    await feedback.getByLabel('Meets the goal', { exact: true }).check();
    await feedback.getByLabel('Comment (optional)').fill('Recall is where retention needs it.');
    await feedback.getByRole('button', { name: 'Give feedback' }).click();
    await feedback.locator('.note-ok', { hasText: 'Feedback recorded: meets the goal (churn-model v3 (PRODUCTION)).' }).waitFor();
    await page.locator('#feed li[data-type="FEEDBACK_SUBMITTED"]', { hasText: 'Recall is where retention needs it' }).waitFor();
    expectNoProblems(tab);
  });

  it('shows when the live connection is lost and when it is back, and catches up on what it missed', async () => {
    const tab = await openTab(browser, 'about:blank');
    tabs.push(tab);
    const { page, context } = tab;
    page.setDefaultTimeout(15_000);
    // Between the page and the hub: while `down`, every WebSocket is closed as a lost network would.
    let down = false;
    const sockets: WebSocketRoute[] = [];
    await context.routeWebSocket(/\/graphql$/, (ws) => {
      if (down) {
        void ws.close({ code: 1013, reason: 'network down (test)' });
        return;
      }
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.goto(hub.base);
    await signIn(page, hub.users.sme.token);
    expect(await liveState(page, 'live')).toBe('Live');

    down = true;
    await sockets.at(-1)!.close({ code: 1001, reason: 'network down (test)' });
    expect(await liveState(page, 'lost')).toBe('Live connection lost: reconnecting…');
    ok(
      await hub.gql(hub.users.scientist.token, DashAddCommentDocument, {
        input: { subjectId: model.id, body: 'Written while the dashboard was offline.' },
      }),
    );
    await page.waitForTimeout(600);
    expect(await page.locator('#live-status').getAttribute('data-state')).toBe('lost');

    down = false;
    expect(await liveState(page, 'live')).toMatch(/^Live again/);
    await page.locator('#live-status', { hasText: 'Live again: caught up' }).waitFor();
    await page.locator('#feed li', { hasText: 'Written while the dashboard was offline.' }).waitFor();
    // …and the live feed works on the new connection.
    ok(await hub.gql(hub.users.scientist.token, DashAddCommentDocument, { input: { subjectId: model.id, body: 'Written after it came back.' } }));
    await page.locator('#feed li', { hasText: 'Written after it came back.' }).waitFor();
  });

  it('reads on a narrow window: one column, no horizontal scrolling', async () => {
    const tab = await open(hub.users.sme.token, { width: 420, height: 800 });
    const { page } = tab;
    await page.locator('figure.kpi').first().waitFor();
    const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(await noSideScroll()).toBe(true);
    const main = await page.locator('#main').boundingBox();
    const feed = await page.locator('aside.feed').boundingBox();
    expect(feed!.y).toBeGreaterThanOrEqual(main!.y + main!.height);
    expect(main!.width).toBeLessThanOrEqual(420);

    await page.goto(`${hub.base}#/model/${encodeURIComponent(model.id)}/3`);
    await page.locator('svg.bar-chart').waitFor();
    expect(await noSideScroll()).toBe(true);
    await page.goto(`${hub.base}#/queue`);
    await page.locator('#q-feedback').waitFor();
    expect(await noSideScroll()).toBe(true);
    expectNoProblems(tab);
  });

  it('goes back to sign-in with "That token is not valid" when the token is revoked', async () => {
    const tab = await open(hub.users.dataEngineer.token);
    await liveState(tab.page, 'live');
    await hub.revokeTokens(hub.users.dataEngineer.email);
    // The hub closes the socket (4403) within a second; the page asks the API, which says UNAUTHENTICATED.
    await tab.page.locator('#signin-view').waitFor();
    expect(await tab.page.locator('#signin-message').textContent()).toContain('That token is not valid');
    expect(await tab.page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
