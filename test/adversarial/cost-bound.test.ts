/**
 * The cost estimate bounds the real work: for queries generated from the schema (fast-check) over
 * data seeded past every list's cap (12 KPIs, 12 open drift flags on one version, 120 metrics and
 * features), the objects in the answer never exceed `extensions.cost.requested`. On the main this
 * started from, a plain list was charged 10 whatever it held. Replay a failure with FC_SEED=<seed>.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AddKpiDocument, CreateModelVersionDocument, FlagDriftDocument } from '../../src/generated/operations';
import { fetchJson, ok, post } from '../helpers/client';
import { goalWithModel } from '../helpers/fixtures';
import { startHub, type TestHub } from '../helpers/hub';
import { committedSchema } from '../helpers/schema';

const PAST_CAP = 12;
const MANY = 120;

let hub: TestHub;

beforeAll(async () => {
  hub = await startHub('sqlite');
  const {
    goal,
    model,
    versions: [v1],
  } = await goalWithModel(hub, { title: 'Cost', businessQuestion: 'Is the estimate a bound?', model: 'cost-model' });
  for (let i = 0; i < PAST_CAP; i++) {
    ok(await hub.as('admin', AddKpiDocument, { input: { goalId: goal.id, name: `kpi ${i}`, direction: 'HIGHER_IS_BETTER' } }));
    ok(await hub.as('admin', FlagDriftDocument, { input: { modelVersionId: v1.id, kind: 'DATA', severity: 'LOW', description: `flag ${i}` } }));
  }
  const metrics = Array.from({ length: MANY }, (_, i) => ({ key: `m${i}`, value: i }));
  const featureImportance = Array.from({ length: MANY }, (_, i) => ({ feature: `f${i}`, importance: i }));
  ok(await hub.as('admin', CreateModelVersionDocument, { input: { modelId: model.id, metrics, card: { featureImportance } } }));
}, 60_000);
afterAll(async () => {
  await hub?.close();
});

const schema = committedSchema();

/** Fields a generated query may select: no required arguments. */
function selectable(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
}

/** A selection set on `type`, at most `depth` levels of objects below it. */
function selectionOn(type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  const fields = selectable(type).filter((f) => depth > 0 || !isCompositeType(getNamedType(f.type)));
  return fc
    .subarray(fields, { minLength: 0, maxLength: Math.min(4, fields.length) })
    .chain((chosen) =>
      chosen.length ? fc.tuple(...chosen.map((f) => fieldArb(f, depth))).map((parts) => `__typename ${parts.join(' ')}`) : fc.constant('__typename'),
    );
}

function fieldArb(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(field.type);
  const first = field.args.some((a) => a.name === 'first') ? fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) : fc.constant(undefined);
  const args = first.map((n) => (n === undefined ? '' : `(first: ${n})`));
  if (isLeafType(named) || isEnumType(named)) return fc.constant(field.name);
  if (isInterfaceType(named) || isUnionType(named)) return args.map((a) => `${field.name}${a} { __typename }`);
  if (!isObjectType(named)) return fc.constant('__typename');
  return fc.tuple(args, selectionOn(named, depth - 1)).map(([a, sel]) => `${field.name}${a} { ${sel} }`);
}

/** Every GraphQL object in an answer: each selects `__typename` (JSON scalars such as `data` do not). */
function objects(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + objects(v), 0);
  if (!value || typeof value !== 'object' || !('__typename' in value)) return 0;
  return 1 + Object.values(value).reduce((n: number, v) => n + objects(v), 0);
}

it('never resolves more objects than extensions.cost.requested, for generated queries over seeded data', async () => {
  const query = schema.getQueryType()!;
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(selectionOn(query, 5), async (selection) => {
      const { json } = await fetchJson(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.users.admin.token}` },
        body: JSON.stringify({ query: `{ ${selection} }` }),
      });
      if (!json.data) return;
      const requested = (json.extensions?.cost as { requested: number }).requested;
      checked += 1;
      const resolved = Object.values(json.data).reduce((n: number, v) => n + objects(v), 0);
      expect(resolved, `{ ${selection} }`).toBeLessThanOrEqual(requested);
    }),
    { numRuns: 150, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
  );
  expect(checked).toBeGreaterThan(100);
}, 120_000);

it('returns a plain list only up to its cap, which the estimate charges', async () => {
  const answer = await post<{
    goals: {
      nodes: {
        kpis: unknown[];
        models: {
          nodes: { openDriftFlags: unknown[]; versions: { nodes: { metrics: unknown[]; card: { featureImportance: unknown[] } | null }[] } }[];
        };
      }[];
    };
  }>(
    hub.url,
    {
      query:
        '{ goals(first: 1) { nodes { kpis { id } models(first: 1) { nodes { openDriftFlags { id } versions(first: 2) { nodes { metrics { key } card { featureImportance { feature } } } } } } } } }',
    },
    hub.users.admin.token,
  );
  const goal = answer.data!.goals.nodes[0];
  const model = goal.models.nodes[0];
  const longest = (lengths: number[]) => Math.max(...lengths);
  const versions = model.versions.nodes;
  expect([
    goal.kpis.length,
    model.openDriftFlags.length,
    longest(versions.map((v) => v.metrics.length)),
    longest(versions.map((v) => v.card?.featureImportance.length ?? 0)),
  ]).toEqual([10, 10, 100, 100]);
});
