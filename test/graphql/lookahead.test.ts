import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Run } from '../../src/domain/experiment/run.entity';
import { seedDemo } from '../../src/seed/demo';
import { post } from '../helpers/client';
import { forEachDialect } from '../helpers/db';
import { startHub, type TestHub } from '../helpers/hub';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Everything a version and its run show, the large JSON columns included. */
const EVERYTHING = `version card { intendedUse featureImportance { feature importance } } evidenceDigest
  run { name params metrics { key value } tags { key value } experiment { name } }`;

/** The fields that read one version, each asked for with `selection`, under the demo's models. */
const underVersions = (selection: string, fragments = '') =>
  `{ models(first: 5) { nodes { latestVersion ${selection} productionVersion ${selection}
    first: version(number: 1) ${selection} second: version(number: 2) ${selection} } } } ${fragments}`;

/** Ways of asking for the large columns through the fields that skip them when they are not asked for. */
const ASKED: { name: string; query: string }[] = [
  {
    name: 'fragment spreads, nested',
    query: underVersions(
      '{ id ...V }',
      `fragment V on ModelVersion { version card { intendedUse featureImportance { feature importance } } run { ...R } }
      fragment R on Run { name params metrics { key value } tags { key value } experiment { name } }`,
    ),
  },
  {
    name: 'inline fragments',
    query: underVersions(`{ id ... on ModelVersion { version card { intendedUse featureImportance { feature importance } }
      run { ... on Run { name params metrics { key value } tags { key value } experiment { name } } } } }`),
  },
  {
    name: 'the same field twice under aliases, one light and one not',
    query: `{ models(first: 5) { nodes { light: latestVersion { id version run { experiment { name } } }
      latestVersion { id version card { intendedUse featureImportance { feature importance } } run { name params metrics { key value } tags { key value } } }
      lightFirst: version(number: 1) { id version run { name } } first: version(number: 1) { id version card { intendedUse } run { params } } } } }`,
  },
  {
    name: 'the same field twice without an alias, merged, one part light',
    query: underVersions('{ id version run { name } } latestVersion { card { intendedUse } run { params tags { key value } } }'),
  },
  {
    name: 'a field that reads the whole row (evidenceDigest)',
    query: underVersions('{ id version evidenceDigest run { name } }'),
  },
];

/**
 * The types whose rows are read without the columns a selection leaves out, each with the fields
 * that may leave columns out and the paths that read it that way: every field asked alone, and
 * all together, must show what `nodes` (which reads whole rows) shows.
 */
const NARROWED: { type: string; fields: string[]; paths: ((selection: string) => string)[] }[] = [
  {
    type: 'Comment',
    fields: ['body', 'origin', 'createdAt', 'isQuestion', 'answeredAt', 'mentions { id }', 'author { id }', 'subject { id }'],
    paths: [
      (s) => `{ models(first: 10) { nodes { comments(first: 3) { totalCount pageInfo { endCursor } nodes { id __typename ${s} } } } } }`,
      (s) => `{ models(first: 10) { nodes { comments(first: 2) { edges { cursor node { ...C } } } } } } fragment C on Comment { id __typename ${s} }`,
    ],
  },
  {
    type: 'User',
    fields: ['name', 'email', 'handle', 'roles', 'kind', 'slackUserId', 'createdAt'],
    paths: [
      (s) => `{ goals(first: 5) { nodes { owner { id __typename ${s} } models(first: 5) { nodes { owner { id __typename ${s} }
        comments(first: 3) { nodes { author { id __typename ${s} } } } } } } } }`,
    ],
  },
  {
    type: 'DriftFlag',
    fields: [
      ...'kind severity description metric observed expected status resolution origin createdAt acknowledgedAt resolvedAt occurrences'.split(' '),
      'lastSeenAt',
      'modelVersion { id }',
      'raisedBy { id }',
      'comments { totalCount }',
    ],
    paths: [(s) => `{ models(first: 10) { nodes { openDriftFlags { id __typename ${s} } } } }`],
  },
  {
    type: 'Model',
    fields: [
      'name',
      'description',
      'createdAt',
      'goal { id }',
      'owner { id }',
      'latestVersion { id }',
      'productionVersion { id }',
      'version(number: 1) { id }',
      'versions(first: 2) { totalCount }',
      'comments(first: 1) { totalCount }',
      'openDriftFlags { id }',
    ],
    paths: [(s) => `{ goals(first: 5) { nodes { models(first: 5) { nodes { id __typename ... on Model { ${s} } } } } } }`],
  },
  {
    type: 'Run',
    fields: ['name', 'externalId', 'status', 'datasetUri', 'codeVersion', 'startedAt', 'finishedAt', 'experiment { id }', 'author { id }'],
    paths: [
      (s) => `{ models(first: 10) { nodes { latestVersion { run { id __typename ${s} } } productionVersion { run { id __typename ${s} } } } } }`,
    ],
  },
  {
    type: 'ModelVersion',
    fields: [
      'tags { key value }',
      'description',
      'artifactUri',
      'artifactDigest',
      'externalId',
      'version',
      'stage',
      'metrics { key value }',
      'createdAt',
    ],
    paths: [(s) => `{ models(first: 10) { nodes { latestVersion { id __typename ${s} } productionVersion { id __typename ${s} } } } }`],
  },
];

/** Every object of `type` in an answer, as shown. */
function objectsOf(type: string, value: unknown, into: J[] = []): J[] {
  if (Array.isArray(value)) for (const v of value) objectsOf(type, v, into);
  else if (value && typeof value === 'object') {
    const object = value as J;
    if (object.__typename === type) into.push(object);
    for (const v of Object.values(object)) objectsOf(type, v, into);
  }
  return into;
}

/** Every version object in an answer, by id. */
function versionsIn(value: unknown, into = new Map<string, J>()): Map<string, J> {
  if (Array.isArray(value)) for (const v of value) versionsIn(v, into);
  else if (value && typeof value === 'object') {
    const object = value as J;
    if (typeof object.id === 'string' && 'version' in object) into.set(`${object.id} ${Object.keys(object).join(',')}`, object);
    for (const v of Object.values(object)) versionsIn(v, into);
  }
  return into;
}

/** A value as the reference shows it: the fields `shown` has, recursively. */
function pick(reference: J, shown: J): J {
  return Object.fromEntries(
    Object.entries(shown).map(([k, v]) => [
      k,
      v && typeof v === 'object' && !Array.isArray(v) && reference[k] && k !== 'params' ? pick(reference[k], v) : reference[k],
    ]),
  );
}

forEachDialect((dialect) => {
  let hub: TestHub;
  let reference: Map<string, J>;

  beforeAll(async () => {
    // The resolvers' path: the planner (planner.test.ts) would answer the dashboard's question in one statement.
    hub = await startHub(dialect, { queryPlanner: false });
    await seedDemo(hub.domain);
    const ids = await post<J>(hub.url, { query: '{ models(first: 20) { nodes { versions(first: 50) { nodes { id } } } } }' }, hub.users.risk.token);
    const versionIds = ids.data!.models.nodes.flatMap((m: J) => m.versions.nodes.map((v: J) => v.id));
    // Through `nodes`: every column of every row, whatever is selected.
    const all = await post<J>(
      hub.url,
      { query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on ModelVersion { ${EVERYTHING} } } }`, variables: { ids: versionIds } },
      hub.users.risk.token,
    );
    reference = new Map(all.data!.nodes.map((v: J) => [v.id, v]));
    // Comments and a drift flag with every column given, beside the demo's.
    const [model] = ids.data!.models.nodes;
    const version = model.versions.nodes[0].id;
    const modelId = (await post<J>(hub.url, { query: '{ models(first: 1) { nodes { id } } }' }, hub.users.risk.token)).data!.models.nodes[0].id;
    const add = await post<J>(
      hub.url,
      {
        query: 'mutation ($s: ID!, $b: String!) { addComment(input: { subjectId: $s, body: $b, isQuestion: true }) { comment { id } } }',
        variables: { s: modelId, b: 'Is this stable, @risk?' },
      },
      hub.users.sme.token,
    );
    expect(add.errors).toBeUndefined();
    const flag = await post<J>(
      hub.url,
      {
        query: `mutation ($v: ID!) { flagDrift(input: { modelVersionId: $v, kind: DATA, severity: HIGH, description: "PSI up",
          metric: "psi", observed: 0.31, expected: 0.1 }) { driftFlag { id } } }`,
        variables: { v: version },
      },
      hub.users.sme.token,
    );
    expect(flag.errors).toBeUndefined();
    // The comparisons below mean something: the demo's versions have cards, and runs with params and tags.
    expect([...reference.values()].filter((v) => v.card && Object.keys(v.run?.params ?? {}).length).length).toBeGreaterThan(1);
  });
  afterAll(() => hub?.close());

  describe('reading only the columns a selection needs', () => {
    it.each(ASKED)('answers $name with the large columns as they are stored', async ({ query }) => {
      for (let asked = 0; asked < 3; asked++) {
        const answer = await post<J>(hub.url, { query }, hub.users.risk.token);
        expect(answer.errors?.[0]?.message).toBeUndefined();
        const shown = [...versionsIn(answer.data).values()];
        expect(shown.length).toBeGreaterThan(1);
        for (const version of shown) expect(version).toEqual(pick(reference.get(version.id)!, version));
      }
    });

    it('leaves the model card and the run params out of the statements when no field needs them', async () => {
      const sqlOf = async (query: string) => {
        const { result, sql } = await hub.countStatements(() => post<J>(hub.url, { query }, hub.users.risk.token));
        expect(result.errors).toBeUndefined();
        return sql.filter((s) => /model_versions|runs/.test(s) && /^select/i.test(s.trim()));
      };
      const light = await sqlOf(
        '{ models(first: 20) { nodes { latestVersion { version run { experiment { name } } } productionVersion { version } } } }',
      );
      expect(light.length).toBeGreaterThanOrEqual(3);
      for (const statement of light) expect(statement).not.toMatch(/\*|card|params/);
      const heavy = await sqlOf('{ models(first: 20) { nodes { latestVersion { card { intendedUse } run { params } } } } }');
      expect(heavy.some((s) => /model_versions/.test(s) && /\*|card/.test(s))).toBe(true);
      expect(heavy.some((s) => /runs/.test(s) && /\*|params/.test(s))).toBe(true);
    });

    it.each(NARROWED)('shows every field of $type as a whole row does, asked alone or together', async ({ type, fields, paths }) => {
      const everything = fields.join(' ');
      const ids = new Set<string>();
      for (const path of paths) {
        for (const selection of [...fields, everything]) {
          const answer = await post<J>(hub.url, { query: path(selection) }, hub.users.risk.token);
          expect(answer.errors?.[0]?.message, `${type} { ${selection} }`).toBeUndefined();
          for (const object of objectsOf(type, answer.data)) ids.add(object.id);
        }
      }
      expect(ids.size, `${type} objects on the paths`).toBeGreaterThan(0);
      const whole = await post<J>(
        hub.url,
        { query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on ${type} { ${everything} } } }`, variables: { ids: [...ids] } },
        hub.users.risk.token,
      );
      expect(whole.errors).toBeUndefined();
      const byId = new Map<string, J>(whole.data!.nodes.map((o: J) => [o.id, o]));
      for (const path of paths) {
        for (const selection of [...fields, everything]) {
          const answer = await post<J>(hub.url, { query: path(selection) }, hub.users.risk.token);
          for (const object of objectsOf(type, answer.data)) expect(object, `${type} { ${selection} }`).toEqual(pick(byId.get(object.id)!, object));
        }
      }
    });

    it('leaves out the columns of comments, flags, models, owners and runs that the dashboard does not show', async () => {
      const { result, sql } = await hub.countStatements(() =>
        post<J>(
          hub.url,
          {
            query: `{ goals(first: 5) { nodes { owner { name } models(first: 5) { nodes { name owner { name } openDriftFlags { severity }
              latestVersion { version run { experiment { name } } } comments(first: 3) { nodes { author { name } body } } } } } } }`,
          },
          hub.users.risk.token,
        ),
      );
      expect(result.errors).toBeUndefined();
      const reading = (table: string) => sql.filter((s) => new RegExp(`from [\`"]${table}[\`"]`).test(s));
      for (const [table, unread] of [
        ['comments', /mentions|origin|answered_at/],
        ['drift_flags', /description|resolution|observed/],
        ['models', /description/],
        ['users', /email|roles|slack_user_id/],
        ['runs', /params|dataset_uri|code_version/],
      ] as const) {
        expect(reading(table).length, table).toBeGreaterThan(0);
        for (const statement of reading(table)) expect(statement, table).not.toMatch(unread);
        for (const statement of reading(table)) expect(statement, table).not.toMatch(/select \* from/);
      }
    });

    it('makes a row read without a column fail loudly when that column is read', async () => {
      const [run] = [...(await hub.domain.reader.byIds(Run, [1], ['params'])).values()];
      expect(run.name === undefined).toBe(false);
      expect(() => run.params).toThrow('Run.params was not read for this row');
    });
  });
});
