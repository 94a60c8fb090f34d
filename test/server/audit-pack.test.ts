import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPack } from '../../src/domain/event/audit-pack';
import { toGlobalId } from '../../src/domain/ids';
import { CHROMIUM, hasChromium } from '../dashboard/helpers';
import { hub as runHub } from '../helpers/cli';
import { forEachDialect } from '../helpers/db';
import { artifactDigest } from '../helpers/fixtures';
import { startHub, type Person, type TestHub } from '../helpers/hub';
import { mutateForId } from '../helpers/mutations';
import { ROOT } from '../helpers/schema';

forEachDialect((dialect) => {
  let hub: TestHub;
  let versionId: string;

  beforeAll(async () => {
    hub = await startHub(dialect);
    const goal = await mutateForId(hub, 'sme', 'createGoal', {
      title: 'Reduce customer churn',
      businessQuestion: 'Which customers will cancel next month?',
    });
    await mutateForId(hub, 'sme', 'addKpi', {
      goalId: goal,
      name: 'Monthly churn rate',
      direction: 'LOWER_IS_BETTER',
      unit: '%',
      baseline: 5.1,
      target: 4,
    });
    const experiment = await mutateForId(hub, 'scientist', 'createExperiment', {
      goalId: goal,
      name: 'Gradient-boosted trees',
      hypothesis: 'Usage signals predict churn',
    });
    const run = await mutateForId(hub, 'scientist', 'logRun', {
      experimentId: experiment,
      name: 'gbt-depth-6',
      status: 'FINISHED',
      params: { maxDepth: 6, learningRate: 0.1 },
      metrics: [{ key: 'auc', value: 0.87 }],
      datasetUri: 's3://lake/churn/2026-06.parquet',
      codeVersion: '4f2c1ab',
    });
    const model = await mutateForId(hub, 'scientist', 'registerModel', { goalId: goal, name: 'churn-model', description: 'Monthly churn scorer' });
    versionId = await mutateForId(hub, 'scientist', 'createModelVersion', {
      modelId: model,
      runId: run,
      artifactUri: 's3://models/churn-model/1/model.pkl',
      artifactDigest: artifactDigest('churn-model 1'),
      metrics: [{ key: 'auc', value: 0.87 }],
      description: 'Adds product usage signals.',
      card: {
        intendedUse: 'Rank active consumer customers by 30-day churn risk.',
        limitations: 'Not validated for business accounts.',
        trainingData: 'Customer snapshots 2025-01 to 2026-05.',
        evaluationData: 'Out-of-time holdout, 2026-06.',
        ethicalConsiderations: 'No protected attributes are used.',
        featureImportance: [
          { feature: 'usage_decline_30d', importance: 0.34 },
          { feature: 'tenure_months', importance: 0.21 },
        ],
      },
    });
    const staging = await mutateForId(hub, 'scientist', 'requestPromotion', {
      modelVersionId: versionId,
      toStage: 'STAGING',
      justification: 'Shadow deployment <script>alert(1)</script>',
    });
    await mutateForId(hub, 'mlEngineer', 'reviewPromotion', { promotionRequestId: staging, decision: 'APPROVE', comment: 'Latency fine.' });
    const production = await mutateForId(hub, 'scientist', 'requestPromotion', {
      modelVersionId: versionId,
      toStage: 'PRODUCTION',
      justification: 'Beats the rules on the holdout.',
    });
    await mutateForId(hub, 'sme', 'reviewPromotion', {
      promotionRequestId: production,
      decision: 'APPROVE',
      comment: 'Matches what retention needs.',
    });
    await mutateForId(hub, 'risk', 'reviewPromotion', { promotionRequestId: production, decision: 'APPROVE', comment: 'Card and limits reviewed.' });
    await mutateForId(hub, 'risk', 'flagDrift', {
      modelVersionId: versionId,
      kind: 'DATA',
      severity: 'MEDIUM',
      description: 'Plan mix shifted in July.',
    });
    await mutateForId(hub, 'sme', 'submitFeedback', {
      goalId: goal,
      modelVersionId: versionId,
      verdict: 'PARTIALLY_MEETS',
      comment: 'Good recall, too many annual-plan customers.',
    });
  });
  afterAll(() => hub?.close());

  const url = (id = versionId, format = '') => `${hub.url.replace(/graphql$/, '')}audit/model-versions/${id}${format}`;
  const get = (who: Person | null, id?: string, format?: string) =>
    fetch(url(id, format), { headers: who ? { authorization: `Bearer ${hub.users[who].token}` } : {} });

  it('answers audit.json to RISK_MANAGER and ADMIN: evidence, lineage, reviews with their digests, events and the chain', async () => {
    for (const who of ['risk', 'admin'] as const) {
      const res = await get(who);
      expect(res.status).toBe(200);
      const pack = (await res.json()) as AuditPack;
      expect(pack.version).toMatchObject({ id: versionId, model: 'churn-model', number: 1, stage: 'PRODUCTION' });
      expect(pack.evidence).toMatchObject({
        artifactDigest: artifactDigest('churn-model 1'),
        run: { params: { maxDepth: 6 }, codeVersion: '4f2c1ab' },
      });
      expect(pack.evidenceDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(pack.lineage).toMatchObject({
        experiment: { name: 'Gradient-boosted trees' },
        goal: { title: 'Reduce customer churn' },
        kpis: [{ name: 'Monthly churn rate' }],
      });
      expect(pack.promotionRequests.map((r) => [r.toStage, r.status, r.requiredRoles])).toEqual([
        ['STAGING', 'APPROVED', ['ML_ENGINEER']],
        ['PRODUCTION', 'APPROVED', ['SME', 'RISK_MANAGER']],
      ]);
      expect(pack.promotionRequests.flatMap((r) => r.reviews.map((v) => [v.role, v.decision, v.evidenceDigest]))).toEqual([
        ['ML_ENGINEER', 'APPROVE', pack.evidenceDigest],
        ['SME', 'APPROVE', pack.evidenceDigest],
        ['RISK_MANAGER', 'APPROVE', pack.evidenceDigest],
      ]);
      expect(pack.driftFlags).toHaveLength(1);
      expect(pack.feedback).toHaveLength(1);
      expect(pack.events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['MODEL_REGISTERED', 'RUN_LOGGED', 'MODEL_VERSION_CREATED', 'PROMOTION_REVIEWED', 'STAGE_CHANGED', 'DRIFT_FLAGGED']),
      );
      expect(pack.events.every((e) => e.intact)).toBe(true);
      expect(pack.chain.ok).toBe(true);
    }
  });

  it.each<Person>(['sme', 'scientist', 'dataEngineer', 'mlEngineer'])('refuses %s with 403', async (who) => {
    expect((await get(who)).status).toBe(403);
  });

  it('asks for a token (401), and answers 404 for an unknown version', async () => {
    const anonymous = await get(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(url(), { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);
    expect((await get('risk', toGlobalId('ModelVersion', 999_999))).status).toBe(404);
    expect((await get('risk', 'not-an-id')).status).toBe(404);
  });

  it('answers a self-contained audit.html: no scripts, no external assets, what people typed escaped', async () => {
    const res = await get('risk', undefined, '?format=html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('Audit pack: churn-model v1');
    expect(html).toContain('@page { size: A4');
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(html).toContain('Shadow deployment &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  if (dialect === 'postgresql') {
    it('hub audit export writes the same pack to DIR', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hub-audit-'));
      try {
        const run = await runHub(['audit', 'export', '--model', 'churn-model', '--version', '1', '--out', dir], {
          DATABASE_URL: (hub.target as { url: string }).url,
        });
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual({ json: join(dir, 'audit.json'), html: join(dir, 'audit.html') });
        const pack = JSON.parse(readFileSync(join(dir, 'audit.json'), 'utf8')) as AuditPack;
        expect(pack.version.id).toBe(versionId);
        expect(readFileSync(join(dir, 'audit.html'), 'utf8')).toContain('Audit pack: churn-model v1');
        const missing = await runHub(['audit', 'export', '--model', 'churn-model', '--version', '9', '--out', dir], {
          DATABASE_URL: (hub.target as { url: string }).url,
        });
        expect(missing.code).toBe(1);
        expect(missing.stderr).toMatch(/churn-model has no version 9/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  if (dialect === 'sqlite') {
    describe.skipIf(!hasChromium)('in Chromium', () => {
      it('prints to A4 and is saved as docs/audit/audit.pdf and audit.png', async () => {
        const html = await (await get('risk', undefined, '?format=html')).text();
        const browser = await chromium.launch({ executablePath: CHROMIUM });
        try {
          const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
          await page.setContent(html);
          const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
          expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
          // A4 is 595 × 842 points; every page of the PDF has that size.
          const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
            Math.round(Number(m[1])),
            Math.round(Number(m[2])),
          ]);
          expect(boxes.length).toBeGreaterThan(0);
          expect(new Set(boxes.map((b) => b.join('x')))).toEqual(new Set(['595x842']));
          const out = join(ROOT, 'docs', 'audit');
          mkdirSync(out, { recursive: true });
          writeFileSync(join(out, 'audit.pdf'), pdf);
          await page.screenshot({ path: join(out, 'audit.png') });
        } finally {
          await browser.close();
        }
      }, 60_000);
    });
  }
});
