import { sha256 } from '../domain/canonical';
import type { Domain } from '../domain/domain';
import type { ServiceContext, Viewer } from '../domain/context';
import { KpiDirection, Role, RunStatus, Stage } from '../domain/enums';
import { DeploymentStatus } from '../domain/deployment/deployment.entity';
import { deploymentService } from '../domain/deployment/deployment.service';
import { DriftKind, Severity } from '../domain/drift/drift-flag.entity';
import { driftService } from '../domain/drift/drift.service';
import { FeedbackVerdict } from '../domain/feedback/feedback.entity';
import { feedbackService } from '../domain/feedback/feedback.service';
import { ReviewDecision } from '../domain/promotion/review.entity';
import { promotionService } from '../domain/promotion/promotion.service';
import { commentService } from '../domain/comment/comment.service';
import { experimentService } from '../domain/experiment/experiment.service';
import { goalService } from '../domain/goal/goal.service';
import { toGlobalId } from '../domain/ids';
import { modelService } from '../domain/model/model.service';
import { userService } from '../domain/user/user.service';

export interface DemoUser {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  token: string;
}

const PEOPLE: { name: string; email: string; roles: Role[] }[] = [
  { name: 'Ada Admin', email: 'ada@demo.modelops.dev', roles: [Role.ADMIN] },
  { name: 'Sam Expert', email: 'sam@demo.modelops.dev', roles: [Role.SME] },
  { name: 'Dana Scientist', email: 'dana@demo.modelops.dev', roles: [Role.DATA_SCIENTIST] },
  { name: 'Erin Engineer', email: 'erin@demo.modelops.dev', roles: [Role.DATA_ENGINEER] },
  { name: 'Max Mlops', email: 'max@demo.modelops.dev', roles: [Role.ML_ENGINEER] },
  { name: 'Rita Risk', email: 'rita@demo.modelops.dev', roles: [Role.RISK_MANAGER] },
];

const DAY = 24 * 3600 * 1000;

/**
 * A small demo workspace, made through the same services as the API, each step as the person who
 * would do it: users of every role, a churn goal with KPIs and history, an experiment with runs,
 * a model with three versions and model cards (v1 in production, v2 in staging, v3 awaiting the
 * risk manager's sign-off for production), an open drift flag, feedback and a discussion.
 */
export async function seedDemo(domain: Domain): Promise<DemoUser[]> {
  const operator = domain.operator();
  const users: DemoUser[] = [];
  const as: Record<string, ServiceContext> = {};
  for (const person of PEOPLE) {
    const { user, token } = await userService.create(operator, person);
    users.push({ id: toGlobalId('User', user.id), ...person, token });
    const viewer: Viewer = { id: user.id, name: user.name, email: user.email, roles: user.roles, kind: user.kind };
    as[person.roles[0]] = domain.as(viewer);
  }
  const sme = as[Role.SME];
  const scientist = as[Role.DATA_SCIENTIST];
  const engineer = as[Role.ML_ENGINEER];

  const goal = await goalService.create(sme, {
    title: 'Reduce customer churn',
    businessQuestion: 'Which customers are likely to cancel in the next 30 days, so that retention can reach them first?',
    description: 'Retention calls are expensive: target the 5% of customers most at risk each month.',
  });
  const goalId = toGlobalId('Goal', goal.id);
  const churn = await goalService.addKpi(sme, {
    goalId,
    name: 'Monthly churn rate',
    unit: '%',
    direction: KpiDirection.LOWER_IS_BETTER,
    baseline: 5.2,
    target: 4.0,
    description: 'Share of active customers who cancel within the month.',
  });
  const saved = await goalService.addKpi(sme, {
    goalId,
    name: 'Customers saved per month',
    unit: 'customers',
    direction: KpiDirection.HIGHER_IS_BETTER,
    baseline: 120,
    target: 300,
  });
  const now = Date.now();
  const monthsAgo = (n: number) => new Date(now - n * 30 * DAY);
  /**
   * KPI values of the months before the first model went live (months ago), then values observed
   * since it went live (null: now). Values belong to the version in production when they were
   * observed, and the seed's promotions happen now.
   */
  const recordKpis = async (months: readonly (number | null)[], churnValues: readonly number[], savedValues: readonly number[]) => {
    for (const [i, m] of months.entries()) {
      const observedAt = m === null ? null : monthsAgo(m);
      await goalService.recordKpiValue(sme, { kpiId: toGlobalId('Kpi', churn.id), value: churnValues[i], observedAt });
      await goalService.recordKpiValue(sme, { kpiId: toGlobalId('Kpi', saved.id), value: savedValues[i], observedAt });
    }
  };
  await recordKpis([6, 5, 4], [5.2, 5.1, 5.3], [118, 120, 125]);

  const experiment = await experimentService.create(scientist, {
    goalId,
    name: 'Churn gradient boosting',
    hypothesis: 'Usage decline and support tickets predict churn better than tenure alone.',
  });
  const experimentId = toGlobalId('Experiment', experiment.id);
  const runs = [];
  for (const [i, r] of [
    { lr: 0.1, depth: 4, auc: 0.78, recall: 0.61 },
    { lr: 0.05, depth: 6, auc: 0.83, recall: 0.68 },
    { lr: 0.03, depth: 8, auc: 0.86, recall: 0.72 },
  ].entries()) {
    runs.push(
      await experimentService.logRun(scientist, {
        experimentId,
        name: `gbm-${i + 1}`,
        status: RunStatus.FINISHED,
        params: { learning_rate: r.lr, max_depth: r.depth, n_estimators: 400 },
        metrics: [
          { key: 'auc', value: r.auc },
          { key: 'recall_at_5pct', value: r.recall },
        ],
        datasetUri: `s3://demo-lake/churn/snapshot-2026-0${i + 7}.parquet`,
        codeVersion: `git:4f2c9e${i}`,
      }),
    );
  }

  const model = await modelService.register(scientist, {
    goalId,
    name: 'churn-model',
    description: 'Gradient-boosted trees scoring each active customer monthly.',
  });
  const features = [
    [
      { feature: 'tenure_months', importance: 0.31 },
      { feature: 'support_tickets_90d', importance: 0.24 },
      { feature: 'monthly_spend', importance: 0.19 },
    ],
    [
      { feature: 'usage_decline_30d', importance: 0.29 },
      { feature: 'support_tickets_90d', importance: 0.25 },
      { feature: 'tenure_months', importance: 0.21 },
    ],
    [
      { feature: 'usage_decline_30d', importance: 0.34 },
      { feature: 'support_tickets_90d', importance: 0.22 },
      { feature: 'tenure_months', importance: 0.17 },
      { feature: 'plan_downgrade', importance: 0.11 },
    ],
  ];
  const versions = [];
  for (const [i, run] of runs.entries()) {
    versions.push(
      await modelService.createVersion(i === 2 ? engineer : scientist, {
        modelId: toGlobalId('Model', model.id),
        runId: toGlobalId('Run', run.id),
        artifactUri: `s3://demo-models/churn-model/${i + 1}/model.pkl`,
        artifactDigest: sha256(`churn-model ${i + 1}`),
        description: ['Baseline on tenure and spend.', 'Adds product usage signals.', 'Tuned depth; adds plan downgrades.'][i],
        metrics: run.metrics,
        card: {
          intendedUse: 'Rank active consumer customers by 30-day churn risk for the retention team.',
          limitations: 'Not validated for business accounts or customers with under 2 months of tenure.',
          trainingData: `Customer snapshots ${2024 + Math.min(i, 1)}-01 to 2026-0${i + 6}, 1.2M rows.`,
          evaluationData: 'Out-of-time holdout of the following month.',
          ethicalConsiderations: 'No protected attributes are used; disparate impact is reviewed quarterly.',
          featureImportance: features[i],
        },
      }),
    );
  }

  const risk = as[Role.RISK_MANAGER];
  const promote = async (versionId: number, toStage: Stage, reviewers: ServiceContext[], justification: string) => {
    const request = await promotionService.request(scientist, { modelVersionId: toGlobalId('ModelVersion', versionId), toStage, justification });
    for (const reviewer of reviewers) {
      await promotionService.review(reviewer, {
        promotionRequestId: toGlobalId('PromotionRequest', request.id),
        decision: ReviewDecision.APPROVE,
        comment: 'Checked.',
      });
    }
    return request;
  };
  await promote(versions[0].id, Stage.STAGING, [engineer], 'Baseline for the shadow deployment.');
  await promote(versions[0].id, Stage.PRODUCTION, [sme, risk], 'Beats the rules-based list on the holdout.');
  await recordKpis([null, null, null], [4.9, 4.7, 4.6], [190, 215, 240]);
  await promote(versions[1].id, Stage.STAGING, [engineer], 'Usage signals look promising.');
  await promote(versions[2].id, Stage.STAGING, [engineer], 'Best AUC so far.');
  await promote(versions[2].id, Stage.PRODUCTION, [sme], 'Recall at 5% up four points; awaiting the risk sign-off.');
  const deploy = (versionId: number, environment: string, url: string) =>
    deploymentService.record(engineer, {
      modelVersionId: toGlobalId('ModelVersion', versionId),
      environment,
      status: DeploymentStatus.SUCCEEDED,
      url,
    });
  await deploy(versions[0].id, 'production', 'https://serving.demo.modelops.dev/churn');
  await deploy(versions[2].id, 'shadow', 'https://shadow.demo.modelops.dev/churn');

  await driftService.flag(sme, {
    modelVersionId: toGlobalId('ModelVersion', versions[0].id),
    kind: DriftKind.BUSINESS,
    severity: Severity.HIGH,
    description: 'Retention says the top-ranked customers this month are mostly on the new annual plan, who rarely churn.',
    metric: 'precision_at_5pct',
    observed: 0.41,
    expected: 0.55,
  });
  await feedbackService.submit(sme, {
    modelVersionId: toGlobalId('ModelVersion', versions[0].id),
    verdict: FeedbackVerdict.PARTIALLY_MEETS,
    comment: 'Saves more customers than the old list, but misses the annual-plan segment.',
  });

  await commentService.add(sme, { subjectId: goalId, body: 'Retention can call about 2,000 customers a month: please rank, not just flag.' });
  await commentService.add(scientist, {
    subjectId: toGlobalId('Model', model.id),
    body: 'v3 adds plan downgrades; recall at 5% is up four points on the holdout.',
  });
  await commentService.add(risk, {
    subjectId: toGlobalId('ModelVersion', versions[2].id),
    body: 'Before production I need the disparate-impact check for v3 attached to the card.',
  });
  await commentService.add(engineer, {
    subjectId: toGlobalId('ModelVersion', versions[2].id),
    body: 'Latency is 4 ms p99 in the shadow deployment.',
  });
  return users;
}
