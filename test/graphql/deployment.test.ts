import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CreateServiceAccountDocument,
  PipeEventActorsDocument,
  PipeVersionDeploymentsDocument,
  RecordDeploymentDocument,
  RequestPromotionDocument,
  ReviewPromotionDocument,
} from '../../src/generated/operations';
import { errorCode, having, ok } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';
import { unknownId } from '../helpers/ids';

forEachDialect((dialect) => {
  let hub: TestHub;
  let models = 0;

  // One second of grace: a version approved for PRODUCTION is overdue soon after, without a deployment.
  beforeAll(async () => {
    hub = await startHub(dialect, { deploymentGraceS: 1 });
  });
  afterAll(() => hub?.close());

  async function newVersion(): Promise<string> {
    const {
      versions: [version],
    } = await goalWithModel(hub, { title: `Deploy goal ${++models}`, businessQuestion: 'Where does it run?', model: `deploy-${dialect}-${models}` });
    return version.id;
  }

  async function toProduction(versionId: string): Promise<void> {
    const id = ok(await hub.as('scientist', RequestPromotionDocument, { input: { modelVersionId: versionId, toStage: 'PRODUCTION' } }))
      .requestPromotion.promotionRequest.id;
    for (const who of ['sme', 'risk'] as const)
      ok(await hub.as(who, ReviewPromotionDocument, { input: { promotionRequestId: id, decision: 'APPROVE' } }));
  }

  const deploymentsOf = async (versionId: string) =>
    having(ok(await hub.as('sme', PipeVersionDeploymentsDocument, { id: versionId })).node, 'deployments');

  it('records deployments by an ML engineer, newest first, each with a DEPLOYMENT_RECORDED event', async () => {
    const versionId = await newVersion();
    const first = ok(
      await hub.as('mlEngineer', RecordDeploymentDocument, { input: { modelVersionId: versionId, environment: 'staging', status: 'STARTED' } }),
    ).recordDeployment.deployment;
    const second = ok(
      await hub.as('mlEngineer', RecordDeploymentDocument, {
        input: { modelVersionId: versionId, environment: 'staging', status: 'SUCCEEDED', url: 'https://serving.example/churn', detail: 'blue/green' },
      }),
    ).recordDeployment.deployment;
    expect(second).toMatchObject({
      environment: 'staging',
      status: 'SUCCEEDED',
      url: 'https://serving.example/churn',
      detail: 'blue/green',
      modelVersion: { id: versionId },
    });
    expect((await deploymentsOf(versionId)).deployments.map((d) => d.id)).toEqual([second.id, first.id]);
    const events = ok(await hub.as('risk', PipeEventActorsDocument, { filter: { subjectId: second.id } })).events.nodes;
    expect(events).toMatchObject([{ type: 'DEPLOYMENT_RECORDED', actor: { name: hub.users.mlEngineer.name } }]);
  });

  it('lets any service account record one, whatever its roles', async () => {
    const versionId = await newVersion();
    const { token } = ok(
      await hub.as('admin', CreateServiceAccountDocument, { input: { name: `deployer ${dialect}`, roles: ['SME'] } }),
    ).createServiceAccount;
    const { deployment } = ok(
      await hub.as({ token }, RecordDeploymentDocument, { input: { modelVersionId: versionId, environment: 'production', status: 'FAILED' } }),
    ).recordDeployment;
    expect(deployment.recordedBy).toMatchObject({ name: `deployer ${dialect}`, kind: 'SERVICE' });
  });

  it('refuses people who are neither ML engineers nor admins with FORBIDDEN, and records nothing', async () => {
    const versionId = await newVersion();
    for (const who of ['sme', 'scientist', 'dataEngineer', 'risk'] as const) {
      const refused = await hub.as(who, RecordDeploymentDocument, {
        input: { modelVersionId: versionId, environment: 'production', status: 'SUCCEEDED' },
      });
      expect(errorCode(refused)).toBe('FORBIDDEN');
    }
    expect((await deploymentsOf(versionId)).deployments).toEqual([]);
  });

  it.each([
    ['an empty environment', { environment: ' ', status: 'SUCCEEDED' }],
    ['an environment over 100 characters', { environment: 'e'.repeat(101), status: 'SUCCEEDED' }],
    ['a url that is not http(s)', { environment: 'prod', status: 'SUCCEEDED', url: 'javascript:alert(1)' }],
    ['a url that is no URL', { environment: 'prod', status: 'SUCCEEDED', url: 'not a url' }],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input) => {
    const versionId = await newVersion();
    expect(errorCode(await hub.as('mlEngineer', RecordDeploymentDocument, { input: { modelVersionId: versionId, ...input } as never }))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await deploymentsOf(versionId)).deployments).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown version', async () => {
    expect(
      errorCode(
        await hub.as('mlEngineer', RecordDeploymentDocument, {
          input: { modelVersionId: unknownId('ModelVersion'), environment: 'prod', status: 'STARTED' },
        }),
      ),
    ).toBe('NOT_FOUND');
  });

  it('shows a version approved for PRODUCTION as not deployed once the grace period passes, until a deployment succeeds', async () => {
    const versionId = await newVersion();
    expect((await deploymentsOf(versionId)).deploymentOverdue).toBe(false);
    await toProduction(versionId);
    await expect.poll(async () => (await deploymentsOf(versionId)).deploymentOverdue, { timeout: 10_000, interval: 200 }).toBe(true);
    ok(await hub.as('mlEngineer', RecordDeploymentDocument, { input: { modelVersionId: versionId, environment: 'production', status: 'FAILED' } }));
    expect((await deploymentsOf(versionId)).deploymentOverdue).toBe(true);
    ok(
      await hub.as('mlEngineer', RecordDeploymentDocument, { input: { modelVersionId: versionId, environment: 'production', status: 'SUCCEEDED' } }),
    );
    expect(await deploymentsOf(versionId)).toMatchObject({ stage: 'PRODUCTION', deploymentOverdue: false });
  });
});
