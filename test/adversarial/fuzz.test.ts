/**
 * Property-based fuzzing (fast-check) of every mutation's input, with arbitraries generated from
 * schema/schema.graphql: each input field gets values of its own type (and, now and then, of
 * any other type), strings that are empty, huge, unicode, control characters, SQL-ish or HTML,
 * numbers up to ±1e400 written as raw JSON, huge integers, unknown enum values, and IDs that are
 * right, of another type, or garbage. Whatever comes in:
 *
 *  - the answer is JSON, never HTTP 5xx, never INTERNAL_SERVER_ERROR;
 *  - no error message shows a stack trace or SQL;
 *  - nothing is half-written: a refused mutation leaves every table as it was; a successful one
 *    writes exactly its own event (and the follow-ups the README names, e.g. STAGE_CHANGED), and
 *    touches only its own tables.
 *
 * Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL), since what reaches the database is the
 * point. Replay a failure with FC_SEED=<seed> (fast-check prints it).
 */
import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isScalarType,
  print,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/domain/ids';
import { fetchJson, type Answer } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { artifactDigest } from '../helpers/fixtures';
import { EVERYONE, startHub, type Person, type TestHub } from '../helpers/hub';
import { b64, unknownId } from '../helpers/ids';
import { mutateForId, mutationDocument } from '../helpers/mutations';
import { committedSchema } from '../helpers/schema';
import { snapshotTables, tablesOf } from '../helpers/tables';

const schema = committedSchema();
const MUTATIONS = Object.values(schema.getMutationType()!.getFields());
const RUNS = 30;
/** Shrinking replays requests; a bounded number keeps a failing run short and its counterexample small. */
const SHRINKS = 40;
if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) });

/**
 * What a successful call of each mutation may write: its own event (exactly one), the events
 * that may follow it in the same transaction, and the tables it may change besides
 * lifecycle_events (the event's notifications included). `event: null`: it records no event;
 * `perObject`: one event per object it changes, none for those it leaves as they were. A mutation missing here fails the suite.
 */
/** What monitors may add to a write of observations: their streaks, and flags raised, added to or resolved. */
const MONITORED = ['DRIFT_FLAGGED', 'DRIFT_RESOLVED'];
const MONITOR_TABLES = ['monitors', 'drift_flags', 'notifications'];

const WRITES: Record<string, { event: string | null; follow?: string[]; tables: string[]; idempotent?: true; perObject?: true }> = {
  createUser: { event: 'USER_CREATED', tables: ['users', 'api_tokens'] },
  createServiceAccount: { event: 'USER_CREATED', tables: ['users', 'api_tokens'] },
  updateUser: { event: 'USER_UPDATED', tables: ['users'] },
  createGoal: { event: 'GOAL_CREATED', tables: ['goals'] },
  updateGoal: { event: 'GOAL_UPDATED', tables: ['goals'] },
  addKpi: { event: 'KPI_ADDED', tables: ['kpis'] },
  // Values are evaluated by the KPI's monitors: a breach raises or adds to a flag, healthy values may resolve it.
  recordKpiValue: { event: 'KPI_RECORDED', follow: MONITORED, tables: ['kpis', 'kpi_observations', ...MONITOR_TABLES] },
  recordKpiValues: { event: 'KPI_VALUES_RECORDED', follow: MONITORED, tables: ['kpis', 'kpi_observations', ...MONITOR_TABLES] },
  createExperiment: { event: 'EXPERIMENT_CREATED', tables: ['experiments'] },
  // idempotent: a call that finds what it would create (or append) answers it and writes nothing.
  ensureExperiment: { event: 'EXPERIMENT_CREATED', tables: ['experiments'], idempotent: true },
  logRun: { event: 'RUN_LOGGED', tables: ['runs', 'metric_points'], idempotent: true },
  logMetrics: { event: 'METRICS_LOGGED', follow: MONITORED, tables: ['runs', 'metric_points', ...MONITOR_TABLES], idempotent: true },
  updateRun: { event: 'RUN_UPDATED', tables: ['runs', 'metric_points'] },
  registerModel: { event: 'MODEL_REGISTERED', tables: ['models'] },
  ensureModel: { event: 'MODEL_REGISTERED', tables: ['models'], idempotent: true },
  updateModel: { event: 'MODEL_UPDATED', tables: ['models'] },
  createModelVersion: { event: 'MODEL_VERSION_CREATED', tables: ['model_versions', 'models'], idempotent: true },
  updateModelVersion: { event: 'MODEL_VERSION_UPDATED', tables: ['model_versions'] },
  // A target stage with no required roles is applied at once.
  requestPromotion: {
    event: 'PROMOTION_REQUESTED',
    follow: ['PROMOTION_APPROVED', 'STAGE_CHANGED', 'PROMOTION_CANCELLED'],
    tables: ['promotion_requests', 'model_versions'],
  },
  reviewPromotion: {
    event: 'PROMOTION_REVIEWED',
    follow: ['PROMOTION_APPROVED', 'PROMOTION_REJECTED', 'STAGE_CHANGED', 'PROMOTION_CANCELLED'],
    tables: ['reviews', 'promotion_requests', 'model_versions'],
  },
  cancelPromotion: { event: 'PROMOTION_CANCELLED', tables: ['promotion_requests'] },
  flagDrift: { event: 'DRIFT_FLAGGED', tables: ['drift_flags', 'notifications'] },
  flagDriftMany: { event: 'DRIFT_FLAGGED', tables: ['drift_flags', 'notifications'], perObject: true },
  acknowledgeDrift: { event: 'DRIFT_ACKNOWLEDGED', tables: ['drift_flags'] },
  resolveDrift: { event: 'DRIFT_RESOLVED', tables: ['drift_flags'] },
  submitFeedback: { event: 'FEEDBACK_SUBMITTED', tables: ['feedback'] },
  recordPredictionExplanations: { event: 'PREDICTION_EXPLANATIONS_RECORDED', tables: ['prediction_explanations'], idempotent: true },
  disputeOutcome: { event: 'OUTCOME_DISPUTED', tables: ['feedback', 'notifications'] },
  addComment: { event: 'COMMENT_ADDED', tables: ['comments', 'notifications'] },
  recordDeployment: { event: 'DEPLOYMENT_RECORDED', tables: ['deployments'] },
  // Webhooks are configuration: they record no lifecycle event.
  createWebhook: { event: null, tables: ['webhooks'] },
  updateWebhook: { event: null, tables: ['webhooks'] },
  deleteWebhook: { event: null, tables: ['webhooks'] },
  redeliverWebhookDelivery: { event: null, tables: [] },
  markAnswered: { event: 'QUESTION_ANSWERED', tables: ['comments', 'notifications'] },
  markNotificationsRead: { event: null, tables: ['notifications'] },
  transferOwnership: { event: 'OWNERSHIP_TRANSFERRED', tables: ['goals', 'models', 'experiments', 'notifications'] },
  createMonitor: { event: 'MONITOR_CREATED', tables: ['monitors'] },
  updateMonitor: { event: 'MONITOR_UPDATED', tables: ['monitors'] },
  pauseMonitor: { event: 'MONITOR_UPDATED', tables: ['monitors'] },
  deleteMonitor: { event: 'MONITOR_DELETED', tables: ['monitors', 'drift_flags'] },
};

/** The trail's own tables, which every successful write changes: its events and the chain's head. */
const TRAIL = ['lifecycle_events', 'event_chain_head'];

/** Who calls each mutation mostly (someone it allows); any role now and then. */
const PREFERRED: Record<string, Person> = { reviewPromotion: 'risk' };

// ── Raw JSON numbers (JSON.stringify cannot write 1e400) ───────────────────────────────────

class Raw {
  constructor(readonly json: string) {}
  toString(): string {
    return `Raw(${this.json})`;
  }
}
const raw = (json: string) => new Raw(json);

/** A long string, written out only when sent: fast-check reports it as `'x'.repeat(n)`, not a megabyte of x. */
class Big {
  constructor(
    readonly char: string,
    readonly n: number,
  ) {}
  toJSON(): string {
    return this.char.repeat(this.n);
  }
  [fc.toStringMethod](): string {
    return `${JSON.stringify(this.char)}.repeat(${this.n})`;
  }
}
const big = (char: string, n: number) => new Big(char, n);

/** The same element n times (a list just past a limit), reported as `[elem × n]`. */
class Many {
  constructor(
    readonly elem: unknown,
    readonly n: number,
  ) {}
  toJSON(): unknown[] {
    return Array.from({ length: this.n }, () => this.elem);
  }
  [fc.toStringMethod](): string {
    return `[${fc.stringify(this.elem)} × ${this.n}]`;
  }
}
const MARK = `@@raw${Math.random().toString(36).slice(2)}@@`;

/** JSON with every Raw written verbatim: `{"value":1e400}`. */
function encode(value: unknown): string {
  const raws: string[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => (v instanceof Raw ? `${MARK}${raws.push(v.json) - 1}` : v));
  return json.replace(new RegExp(`"${MARK}(\\d+)"`, 'g'), (_m, i: string) => raws[Number(i)]);
}

// ── Arbitraries, from the schema ────────────────────────────────────────────────────────────

type Pools = Record<string, string[]>;
interface Options {
  pools: Pools;
  /** Inside a 1001-element list: no huge strings. */
  small?: boolean;
}

const NASTY_STRINGS = [
  '',
  ' ',
  '   \t\n ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003',
  '\u007f',
  '\u202eevil\u202c',
  '\ufeff',
  '\u2028\u2029',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '😀',
  '👩‍👩‍👧‍👦'.repeat(30),
  'Ω≈ç√∫˜µ≤≥÷',
  'ﷺ',
  'اختبار',
  '𝕿𝖊𝖘𝖙',
  'e\u0301'.repeat(150),
  "'",
  '"',
  '\\',
  '`',
  "'; DROP TABLE goals; --",
  "' OR '1'='1",
  "1; DELETE FROM users WHERE '1'='1",
  'Robert"); DROP TABLE users;--',
  "x' UNION SELECT token_hash FROM api_tokens --",
  '$1',
  '?',
  '%',
  '_',
  '%00',
  '\\x00',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as plain text
  '${7*7}',
  '{{7*7}}',
  '%s%s%n',
  '../../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '__proto__',
  'constructor',
  '{}',
  '[]',
  'a@b.c',
  'not-an-email',
  'UPPER@EXAMPLE.COM',
  'a@b',
  '@',
  'x@@y.z',
  'U012AB3CD',
  'W123',
  'u012ab3cd',
  'U',
  'a'.repeat(199),
  'a'.repeat(200),
  'a'.repeat(201),
  ' '.repeat(5) + 'a'.repeat(200) + ' '.repeat(5),
  '界'.repeat(201),
];
const LONG_STRINGS = [
  big('x', 2_000),
  big('x', 2_001),
  big('x', 5_001),
  big('x', 10_000),
  big('x', 10_001),
  big('y', 100_000),
  big('y', 400_000),
  big('y', 1_100_000),
];

function stringArb(fieldName: string, options: Options): fc.Arbitrary<unknown> {
  const arbs: fc.WeightedArbitrary<unknown>[] = [
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u0008', '\u001b', '\u0085', "'", '"', ';', '-', '<', '>', '\\', 'a'), maxLength: 25 }),
    },
  ];
  if (!options.small) arbs.push({ weight: 2, arbitrary: fc.constantFrom(...LONG_STRINGS) });
  if (/email/i.test(fieldName)) arbs.push({ weight: 6, arbitrary: fc.emailAddress() });
  if (/slack/i.test(fieldName)) arbs.push({ weight: 4, arbitrary: fc.stringMatching(/^[UW][A-Z0-9]{2,12}$/) });
  return fc.oneof(...arbs);
}

const floatArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      raw('1e400'),
      raw('-1e400'),
      raw('1e-400'),
      raw('-0.0'),
      raw('9007199254740993'),
      raw('123456789012345678901234567890'),
      raw('1E+309'),
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
);

const intArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 120 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, raw('1e400'), raw('1.0'), raw('1e2'), raw('99999999999999999999')) },
);

const dateArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.date({ noInvalidDate: true, min: new Date('1990-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString()) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      'yesterday',
      '2026-13-45T99:99:99Z',
      '2026-11-26',
      '2026-11-26T10:00:00',
      '2026-11-26T10:00:00+25:00',
      '0000-01-01T00:00:00Z',
      '+275760-09-13T00:00:00.000Z',
      '-271821-04-20T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00Z',
      1_700_000_000_000,
    ),
  },
);

const jsonArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      {},
      [],
      'a string',
      0,
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      { constructor: { prototype: { x: 1 } } },
      { 'key\u0000': 'v' },
      { k: 'v\u0000' },
      { k: raw('1e400') },
      { big: big('z', 100_001) },
      { deep: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) },
    ),
  },
);

function enumArb(values: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...values) },
    { weight: 2, arbitrary: fc.constantFrom('', 'admin', values[0].toLowerCase(), `${values[0]} `, 'DROP', '__proto__', 'NULL', 'Infinity') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
}

/** Node type names, and Discussable's members for `subjectId`. */
const NODE_TYPES = schema.getPossibleTypes(schema.getType('Node') as never).map((t) => t.name);
const DISCUSSABLE = (() => {
  const d = schema.getType('Discussable');
  return d && isInterfaceType(d) ? schema.getPossibleTypes(d).map((t) => t.name) : NODE_TYPES;
})();

/** The type an ID field names: `goalId` → Goal, `modelVersionId` → ModelVersion, `subjectId` → a Discussable. */
function intendedTypes(fieldName: string): string[] {
  const stem = fieldName.replace(/Ids?$/, '');
  const type = stem.charAt(0).toUpperCase() + stem.slice(1);
  if (NODE_TYPES.includes(type)) return [type];
  return fieldName === 'subjectId' ? DISCUSSABLE : NODE_TYPES;
}

function garbageIds(types: string[]): string[] {
  return types
    .flatMap((t) => [
      toGlobalId(t, 2 ** 31 - 1),
      toGlobalId(t, 2 ** 31),
      toGlobalId(t, 2 ** 40),
      toGlobalId(t, Number.MAX_SAFE_INTEGER),
      unknownId(t),
      b64(`${t}:0`),
      b64(`${t}:-1`),
      b64(`${t}:1.5`),
      b64(`${t}:01`),
      b64(`${t}:99999999999999999999`),
      b64(`${t}:1 or 1=1`),
      b64(`${t}:1;drop table goals`),
      b64(`${t}:\u00001`),
      `${b64(`${t}:1`)}=`,
      Buffer.from(`${t}:1`).toString('base64'),
      `${t}:1`,
      b64(`${t.toLowerCase()}:1`),
    ])
    .concat(['', ' ', 'null', '0', '-1', '1', 'A'.repeat(201), b64('Nope:1'), b64(':1'), b64('Goal:'), '%', "'"]);
}

function idArb(fieldName: string, options: Options): fc.Arbitrary<unknown> {
  const types = intendedTypes(fieldName);
  const right = types.flatMap((t) => options.pools[t] ?? []);
  const other = Object.entries(options.pools)
    .filter(([t]) => !types.includes(t))
    .flatMap(([, ids]) => ids);
  const arbs: fc.WeightedArbitrary<unknown>[] = [
    { weight: 3, arbitrary: fc.constantFrom(...garbageIds(types)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 24 }) },
    { weight: 1, arbitrary: fc.integer() },
  ];
  if (right.length) arbs.push({ weight: 10, arbitrary: fc.constantFrom(...right) });
  if (other.length) arbs.push({ weight: 3, arbitrary: fc.constantFrom(...other) });
  return fc.oneof(...arbs);
}

/** Now and then, a value of the wrong JSON type altogether. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null]),
  fc.constant({ id: '1' }),
  fc.constant(raw('1e400')),
);
const maybeWrong = (arb: fc.Arbitrary<unknown>) => fc.oneof({ weight: 14, arbitrary: arb }, { weight: 1, arbitrary: wrongType });

function namedArb(type: GraphQLNamedType, fieldName: string, options: Options): fc.Arbitrary<unknown> {
  if (isEnumType(type)) return enumArb(type.getValues().map((v) => v.name));
  if (isInputObjectType(type)) return objectArb(type, options);
  if (isScalarType(type)) {
    switch (type.name) {
      case 'String':
        return stringArb(fieldName, options);
      case 'ID':
        return idArb(fieldName, options);
      case 'Float':
        return floatArb;
      case 'Int':
        return intArb;
      case 'Boolean':
        return fc.boolean();
      case 'DateTime':
        return dateArb;
      case 'JSONObject':
        return jsonArb;
      default:
        throw new Error(`no arbitrary for scalar ${type.name}: add one`);
    }
  }
  throw new Error(`no arbitrary for ${type.name}`);
}

function valueArb(type: GraphQLInputType, fieldName: string, options: Options): fc.Arbitrary<unknown> {
  const nullable = !isNonNullType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  let arb: fc.Arbitrary<unknown>;
  if (isListType(inner)) {
    const elem = valueArb(inner.ofType, fieldName, options);
    const smallElem = valueArb(inner.ofType, fieldName, { ...options, small: true });
    arb = fc.oneof(
      { weight: 8, arbitrary: fc.array(elem, { maxLength: 4 }) },
      { weight: 1, arbitrary: elem }, // a single value is coerced to a list of one
      { weight: options.small ? 0 : 1, arbitrary: smallElem.map((e) => new Many(e, 1001)) }, // just past LIMITS.metrics
    );
  } else {
    arb = namedArb(inner, fieldName, options);
  }
  arb = maybeWrong(arb);
  return nullable ? fc.oneof({ weight: 5, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) }) : arb;
}

function objectArb(
  type: GraphQLInputType & { getFields(): Record<string, { name: string; type: GraphQLInputType }> },
  options: Options,
): fc.Arbitrary<unknown> {
  const fields = Object.values(type.getFields());
  const model = Object.fromEntries(fields.map((f) => [f.name, valueArb(f.type, f.name, options)])) as Record<string, fc.Arbitrary<unknown>>;
  const requiredKeys = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
  const complete = fc.record(model, { requiredKeys });
  return fc.oneof(
    { weight: 12, arbitrary: complete },
    { weight: 1, arbitrary: fc.record(model) }, // may leave a required field out
    { weight: 1, arbitrary: complete.map((o) => ({ ...o, notAField: 'x', __typename: 'Goal' })) },
  );
}

// ── Checks ──────────────────────────────────────────────────────────────────────────────────

function send(hub: TestHub, who: Person, body: string): Promise<Answer> {
  return fetchJson(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users[who].token}` },
    body,
  });
}

/** Every string in what was sent, so that echoes of the input are not mistaken for leaks. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Raw) out.push(value.json);
  else if (value instanceof Big) out.push(value.toJSON());
  else if (value instanceof Many) stringsIn(value.elem, out);
  else if (Array.isArray(value)) value.forEach((v) => stringsIn(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsIn(k, out), stringsIn(v, out);
  return out;
}

function scrub(text: string, sent: string[]): string {
  const forms = [
    ...new Set(
      sent.flatMap((s) => [s, s.trim(), JSON.stringify(s), JSON.stringify(s).slice(1, -1), JSON.stringify(s.trim()).slice(1, -1), s.toLowerCase()]),
    ),
  ]
    .filter((f) => f.length > 0)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const f of forms) out = out.split(f).join('');
  return out;
}

const SQL = /\b(select|insert|update|delete|sqlite\w*|relation|constraint|syntax error|knex|mikro-?orm|DriverException|violates|duplicate key)\b/i;
const STACK = /\bat .+:\d+:\d+|^\s+at\s|\.ts:\d+|\.js:\d+|node_modules/m;

function expectNoLeaks(answer: Answer, sent: string[]): void {
  expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
  const errors = answer.json.errors ?? [];
  for (const error of errors) {
    expect(error.extensions?.code, error.message).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}).not.toHaveProperty('exception');
    const message = scrub(error.message, sent);
    expect(message, `SQL in an error message: ${error.message.slice(0, 300)}`).not.toMatch(SQL);
    expect(message, `a stack trace in an error message: ${error.message.slice(0, 300)}`).not.toMatch(STACK);
  }
  expect(scrub(answer.text, sent)).not.toMatch(/stacktrace|node_modules/i);
}

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────

/** Objects of every type, made through the API: the IDs the fuzzer aims at. */
async function buildPools(hub: TestHub): Promise<Pools> {
  const pools: Pools = {};
  const add = (type: string, id: string) => ((pools[type] ??= []).push(id), id);
  for (const i of [1, 2])
    add('User', await mutateForId(hub, 'admin', 'createUser', { name: `Fuzz target ${i}`, email: `target${i}@fuzz.example`, roles: ['SME'] }));
  const goal = add('Goal', await mutateForId(hub, 'sme', 'createGoal', { title: 'Fuzz goal', businessQuestion: 'Does it hold?' }));
  const goal2 = add('Goal', await mutateForId(hub, 'sme2', 'createGoal', { title: 'Fuzz goal 2', businessQuestion: 'And this one?' }));
  add('Kpi', await mutateForId(hub, 'sme', 'addKpi', { goalId: goal, name: 'Hold rate', direction: 'HIGHER_IS_BETTER', target: 1 }));
  add('Kpi', await mutateForId(hub, 'sme2', 'addKpi', { goalId: goal2, name: 'Error rate', direction: 'LOWER_IS_BETTER' }));
  const experiment = add('Experiment', await mutateForId(hub, 'scientist', 'createExperiment', { goalId: goal, name: 'Fuzz experiment' }));
  add('Experiment', await mutateForId(hub, 'scientist', 'createExperiment', { goalId: goal2, name: 'Fuzz experiment 2' }));
  const run = add('Run', await mutateForId(hub, 'scientist', 'logRun', { experimentId: experiment, name: 'running' }));
  add('Run', await mutateForId(hub, 'scientist', 'logRun', { experimentId: experiment, name: 'done', status: 'FINISHED' }));
  const model = add('Model', await mutateForId(hub, 'scientist', 'registerModel', { goalId: goal, name: 'fuzz-model' }));
  const model2 = add('Model', await mutateForId(hub, 'scientist', 'registerModel', { goalId: goal2, name: 'fuzz-model-2' }));
  const versions: string[] = [];
  for (const m of [model, model, model, model2, model2])
    versions.push(
      add('ModelVersion', await mutateForId(hub, 'mlEngineer', 'createModelVersion', { modelId: m, runId: run, artifactDigest: artifactDigest(m) })),
    );
  add('PromotionRequest', await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versions[0], toStage: 'PRODUCTION' }));
  add('PromotionRequest', await mutateForId(hub, 'scientist', 'requestPromotion', { modelVersionId: versions[1], toStage: 'STAGING' }));
  add('PromotionRequest', await mutateForId(hub, 'mlEngineer', 'requestPromotion', { modelVersionId: versions[3], toStage: 'PRODUCTION' }));
  for (const v of [versions[0], versions[2], versions[3]]) {
    add(
      'DriftFlag',
      await mutateForId(hub, 'risk', 'flagDrift', { modelVersionId: v, kind: 'DATA', severity: 'MEDIUM', description: 'inputs moved' }),
    );
  }
  await send(
    hub,
    'scientist',
    JSON.stringify({
      query: 'mutation ($i: RecordPredictionExplanationsInput!) { recordPredictionExplanations(input: $i) { recorded } }',
      variables: {
        i: {
          modelVersionId: versions[0],
          items: ['4711', '4712'].map((subjectKey) => ({
            subjectKey,
            prediction: 'flagged',
            score: 0.9,
            attributions: [{ feature: 'age', value: '42', contribution: 0.4 }],
          })),
        },
      },
    }),
  );
  for (const key of ['4711', '4712']) {
    const found = await send(
      hub,
      'sme',
      JSON.stringify({
        query: 'query ($id: ID!, $k: String!) { node(id: $id) { ... on ModelVersion { explanation(subjectKey: $k) { id } } } }',
        variables: { id: versions[0], k: key },
      }),
    );
    add('PredictionExplanation', (found.json.data?.node as { explanation: { id: string } }).explanation.id);
  }
  add('Comment', await mutateForId(hub, 'sme', 'addComment', { subjectId: goal, body: 'first' }));
  add('Feedback', await mutateForId(hub, 'sme', 'submitFeedback', { goalId: goal, verdict: 'MEETS_GOAL' }));
  for (const i of [1, 2])
    add('Webhook', await mutateForId(hub, 'admin', 'createWebhook', { url: `https://192.0.2.${i}/hook`, eventTypes: ['COMMENT_ADDED'] }));
  add('Comment', await mutateForId(hub, 'sme', 'addComment', { subjectId: goal, body: 'for the webhooks' }));
  const hooks = await send(hub, 'admin', JSON.stringify({ query: '{ webhooks { deliveries(first: 1) { nodes { id } } } }' }));
  for (const w of hooks.json.data?.webhooks as { deliveries: { nodes: { id: string }[] } }[]) add('WebhookDelivery', w.deliveries.nodes[0].id);
  const events = await send(hub, 'admin', JSON.stringify({ query: '{ events(first: 3) { nodes { id } } }' }));
  for (const e of (events.json.data?.events as { nodes: { id: string }[] }).nodes) add('LifecycleEvent', e.id);
  return pools;
}

// ── The suite ───────────────────────────────────────────────────────────────────────────────

it('has a WRITES entry for every mutation of schema/schema.graphql', () => {
  expect(
    MUTATIONS.map((m) => m.name).filter((m) => !WRITES[m]),
    'mutations the fuzzer does not know',
  ).toEqual([]);
  expect(
    Object.keys(WRITES).filter((m) => !MUTATIONS.some((f) => f.name === m)),
    'entries for unknown mutations',
  ).toEqual([]);
});

forEachDialect((dialect) => {
  let hub: TestHub;
  let pools: Pools;
  let tables: string[];

  beforeAll(async () => {
    hub = await startHub(dialect);
    pools = await buildPools(hub);
    tables = await tablesOf(hub);
  });
  afterAll(() => hub?.close());

  /** Fresh objects in the state the stateful mutations consume, put first in their pool. */
  async function refill(name: string): Promise<void> {
    if (['reviewPromotion', 'cancelPromotion'].includes(name)) {
      const fresh: string[] = [];
      for (const [requester, toStage] of [
        ['scientist', 'PRODUCTION'],
        ['scientist', 'STAGING'],
        ['admin', 'PRODUCTION'],
      ] as const) {
        const version = await mutateForId(hub, 'mlEngineer', 'createModelVersion', {
          modelId: pools.Model[0],
          artifactDigest: artifactDigest(toStage),
        });
        fresh.push(await mutateForId(hub, requester, 'requestPromotion', { modelVersionId: version, toStage }));
      }
      pools.PromotionRequest = [...fresh, ...pools.PromotionRequest.slice(0, 3)];
    }
    if (['acknowledgeDrift', 'resolveDrift'].includes(name)) {
      const fresh: string[] = [];
      for (const v of pools.ModelVersion.slice(0, 3)) {
        fresh.push(await mutateForId(hub, 'risk', 'flagDrift', { modelVersionId: v, kind: 'CONCEPT', severity: 'LOW', description: 'fresh flag' }));
      }
      pools.DriftFlag = [...fresh, ...pools.DriftFlag.slice(0, 3)];
    }
  }

  describe('edge cases the fuzzer found, pinned (deterministic)', () => {
    const over = (type: string) => toGlobalId(type, 2 ** 31);
    // Each case makes what it needs or uses objects no case consumes, so the order of tests does not matter.
    const CASES: [what: string, query: string, variables: (p: Pools) => Record<string, unknown> | Promise<Record<string, unknown>>][] = [
      [
        'a NUL character in a title',
        'mutation ($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }',
        () => ({ i: { title: 'a\u0000b', businessQuestion: 'q' } }),
      ],
      [
        'a NUL character in a comment body',
        'mutation ($i: AddCommentInput!) { addComment(input: $i) { comment { id } } }',
        (p) => ({ i: { subjectId: p.Goal[0], body: '\u0000' } }),
      ],
      [
        'a NUL character in an optional text (datasetUri)',
        'mutation ($i: LogRunInput!) { logRun(input: $i) { run { id } } }',
        (p) => ({ i: { experimentId: p.Experiment[0], datasetUri: 'x\u0000' } }),
      ],
      [
        'a NUL character in a JSON params value',
        'mutation ($i: LogRunInput!) { logRun(input: $i) { run { id } } }',
        (p) => ({ i: { experimentId: p.Experiment[0], params: { a: 'x\u0000' } } }),
      ],
      [
        'a NUL character in a metric key',
        'mutation ($i: UpdateRunInput!) { updateRun(input: $i) { run { id } } }',
        (p) => ({ i: { runId: p.Run[0], metrics: [{ key: 'auc\u0000', value: 1 }] } }),
      ],
      [
        'a lone surrogate in a title',
        'mutation ($i: CreateGoalInput!) { createGoal(input: $i) { goal { id } } }',
        () => ({ i: { title: 'a\ud800b', businessQuestion: 'q' } }),
      ],
      [
        'a lone surrogate in a resolution',
        'mutation ($i: ResolveDriftInput!) { resolveDrift(input: $i) { driftFlag { id } } }',
        async (p) => ({
          i: {
            driftFlagId: await mutateForId(hub, 'risk', 'flagDrift', {
              modelVersionId: p.ModelVersion[0],
              kind: 'DATA',
              severity: 'LOW',
              description: 'pinned',
            }),
            resolution: '\udfff',
          },
        }),
      ],
      [
        'the year 0000 as observedAt',
        'mutation ($i: RecordKpiValueInput!) { recordKpiValue(input: $i) { kpi { id } } }',
        (p) => ({ i: { kpiId: p.Kpi[0], value: 1, observedAt: '0000-01-01T00:00:00Z' } }),
      ],
      [
        'more than 50 invalid list elements in one variable',
        'mutation ($i: CreateModelVersionInput!) { createModelVersion(input: $i) { modelVersion { id } } }',
        (p) => ({ i: { modelId: p.Model[0], metrics: Array.from({ length: 1001 }, () => ({ key: 'k', value: 'not a number' })) } }),
      ],
      ['node(id:) with a database id past 2^31-1', 'query ($id: ID!) { node(id: $id) { id } }', () => ({ id: over('Goal') })],
      [
        'nodes(ids:) with a database id past 2^31-1',
        'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        () => ({ ids: [over('Kpi'), over('ModelVersion')] }),
      ],
      [
        'events(filter: { goalId }) with a database id past 2^31-1',
        'query ($id: ID) { events(filter: { goalId: $id }) { nodes { id } } }',
        () => ({ id: over('Goal') }),
      ],
      [
        'events(filter: { subjectId }) with a database id past 2^31-1',
        'query ($id: ID) { events(filter: { subjectId: $id }) { nodes { id } } }',
        () => ({ id: over('DriftFlag') }),
      ],
    ];
    it.each(CASES)('%s: answered without INTERNAL_SERVER_ERROR, and nothing half-written', async (_what, query, variables) => {
      const vars = await variables(pools);
      const before = await snapshotTables(hub, tables);
      const answer = await send(hub, 'admin', encode({ query, variables: vars }));
      const after = await snapshotTables(hub, tables);
      expectNoLeaks(answer, stringsIn(vars));
      if (answer.json.errors?.length) expect(tables.filter((t) => before.hashes[t] !== after.hashes[t])).toEqual([]);
      if (query.startsWith('mutation') && answer.json.errors?.length) expect(answer.json.errors[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('every mutation, fuzzed', () => {
    it.each(MUTATIONS.map((m) => [m.name, m] as const))(
      '%s: no 5xx, no internals, no partial write',
      async (name, field) => {
        const spec = WRITES[name];
        expect(spec, `WRITES has no entry for ${name}`).toBeDefined();
        await refill(name);
        const arg = field.args.find((a) => a.name === 'input')!;
        const query = print(mutationDocument(name));
        const actor = fc.oneof(
          { weight: 3, arbitrary: fc.constant<Person>(PREFERRED[name] ?? 'admin') },
          { weight: 1, arbitrary: fc.constantFrom(...EVERYONE) },
        );
        const input = fc.oneof({ weight: 20, arbitrary: valueArb(arg.type, 'input', { pools }) }, { weight: 1, arbitrary: wrongType });
        let succeeded = 0;

        await fc.assert(
          fc.asyncProperty(fc.limitShrink(fc.tuple(actor, input), SHRINKS), async ([who, value]) => {
            const body = encode({ query, variables: { input: value } });
            const before = await snapshotTables(hub, tables);
            const answer = await send(hub, who, body);
            const after = await snapshotTables(hub, tables);
            expectNoLeaks(answer, stringsIn(value));

            const changed = tables.filter((t) => before.hashes[t] !== after.hashes[t]);
            const ok = answer.status === 200 && !answer.json.errors?.length && answer.json.data?.[name] != null;
            if (!ok) {
              // A refused mutation wrote nothing, anywhere.
              expect(changed, `refused (${answer.text.slice(0, 300)}) but changed ${changed.join(', ')}`).toEqual([]);
              return;
            }
            succeeded++;
            const written = (await hub.db.knex('lifecycle_events').where('id', '>', before.lastEventId).select('type')).map(
              (e: { type: string }) => e.type,
            );
            if (spec.idempotent && !changed.length) return;
            if (!spec.perObject)
              expect(
                written.filter((t) => t === spec.event),
                `exactly one ${spec.event}; wrote ${written.join(', ')}`,
              ).toHaveLength(spec.event ? 1 : 0);
            expect(
              written.filter((t) => t !== spec.event && !(spec.follow ?? []).includes(t)),
              'events that do not belong to the mutation',
            ).toEqual([]);
            expect(
              changed.filter((t) => !TRAIL.includes(t) && !spec.tables.includes(t)),
              'tables the mutation has no business changing',
            ).toEqual([]);
          }),
          { numRuns: RUNS },
        );
        // Not an assertion on the server: shows that the generators reach the success path.
        if (!succeeded) console.info(`fuzz ${dialect} ${name}: no successful call in ${RUNS} runs`);
      },
      60_000,
    );
  });

  describe('the read path, fuzzed', () => {
    it('node, nodes, connections, filters and cursors: no 5xx, no internals', async () => {
      const cursors = await send(
        hub,
        'admin',
        JSON.stringify({ query: '{ goals(first: 1) { pageInfo { endCursor } } events(first: 1) { pageInfo { endCursor } } }' }),
      );
      const real = [
        (cursors.json.data?.goals as { pageInfo: { endCursor: string } }).pageInfo.endCursor,
        (cursors.json.data?.events as { pageInfo: { endCursor: string } }).pageInfo.endCursor,
      ];
      const anyId = idArb('id', { pools });
      const cursor = fc.oneof(
        fc.constantFrom(...real),
        fc.constantFrom(...real).map((c) => c.slice(0, -1)),
        fc.jsonValue({ maxDepth: 2 }).map((v) => b64(JSON.stringify(v))),
        fc
          .tuple(
            fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.constant('2026-11-26T10:00:00.000Z')),
            fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 31), fc.string()),
          )
          .map((v) => b64(JSON.stringify(v))),
        fc.constantFrom(b64('[1e400]'), b64('[2147483648]'), b64('["x",2147483648]'), b64('["\u0000",1]'), b64('["2026-11-26T10:00:00.000Z",1e300]')),
        stringArb('after', { pools, small: true }),
      );
      const variables = fc.record({
        id: anyId,
        ids: fc.array(anyId, { maxLength: 5 }),
        after: fc.option(cursor),
        goalId: fc.option(idArb('goalId', { pools })),
        modelId: fc.option(idArb('modelId', { pools })),
        subjectId: fc.option(anyId),
        first: fc.option(intArb),
        name: stringArb('name', { pools, small: true }),
        types: fc.option(
          fc.array(enumArb((schema.getType('LifecycleEventType') as never as { getValues(): { name: string }[] }).getValues().map((v) => v.name)), {
            maxLength: 3,
          }),
        ),
      });
      const query = `query AdvRead($id: ID!, $ids: [ID!]!, $after: String, $goalId: ID, $modelId: ID, $subjectId: ID, $first: Int, $name: String!, $types: [LifecycleEventType!]) {
        node(id: $id) { id __typename }
        nodes(ids: $ids) { id }
        goals(first: $first, after: $after) { totalCount nodes { id } }
        events(first: $first, after: $after, filter: { goalId: $goalId, modelId: $modelId, subjectId: $subjectId, types: $types }) { totalCount nodes { id } }
        models(goalId: $goalId, first: $first, after: $after) { nodes { id } }
        driftFlags(modelId: $modelId, first: $first) { nodes { id } }
        promotionRequests(modelId: $modelId, first: $first) { nodes { id } }
        modelByName(name: $name) { id }
      }`;
      await fc.assert(
        fc.asyncProperty(fc.limitShrink(fc.tuple(fc.constantFrom(...EVERYONE), variables), SHRINKS), async ([who, vars]) => {
          const answer = await send(hub, who, encode({ query, variables: vars }));
          expectNoLeaks(answer, stringsIn(vars));
        }),
        { numRuns: 60 },
      );
    }, 60_000);
  });
});
