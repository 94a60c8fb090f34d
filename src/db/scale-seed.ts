import { eventHash } from '../domain/event/chain';
import { randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import type { Database } from './orm';
import { DriftKind, DriftStatus, SEVERITY_RANK, Severity } from '../domain/drift/drift-flag.entity';
import { GoalStatus, KpiDirection, Origin, Role, RunStatus, Stage } from '../domain/enums';
import { LifecycleEventType as T } from '../domain/aggregates';
import { FeedbackVerdict } from '../domain/feedback/feedback.entity';
import { toGlobalId } from '../domain/ids';
import { PromotionStatus } from '../domain/promotion/promotion-request.entity';
import { ReviewDecision } from '../domain/promotion/review.entity';
import { hashToken } from '../domain/user/user.service';

/**
 * `hub seed --scale N`: a realistic workspace for benchmarks, written straight into the tables with
 * batched multi-row inserts in one transaction (seconds, not minutes). At N = 1: 50 users of every
 * role, 20 goals with 3 KPIs and a year of monthly observations each, 100 experiments, 20,000 runs
 * with params and metrics, 200 models with 2,000 versions and model cards (most models have a
 * PRODUCTION version, some a pending promotion), open and resolved drift flags, feedback, 5,000
 * comments and 50,000 lifecycle events with goal/model scope and summaries. Counts scale with N
 * (fractional N such as 0.05 gives a small workspace; every goal keeps about ten models).
 *
 * Same column conventions as the entities: on SQLite dates are epoch milliseconds and JSON is text;
 * on PostgreSQL timestamptz and jsonb. Rows get explicit ids above the current maximum (the serial
 * sequences are moved past them), so it can run on a database that already has data. No outbox
 * entries: the events are history, not news for live subscribers.
 */
export interface ScaleSeedResult {
  scale: number;
  counts: Record<string, number>;
  admin: { id: string; email: string; token: string };
  ms: number;
}

const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

/** A small deterministic PRNG (mulberry32), so that a scale always gives the same workspace. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <V>(list: readonly V[]): V => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
    round: (v: number, digits = 3) => Number(v.toFixed(digits)),
  };
}

interface Theme {
  slug: string;
  title: string;
  question: string;
  kpis: { name: string; unit: string; direction: KpiDirection; baseline: number; target: number }[];
  features: string[];
}

const THEMES: Theme[] = [
  {
    slug: 'churn',
    title: 'Reduce customer churn',
    question: 'Which customers are likely to cancel in the next 30 days, so that retention can reach them first?',
    kpis: [
      { name: 'Monthly churn rate', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 5.2, target: 4.0 },
      { name: 'Customers saved per month', unit: 'customers', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 120, target: 300 },
    ],
    features: ['tenure_months', 'support_tickets_90d', 'monthly_spend', 'usage_decline_30d', 'plan_downgrade', 'payment_failures'],
  },
  {
    slug: 'fraud',
    title: 'Stop card fraud at authorisation',
    question: 'Which card transactions are fraudulent, decided within 50 ms at authorisation?',
    kpis: [
      { name: 'Fraud losses', unit: 'EUR k', direction: KpiDirection.LOWER_IS_BETTER, baseline: 840, target: 500 },
      { name: 'False decline rate', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 1.8, target: 1.0 },
    ],
    features: ['amount_zscore', 'merchant_risk', 'device_age_days', 'velocity_1h', 'geo_distance_km', 'card_present'],
  },
  {
    slug: 'demand',
    title: 'Forecast store demand',
    question: 'How many units of each product will each store sell next week?',
    kpis: [
      { name: 'Forecast error (WAPE)', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 24, target: 15 },
      { name: 'Stock-outs per week', unit: 'SKUs', direction: KpiDirection.LOWER_IS_BETTER, baseline: 1300, target: 700 },
    ],
    features: ['sales_lag_7', 'sales_lag_28', 'promo_flag', 'price_index', 'weather_temp', 'holiday'],
  },
  {
    slug: 'credit',
    title: 'Price credit risk for small businesses',
    question: 'What is the probability that a small-business loan defaults within 12 months?',
    kpis: [
      { name: 'Default rate of approved loans', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 3.9, target: 3.0 },
      { name: 'Approval rate', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 61, target: 68 },
    ],
    features: ['revenue_trend', 'cash_buffer_days', 'sector_risk', 'years_trading', 'existing_debt_ratio', 'late_payments_12m'],
  },
  {
    slug: 'pricing',
    title: 'Set dynamic prices for hotel rooms',
    question: 'Which nightly price maximises revenue per available room for each date?',
    kpis: [
      { name: 'RevPAR', unit: 'EUR', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 92, target: 105 },
      { name: 'Occupancy', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 71, target: 78 },
    ],
    features: ['days_to_arrival', 'competitor_price', 'events_nearby', 'season', 'booking_pace', 'weekday'],
  },
  {
    slug: 'recs',
    title: 'Recommend the next best product',
    question: 'Which product will each customer most likely buy next?',
    kpis: [
      { name: 'Click-through rate', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 2.1, target: 3.0 },
      { name: 'Revenue from recommendations', unit: 'EUR k', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 410, target: 600 },
    ],
    features: ['recency_days', 'category_affinity', 'basket_size', 'session_depth', 'price_sensitivity', 'co_purchase_score'],
  },
  {
    slug: 'claims',
    title: 'Triage insurance claims',
    question: 'Which claims can be paid straight away, and which need an adjuster?',
    kpis: [
      { name: 'Claims paid within 48 h', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 34, target: 60 },
      { name: 'Leakage', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 4.5, target: 3.0 },
    ],
    features: ['claim_amount', 'policy_age_days', 'prior_claims', 'photo_count', 'repair_shop_score', 'time_to_report_h'],
  },
  {
    slug: 'maintenance',
    title: 'Predict turbine failures',
    question: 'Which wind turbines will need unplanned maintenance in the next two weeks?',
    kpis: [
      { name: 'Unplanned downtime', unit: 'hours', direction: KpiDirection.LOWER_IS_BETTER, baseline: 410, target: 250 },
      { name: 'Maintenance cost', unit: 'EUR k', direction: KpiDirection.LOWER_IS_BETTER, baseline: 920, target: 750 },
    ],
    features: ['vibration_rms', 'bearing_temp', 'gearbox_oil_age', 'wind_speed_p95', 'power_curve_gap', 'hours_since_service'],
  },
  {
    slug: 'leads',
    title: 'Score inbound sales leads',
    question: 'Which inbound leads will become customers within 90 days?',
    kpis: [
      { name: 'Lead-to-customer rate', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 6.5, target: 9.0 },
      { name: 'Sales hours per deal', unit: 'hours', direction: KpiDirection.LOWER_IS_BETTER, baseline: 31, target: 22 },
    ],
    features: ['company_size', 'pages_viewed', 'trial_activity', 'industry', 'email_engagement', 'referral_source'],
  },
  {
    slug: 'tickets',
    title: 'Route support tickets',
    question: 'Which team should handle each incoming support ticket?',
    kpis: [
      { name: 'Tickets re-routed', unit: '%', direction: KpiDirection.LOWER_IS_BETTER, baseline: 22, target: 10 },
      { name: 'Time to first answer', unit: 'minutes', direction: KpiDirection.LOWER_IS_BETTER, baseline: 95, target: 45 },
    ],
    features: ['subject_embedding', 'product_area', 'customer_tier', 'language', 'attachment_count', 'past_team'],
  },
];

const FEATURE_POOL = ['region', 'age_band', 'channel', 'device_type', 'account_age_days', 'last_login_days', 'avg_order_value', 'discount_share'];
const ALGOS = ['gbm', 'xgb', 'lgbm', 'rf', 'logreg', 'mlp', 'tft', 'catboost'];
const FIRST = [
  'Ada',
  'Sam',
  'Dana',
  'Erin',
  'Max',
  'Rita',
  'Noor',
  'Kai',
  'Lena',
  'Omar',
  'Priya',
  'Jon',
  'Mei',
  'Tom',
  'Ines',
  'Yusuf',
  'Zoe',
  'Bruno',
  'Chloe',
  'Ravi',
];
const LAST = [
  'Admin',
  'Expert',
  'Scientist',
  'Engineer',
  'Mlops',
  'Risk',
  'Haddad',
  'Larsen',
  'Novak',
  'Okafor',
  'Santos',
  'Weber',
  'Tanaka',
  'Kowalski',
  'Moreau',
  'Fischer',
];
const ROLE_MIX: Role[][] = [
  [Role.SME],
  [Role.SME],
  [Role.SME],
  [Role.SME],
  [Role.DATA_SCIENTIST],
  [Role.DATA_SCIENTIST],
  [Role.DATA_SCIENTIST],
  [Role.DATA_SCIENTIST],
  [Role.DATA_SCIENTIST],
  [Role.DATA_ENGINEER],
  [Role.DATA_ENGINEER],
  [Role.ML_ENGINEER],
  [Role.ML_ENGINEER],
  [Role.ML_ENGINEER],
  [Role.RISK_MANAGER],
  [Role.RISK_MANAGER],
  [Role.DATA_SCIENTIST, Role.ML_ENGINEER],
  [Role.SME, Role.RISK_MANAGER],
  [Role.ADMIN],
];
const COMMENTS = [
  'Can we see the lift by customer segment before the next review?',
  'The holdout month had a pricing change; I would not read too much into the AUC jump.',
  'Retention can only act on about 2,000 cases a month: please rank, not just flag.',
  'Latency is {n} ms p99 in the shadow deployment.',
  'Before production I need the disparate-impact check attached to the card.',
  'Feature {f} dominates the card now; is that a leak from the label window?',
  'Approved from the business side; the numbers match what the team sees.',
  'The training snapshot is three months old; can we retrain on the latest data first?',
  'Drift looks seasonal to me; the same pattern showed up last year in week {n}.',
  'Monitoring dashboard updated with the new threshold of {n}%.',
  'Could we add calibration plots to the evaluation section?',
  'Rolled back the canary at 14:00, error rate was fine but the scores shifted.',
];

function titleCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Rows per insert statement: SQLite compiles a multi-row insert as a compound SELECT (at most 500 terms). */
function batchSize(dialect: string, columns: number): number {
  return dialect === 'sqlite' ? 400 : Math.max(1, Math.min(2000, Math.floor(60000 / columns)));
}

type RowData = Record<string, unknown>;

export async function seedScale(db: Database, scale: number, options: { seed?: number } = {}): Promise<ScaleSeedResult> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error('scale must be a positive number');
  const started = Date.now();
  const sqlite = db.dialect === 'sqlite';
  const rnd = prng(options.seed ?? 20261126);
  const now = Date.now();
  const t0 = now - YEAR;
  /** A date column: epoch ms on SQLite, a Date for PostgreSQL's timestamptz. */
  const at = (ms: number): unknown => (sqlite ? Math.round(ms) : new Date(Math.round(ms)));
  const json = (v: unknown) => JSON.stringify(v);

  const n = (base: number, min = 1) => Math.max(min, Math.round(base * scale));
  const U = n(50, 7);
  const G = n(20);
  const E = n(100, G);
  const R = n(20_000, E);
  const M = n(200, G);
  const V = n(2_000, M);
  const C = n(5_000, 0);
  const EV = n(50_000, 0);

  const tables = [
    'users',
    'api_tokens',
    'goals',
    'kpis',
    'kpi_observations',
    'experiments',
    'runs',
    'models',
    'model_versions',
    'promotion_requests',
    'reviews',
    'drift_flags',
    'feedback',
    'comments',
    'lifecycle_events',
  ] as const;
  type Table = (typeof tables)[number];
  const rows: Record<Table, RowData[]> = Object.fromEntries(tables.map((t) => [t, []])) as unknown as Record<Table, RowData[]>;
  const base: Record<string, number> = {};
  for (const table of tables) {
    const [{ m }] = (await db.knex(table).max({ m: 'id' })) as { m: number | string | null }[];
    base[table] = Number(m ?? 0);
  }
  const nextId = (table: Table) => base[table] + rows[table].length + 1;

  // Users: one of each role first (the first is the ADMIN whose token is printed), then a mix.
  const userIds: Record<Role, number[]> = Object.fromEntries(Object.values(Role).map((r) => [r, []])) as unknown as Record<Role, number[]>;
  const userName = new Map<number, string>();
  const single = [Role.ADMIN, Role.SME, Role.DATA_SCIENTIST, Role.DATA_ENGINEER, Role.ML_ENGINEER, Role.RISK_MANAGER].map((r) => [r]);
  for (let i = 0; i < U; i++) {
    const id = nextId('users');
    const roles = i < single.length ? single[i] : rnd.pick(ROLE_MIX);
    const name =
      i < 6 ? `${FIRST[i]} ${LAST[i]}` : `${FIRST[i % FIRST.length]} ${LAST[6 + ((i * 7 + Math.floor(i / FIRST.length)) % (LAST.length - 6))]}`;
    const created = t0 - 30 * DAY + i * 3600_000;
    rows.users.push({
      id,
      created_at: at(created),
      name,
      email: `${name.toLowerCase().replace(/\s+/g, '.')}.${id}@scale.modelops.dev`,
      roles: json(roles),
      slack_user_id: null,
      updated_at: at(created),
    });
    for (const r of roles) userIds[r].push(id);
    userName.set(id, name);
  }
  const adminId = base.users + 1;
  const adminEmail = rows.users[0].email as string;
  const token = `mh_${randomBytes(32).toString('base64url')}`;
  rows.api_tokens.push({
    id: nextId('api_tokens'),
    created_at: at(now),
    user_id: adminId,
    token_hash: hashToken(token),
    label: 'hub seed --scale',
    revoked_at: null,
  });
  const who = (role: Role) => rnd.pick(userIds[role]);
  const builder = () => rnd.pick([...userIds[Role.DATA_SCIENTIST], ...userIds[Role.ML_ENGINEER], ...userIds[Role.DATA_ENGINEER]]);

  // Goals and their KPIs with a year of monthly observations.
  interface GoalInfo {
    id: number;
    theme: Theme;
    title: string;
    kpis: { id: number; name: string; unit: string }[];
    experiments: number[];
    runs: number[];
    models: number[];
  }
  const goals: GoalInfo[] = [];
  for (let g = 0; g < G; g++) {
    const theme = THEMES[g % THEMES.length];
    const round = Math.floor(g / THEMES.length);
    const id = nextId('goals');
    const title = round
      ? `${theme.title} (${['EU', 'US', 'APAC', 'LATAM', 'UK', 'Nordics'][(round - 1) % 6]}${round > 6 ? ` ${round}` : ''})`
      : theme.title;
    const created = t0 + g * DAY;
    rows.goals.push({
      id,
      created_at: at(created),
      title,
      business_question: theme.question,
      description: `Owned by the ${theme.slug} team. Reviewed monthly with the business.`,
      status: g % 10 === 9 ? GoalStatus.DRAFT : g % 10 === 8 ? GoalStatus.ACHIEVED : GoalStatus.ACTIVE,
      owner_id: who(Role.SME),
      updated_at: at(created + 30 * DAY),
    });
    const info: GoalInfo = { id, theme, title, kpis: [], experiments: [], runs: [], models: [] };
    for (const [k, kpi] of [
      ...theme.kpis,
      { name: 'Model-assisted decisions', unit: '%', direction: KpiDirection.HIGHER_IS_BETTER, baseline: 10, target: 80 },
    ].entries()) {
      const kpiId = nextId('kpis');
      let value = kpi.baseline;
      let observedAt = 0;
      for (let month = 12; month >= 1; month--) {
        const progress = (12 - month) / 12;
        value = rnd.round(
          kpi.baseline + (kpi.target - kpi.baseline) * progress * 0.8 + (rnd.next() - 0.5) * Math.abs(kpi.target - kpi.baseline) * 0.2,
          2,
        );
        observedAt = now - month * 30 * DAY;
        rows.kpi_observations.push({
          id: nextId('kpi_observations'),
          created_at: at(observedAt + 3600_000),
          kpi_id: kpiId,
          value,
          observed_at: at(observedAt),
          recorded_by_id: who(Role.SME),
          model_version_id: null,
        });
      }
      rows.kpis.push({
        id: kpiId,
        created_at: at(created + k * 60_000),
        goal_id: id,
        name: kpi.name,
        description: k === 2 ? 'Share of decisions in scope where the model score was used.' : null,
        unit: kpi.unit,
        direction: kpi.direction,
        baseline: kpi.baseline,
        target: kpi.target,
        current: value,
        current_observed_at: at(observedAt),
      });
      info.kpis.push({ id: kpiId, name: kpi.name, unit: kpi.unit });
    }
    goals.push(info);
  }

  // Experiments (round-robin over goals) and runs (round-robin over experiments), with params and metrics.
  const experimentGoal: number[] = [];
  const experimentName = new Map<number, string>();
  for (let e = 0; e < E; e++) {
    const goal = goals[e % G];
    const id = nextId('experiments');
    const algo = ALGOS[e % ALGOS.length];
    const name = `${titleCase(goal.theme.slug)} ${algo} ${['baseline', 'tuning', 'feature study', 'ablation', 'retrain'][Math.floor(e / G) % 5]}${e >= G * 5 ? ` ${Math.floor(e / (G * 5)) + 1}` : ''}`;
    rows.experiments.push({
      id,
      created_at: at(t0 + 20 * DAY + e * 6 * 3600_000),
      name,
      hypothesis: `${titleCase(algo)} with ${goal.theme.features.slice(0, 2).join(' and ')} beats the current model.`,
      goal_id: goal.id,
      owner_id: builder(),
    });
    goal.experiments.push(id);
    experimentGoal.push(goals.indexOf(goal));
    experimentName.set(id, name);
  }
  const runMetrics = new Map<number, { key: string; value: number }[]>();
  const runInfo: { id: number; goal: number; name: string; experiment: string; status: RunStatus; author: number }[] = [];
  for (let r = 0; r < R; r++) {
    const e = r % E;
    const goal = goals[experimentGoal[e]];
    const id = nextId('runs');
    const startedAt = t0 + 30 * DAY + (r / R) * (YEAR - 31 * DAY);
    const status = r % 50 === 7 ? RunStatus.FAILED : r >= R - Math.max(1, Math.round(R / 400)) ? RunStatus.RUNNING : RunStatus.FINISHED;
    const auc = rnd.round(0.7 + rnd.next() * 0.2);
    const metrics =
      status === RunStatus.FAILED
        ? []
        : [
            { key: 'auc', value: auc },
            { key: 'precision_at_5pct', value: rnd.round(0.3 + rnd.next() * 0.4) },
            { key: 'recall_at_5pct', value: rnd.round(0.5 + rnd.next() * 0.3) },
            { key: 'log_loss', value: rnd.round(0.2 + rnd.next() * 0.3) },
          ];
    const name = `${goal.theme.slug}-${ALGOS[e % ALGOS.length]}-${id}`;
    const author = builder();
    rows.runs.push({
      id,
      created_at: at(startedAt),
      experiment_id: base.experiments + e + 1,
      name,
      status,
      author_id: author,
      params: json({
        learning_rate: rnd.pick([0.3, 0.1, 0.05, 0.03, 0.01]),
        max_depth: rnd.int(3, 10),
        n_estimators: rnd.pick([100, 200, 400, 800]),
        subsample: rnd.round(0.6 + rnd.next() * 0.4, 2),
        seed: r,
      }),
      metrics: json(metrics),
      dataset_uri: `s3://lake/${goal.theme.slug}/snapshot-${new Date(startedAt).toISOString().slice(0, 10)}.parquet`,
      code_version: `git:${(0x1000000 + r * 7919).toString(16).slice(-7)}`,
      started_at: at(startedAt),
      finished_at: status === RunStatus.RUNNING ? null : at(startedAt + rnd.int(5, 240) * 60_000),
    });
    runMetrics.set(id, metrics);
    goal.runs.push(id);
    runInfo.push({ id, goal: experimentGoal[e], name, experiment: experimentName.get(base.experiments + e + 1)!, status, author });
  }

  // Models (about ten per goal) and their versions: most have a PRODUCTION version, archived ones
  // below it, the newest in STAGING or NONE.
  interface VersionInfo {
    id: number;
    model: number;
    modelName: string;
    goal: number;
    version: number;
    stage: Stage;
  }
  const versions: VersionInfo[] = [];
  const modelInfo: { id: number; name: string; goal: number; production: VersionInfo | null; latest: VersionInfo }[] = [];
  const runCursor = new Map<number, number>();
  for (let m = 0; m < M; m++) {
    const g = m % G;
    const goal = goals[g];
    const id = nextId('models');
    const algo = ALGOS[(m + g) % ALGOS.length];
    const name = `${goal.theme.slug}-${algo}-${id}`;
    const created = t0 + 25 * DAY + m * ((300 * DAY) / M);
    const count = Math.floor(V / M) + (m < V % M ? 1 : 0);
    const prodVersion = count === 1 ? (rnd.chance(0.5) ? 1 : 0) : rnd.chance(0.88) ? count - 1 - (count > 3 && rnd.chance(0.2) ? 1 : 0) : 0;
    const stagingLatest = count > 1 && rnd.chance(0.5);
    rows.models.push({
      id,
      created_at: at(created),
      name,
      description: `${algo.toUpperCase()} model for "${goal.title}".`,
      goal_id: goal.id,
      owner_id: builder(),
      version_count: count,
    });
    goal.models.push(id);
    const info = { id, name, goal: g, production: null as VersionInfo | null, latest: null as unknown as VersionInfo };
    for (let v = 1; v <= count; v++) {
      const versionId = nextId('model_versions');
      const stage =
        v === prodVersion
          ? Stage.PRODUCTION
          : v === count && stagingLatest
            ? Stage.STAGING
            : v < prodVersion && rnd.chance(0.6)
              ? Stage.ARCHIVED
              : Stage.NONE;
      const createdAt = created + (v / (count + 1)) * (now - created - DAY);
      const cursor = runCursor.get(g) ?? 0;
      runCursor.set(g, cursor + 1);
      const runId = goal.runs.length ? goal.runs[(cursor * 7) % goal.runs.length] : null;
      const features = [...goal.theme.features, ...FEATURE_POOL.slice(0, 2 + (v % 4))];
      let weight = 1;
      const importance = features
        .map((feature) => {
          const share = rnd.round(weight * (0.15 + rnd.next() * 0.25));
          weight -= share;
          return { feature, importance: Math.max(0.001, share) };
        })
        .sort((a, b) => b.importance - a.importance);
      rows.model_versions.push({
        id: versionId,
        created_at: at(createdAt),
        model_id: id,
        version: v,
        stage,
        stage_changed_at: stage === Stage.NONE ? null : at(createdAt + 3 * DAY),
        description:
          v === 1
            ? 'First version.'
            : rnd.pick([
                'Retrained on the latest snapshot.',
                'Adds two features.',
                'Tuned depth and learning rate.',
                'Recalibrated scores.',
                'Drops a leaky feature.',
              ]),
        run_id: runId,
        artifact_uri: `s3://models/${name}/${v}/model.bin`,
        metrics: json(runId ? runMetrics.get(runId) : []),
        card: json({
          intendedUse: `Support the "${goal.title}" decision: ${goal.theme.question}`,
          limitations: 'Not validated outside the markets in the training data; scores are relative, not probabilities, before recalibration.',
          trainingData: `Snapshots of the last ${12 + v} months, ${rnd.int(200, 2000)}k rows.`,
          evaluationData: 'Out-of-time holdout of the following month.',
          ethicalConsiderations: v % 3 === 0 ? 'No protected attributes are used; disparate impact is reviewed quarterly.' : null,
          featureImportance: importance,
        }),
        created_by_id: builder(),
        updated_at: at(createdAt + 3 * DAY),
      });
      const vi = { id: versionId, model: id, modelName: name, goal: g, version: v, stage };
      versions.push(vi);
      if (stage === Stage.PRODUCTION) info.production = vi;
      info.latest = vi;
    }
    modelInfo.push(info);
  }

  // Promotion history: an approved request for each version in STAGING or PRODUCTION, a pending
  // STAGING → PRODUCTION request (SME approved, risk sign-off missing) for some models.
  interface RequestInfo {
    id: number;
    v: VersionInfo;
    from: Stage;
    to: Stage;
    status: PromotionStatus;
  }
  const requests: RequestInfo[] = [];
  const addRequest = (v: VersionInfo, from: Stage, to: Stage, status: PromotionStatus, approvals: Role[], when: number) => {
    const id = nextId('promotion_requests');
    const requester = builder();
    const required = to === Stage.STAGING ? [Role.ML_ENGINEER] : [Role.SME, Role.RISK_MANAGER];
    rows.promotion_requests.push({
      id,
      created_at: at(when),
      model_version_id: v.id,
      model_id: v.model,
      from_stage: from,
      to_stage: to,
      status,
      justification: rnd.pick([
        'Beats production on the holdout.',
        'Recall at 5% up three points.',
        'Same quality, half the latency.',
        'Retrained after the drift flag.',
      ]),
      requested_by_id: requester,
      required_roles: json(required),
      decided_at: status === PromotionStatus.PENDING ? null : at(when + DAY),
    });
    const reviewed = new Set([requester]);
    for (const [i, role] of approvals.entries()) {
      const reviewers = userIds[role].filter((u) => !reviewed.has(u));
      if (!reviewers.length) continue;
      const reviewer = rnd.pick(reviewers);
      reviewed.add(reviewer);
      rows.reviews.push({
        id: nextId('reviews'),
        created_at: at(when + (i + 1) * 3600_000),
        promotion_request_id: id,
        reviewer_id: reviewer,
        role,
        decision: ReviewDecision.APPROVE,
        comment: rnd.pick([null, 'Checked.', 'Card reviewed.', 'Fine by me.']),
        origin: rnd.chance(0.3) ? Origin.SLACK : Origin.API,
      });
    }
    requests.push({ id, v, from, to, status });
  };
  for (const v of versions) {
    const when = t0 + 30 * DAY + ((v.id - base.model_versions) / V) * (YEAR - 40 * DAY);
    if (v.stage === Stage.STAGING) addRequest(v, Stage.NONE, Stage.STAGING, PromotionStatus.APPROVED, [Role.ML_ENGINEER], when);
    if (v.stage === Stage.PRODUCTION || v.stage === Stage.ARCHIVED)
      addRequest(v, Stage.STAGING, Stage.PRODUCTION, PromotionStatus.APPROVED, [Role.SME, Role.RISK_MANAGER], when);
  }
  for (const [i, model] of modelInfo.entries()) {
    if (i % 7 === 3 && model.latest.stage === Stage.STAGING)
      addRequest(model.latest, Stage.STAGING, Stage.PRODUCTION, PromotionStatus.PENDING, [Role.SME], now - rnd.int(1, 10) * DAY);
  }

  // Drift flags on production versions (about 40% of models have open ones) and resolved ones.
  interface FlagInfo {
    id: number;
    v: VersionInfo;
    severity: Severity;
    kind: DriftKind;
    status: DriftStatus;
  }
  const flags: FlagInfo[] = [];
  for (const model of modelInfo) {
    const target = model.production ?? model.latest;
    const open = model.production && rnd.chance(0.4) ? rnd.int(1, 3) : 0;
    const resolved = rnd.chance(0.3) ? rnd.int(1, 2) : 0;
    for (let i = 0; i < open + resolved; i++) {
      const id = nextId('drift_flags');
      const severity = rnd.pick(Object.values(Severity));
      const kind = rnd.pick(Object.values(DriftKind));
      const status = i < open ? (rnd.chance(0.7) ? DriftStatus.OPEN : DriftStatus.ACKNOWLEDGED) : DriftStatus.RESOLVED;
      const when = now - rnd.int(1, 60) * DAY;
      const expected = rnd.round(0.5 + rnd.next() * 0.3);
      rows.drift_flags.push({
        id,
        created_at: at(when),
        model_version_id: target.id,
        model_id: model.id,
        raised_by_id: rnd.chance(0.5) ? who(Role.SME) : builder(),
        kind,
        severity,
        severity_rank: SEVERITY_RANK[severity],
        description: rnd.pick([
          'Score distribution shifted since the last release.',
          'Business says the top-ranked cases look wrong this month.',
          'Input feature missing for a third of the traffic.',
          'Precision dropped below the agreed floor.',
        ]),
        metric: 'precision_at_5pct',
        observed: rnd.round(expected - 0.05 - rnd.next() * 0.15),
        expected,
        status,
        resolution: status === DriftStatus.RESOLVED ? 'Retrained on the latest snapshot; precision is back above the floor.' : null,
        origin: rnd.chance(0.2) ? Origin.MONITOR : Origin.API,
        acknowledged_at: status === DriftStatus.OPEN ? null : at(when + DAY),
        resolved_at: status === DriftStatus.RESOLVED ? at(when + 3 * DAY) : null,
      });
      flags.push({ id, v: target, severity, kind, status });
    }
  }

  // Feedback from the business on production versions.
  const feedbackInfo: { id: number; v: VersionInfo; verdict: FeedbackVerdict }[] = [];
  for (const model of modelInfo) {
    if (!model.production) continue;
    for (let i = rnd.int(0, 2); i > 0; i--) {
      const id = nextId('feedback');
      const verdict = rnd.pick(Object.values(FeedbackVerdict));
      rows.feedback.push({
        id,
        created_at: at(now - rnd.int(1, 90) * DAY),
        goal_id: goals[model.goal].id,
        model_version_id: model.production.id,
        author_id: who(Role.SME),
        verdict,
        comment: rnd.pick([null, 'Saves the team real time.', 'Misses the new annual-plan segment.', 'Good enough for now.']),
        origin: rnd.chance(0.3) ? Origin.SLACK : Origin.API,
      });
      feedbackInfo.push({ id, v: model.production, verdict });
    }
  }

  // Comments on goals, models, versions and drift flags.
  interface CommentInfo {
    id: number;
    goal: number;
    model: number | null;
    version: number | null;
    on: { type: string; id: number };
    body: string;
    author: number;
  }
  const comments: CommentInfo[] = [];
  for (let c = 0; c < C; c++) {
    const id = nextId('comments');
    const v = rnd.pick(versions);
    const roll = rnd.next();
    const flag = roll > 0.9 && flags.length ? rnd.pick(flags) : null;
    const on = flag
      ? { type: 'DriftFlag', id: flag.id }
      : roll < 0.1
        ? { type: 'Goal', id: goals[v.goal].id }
        : roll < 0.5
          ? { type: 'Model', id: v.model }
          : { type: 'ModelVersion', id: v.id };
    const scopeV = flag ? flag.v : v;
    const body = rnd
      .pick(COMMENTS)
      .replace('{n}', String(rnd.int(2, 40)))
      .replace('{f}', rnd.pick(goals[scopeV.goal].theme.features));
    const author = rows.users[rnd.int(0, U - 1)].id as number;
    rows.comments.push({
      id,
      created_at: at(t0 + 30 * DAY + (c / Math.max(1, C)) * (YEAR - 31 * DAY)),
      subject_type: on.type,
      subject_id: on.id,
      author_id: author,
      body,
      origin: rnd.chance(0.25) ? Origin.SLACK : Origin.API,
    });
    comments.push({
      id,
      goal: goals[scopeV.goal].id,
      model: on.type === 'Goal' ? null : scopeV.model,
      version: on.type === 'ModelVersion' || flag ? scopeV.id : null,
      on,
      body,
      author,
    });
  }

  // Lifecycle events: the audit trail of all of the above, oldest first, with goal/model scope.
  const weights: [T, number][] = [
    [T.RUN_LOGGED, 30],
    [T.RUN_UPDATED, 4],
    [T.KPI_RECORDED, 8],
    [T.MODEL_VERSION_CREATED, 10],
    [T.COMMENT_ADDED, 10],
    [T.PROMOTION_REQUESTED, 7],
    [T.PROMOTION_REVIEWED, 9],
    [T.PROMOTION_APPROVED, 4],
    [T.STAGE_CHANGED, 8],
    [T.DRIFT_FLAGGED, 3],
    [T.DRIFT_ACKNOWLEDGED, 2],
    [T.DRIFT_RESOLVED, 2],
    [T.FEEDBACK_SUBMITTED, 2],
    [T.MODEL_UPDATED, 1],
  ];
  const totalWeight = weights.reduce((s, [, w]) => s + w, 0);
  const pickType = () => {
    let x = rnd.next() * totalWeight;
    for (const [type, w] of weights) if ((x -= w) < 0) return type;
    return T.RUN_LOGGED;
  };
  const label = (v: VersionInfo) => `${v.modelName} v${v.version}`;
  for (let e = 0; e < EV; e++) {
    let type = pickType();
    if ((type === T.DRIFT_FLAGGED || type === T.DRIFT_ACKNOWLEDGED || type === T.DRIFT_RESOLVED) && !flags.length) type = T.STAGE_CHANGED;
    if (type === T.COMMENT_ADDED && !comments.length) type = T.RUN_LOGGED;
    if (type === T.FEEDBACK_SUBMITTED && !feedbackInfo.length) type = T.RUN_LOGGED;
    if ((type === T.PROMOTION_REQUESTED || type === T.PROMOTION_REVIEWED || type === T.PROMOTION_APPROVED) && !requests.length)
      type = T.MODEL_VERSION_CREATED;
    let actor: number | null = builder();
    let subject: { type: string; id: number };
    let scope: { goal_id: number | null; model_id: number | null; model_version_id: number | null };
    let summary: string;
    let data: Record<string, unknown>;
    const name = () => userName.get(actor!) ?? 'The hub operator';
    const vScope = (v: VersionInfo) => ({ goal_id: goals[v.goal].id, model_id: v.model, model_version_id: v.id });
    if (type === T.RUN_LOGGED || type === T.RUN_UPDATED) {
      const run = rnd.pick(runInfo);
      actor = run.author;
      subject = { type: 'Run', id: run.id };
      scope = { goal_id: goals[run.goal].id, model_id: null, model_version_id: null };
      const metrics = runMetrics.get(run.id) ?? [];
      const text = metrics.length
        ? `, ${metrics
            .slice(0, 3)
            .map((m) => `${m.key}=${m.value}`)
            .join(', ')}, …`
        : '';
      summary =
        type === T.RUN_LOGGED
          ? `${name()} logged run "${run.name}" in "${run.experiment}" (${run.status}${text})`
          : `${name()} updated run "${run.name}" in "${run.experiment}" (RUNNING → ${run.status}${text})`;
      data =
        type === T.RUN_LOGGED
          ? { experiment: run.experiment, status: run.status, metrics }
          : { fromStatus: RunStatus.RUNNING, status: run.status, metrics };
    } else if (type === T.KPI_RECORDED) {
      const goal = rnd.pick(goals);
      const kpi = rnd.pick(goal.kpis);
      actor = who(Role.SME);
      const value = rnd.round(rnd.next() * 100, 2);
      subject = { type: 'Kpi', id: kpi.id };
      scope = { goal_id: goal.id, model_id: null, model_version_id: null };
      summary = `${name()} recorded ${kpi.name} = ${value} ${kpi.unit}`;
      data = { value, observedAt: new Date(t0 + (e / EV) * YEAR).toISOString() };
    } else if (type === T.MODEL_VERSION_CREATED || type === T.MODEL_UPDATED) {
      const v = rnd.pick(versions);
      subject = type === T.MODEL_UPDATED ? { type: 'Model', id: v.model } : { type: 'ModelVersion', id: v.id };
      scope = type === T.MODEL_UPDATED ? { goal_id: goals[v.goal].id, model_id: v.model, model_version_id: null } : vScope(v);
      summary = type === T.MODEL_UPDATED ? `${name()} updated model ${v.modelName}: description` : `${name()} created ${label(v)}`;
      data =
        type === T.MODEL_UPDATED
          ? { changes: { description: 'Updated description.' } }
          : { version: v.version, artifactUri: `s3://models/${v.modelName}/${v.version}/model.bin` };
    } else if (type === T.STAGE_CHANGED) {
      const v = rnd.pick(versions);
      actor = null;
      subject = { type: 'ModelVersion', id: v.id };
      scope = vScope(v);
      const [from, to] =
        v.stage === Stage.PRODUCTION
          ? [Stage.STAGING, Stage.PRODUCTION]
          : v.stage === Stage.ARCHIVED
            ? [Stage.PRODUCTION, Stage.ARCHIVED]
            : [Stage.NONE, Stage.STAGING];
      summary = `${label(v)} moved ${from} → ${to}`;
      data = { fromStage: from, toStage: to };
    } else if (type === T.PROMOTION_REQUESTED || type === T.PROMOTION_REVIEWED || type === T.PROMOTION_APPROVED) {
      const req = rnd.pick(requests);
      subject = { type: 'PromotionRequest', id: req.id };
      scope = vScope(req.v);
      const role = req.to === Stage.STAGING ? Role.ML_ENGINEER : rnd.pick([Role.SME, Role.RISK_MANAGER]);
      if (type === T.PROMOTION_REVIEWED) actor = who(role);
      summary =
        type === T.PROMOTION_REQUESTED
          ? `${name()} requested ${label(req.v)} ${req.from} → ${req.to}`
          : type === T.PROMOTION_REVIEWED
            ? `${name()} approved ${label(req.v)} → ${req.to} as ${role}`
            : `${label(req.v)} → ${req.to} approved`;
      data = {
        fromStage: req.from,
        toStage: req.to,
        status: type === T.PROMOTION_APPROVED ? PromotionStatus.APPROVED : PromotionStatus.PENDING,
        ...(type === T.PROMOTION_REVIEWED ? { decision: ReviewDecision.APPROVE, role } : {}),
      };
    } else if (type === T.DRIFT_FLAGGED || type === T.DRIFT_ACKNOWLEDGED || type === T.DRIFT_RESOLVED) {
      const flag = rnd.pick(flags);
      subject = { type: 'DriftFlag', id: flag.id };
      scope = vScope(flag.v);
      summary =
        type === T.DRIFT_FLAGGED
          ? `${name()} flagged ${flag.severity} ${flag.kind.toLowerCase()} drift on ${label(flag.v)}`
          : `${name()} ${type === T.DRIFT_ACKNOWLEDGED ? 'acknowledged' : 'resolved'} the ${flag.severity} drift on ${label(flag.v)}`;
      data = {
        severity: flag.severity,
        kind: flag.kind,
        status: type === T.DRIFT_FLAGGED ? DriftStatus.OPEN : type === T.DRIFT_ACKNOWLEDGED ? DriftStatus.ACKNOWLEDGED : DriftStatus.RESOLVED,
      };
    } else if (type === T.FEEDBACK_SUBMITTED) {
      const fb = rnd.pick(feedbackInfo);
      actor = who(Role.SME);
      subject = { type: 'Feedback', id: fb.id };
      scope = vScope(fb.v);
      summary = `${name()}: ${label(fb.v)} ${fb.verdict === FeedbackVerdict.MEETS_GOAL ? 'meets' : fb.verdict === FeedbackVerdict.MISSES_GOAL ? 'misses' : 'partially meets'} goal "${goals[fb.v.goal].title}"`;
      data = { verdict: fb.verdict };
    } else {
      const c = rnd.pick(comments);
      actor = c.author;
      subject = { type: 'Comment', id: c.id };
      scope = { goal_id: c.goal, model_id: c.model, model_version_id: c.version };
      summary = `${name()} commented: ${c.body}`;
      data = { on: { type: c.on.type, id: toGlobalId(c.on.type, c.on.id) }, body: c.body };
    }
    rows.lifecycle_events.push({
      id: nextId('lifecycle_events'),
      created_at: at(t0 + 30 * DAY + (e / Math.max(1, EV)) * (YEAR - 31 * DAY)),
      type,
      actor_id: actor,
      origin: rnd.chance(0.15) ? Origin.SLACK : Origin.API,
      subject_type: subject.type,
      subject_id: subject.id,
      ...scope,
      summary,
      data: json(data),
    });
  }

  // Write everything in one transaction, parents first; the events join the chain (`hub audit verify`).
  await db.knex.transaction(async (trx: Knex.Transaction) => {
    await trx('event_chain_head').where('id', 1).update({ id: 1 });
    const head = (await trx('event_chain_head').where('id', 1).first()) as { hash: string | null };
    let prevHash = head.hash;
    for (const row of rows.lifecycle_events) {
      const content = {
        type: row.type as string,
        actorId: row.actor_id as number | null,
        origin: row.origin as Origin,
        subjectType: row.subject_type as string,
        subjectId: row.subject_id as number,
        goalId: (row.goal_id ?? null) as number | null,
        modelId: (row.model_id ?? null) as number | null,
        modelVersionId: (row.model_version_id ?? null) as number | null,
        summary: row.summary as string,
        data: JSON.parse(row.data as string),
        createdAt: new Date(row.created_at as number | Date),
      };
      Object.assign(row, { prev_hash: prevHash, hash: eventHash(content, prevHash) });
      prevHash = row.hash as string;
    }
    for (const table of tables) {
      const list = rows[table];
      if (!list.length) continue;
      const size = batchSize(db.dialect, Object.keys(list[0]).length);
      for (let i = 0; i < list.length; i += size) await trx(table).insert(list.slice(i, i + size));
    }
    const last = rows.lifecycle_events.at(-1);
    if (last) await trx('event_chain_head').where('id', 1).update({ hash: last.hash, last_event_id: last.id });
    if (!sqlite) {
      for (const table of tables) {
        await trx.raw(`select setval(pg_get_serial_sequence(?, 'id'), greatest((select max(id) from ??), 1))`, [table, table]);
      }
    }
  });
  // PostgreSQL's autovacuum would gather statistics on the new rows soon anyway; do it now so that the
  // first queries are planned as they will be. (SQLite has no such background job; leave it alone.)
  if (!sqlite) await db.knex.raw('analyze');

  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = rows[table].length;
  return { scale, counts, admin: { id: toGlobalId('User', adminId), email: adminEmail, token }, ms: Date.now() - started };
}
