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
    hub = await startHub(dialect);
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

    it('makes a row read without a column fail loudly when that column is read', async () => {
      const [run] = [...(await hub.domain.reader.byIds(Run, [1], ['params'])).values()];
      expect(run.name === undefined).toBe(false);
      expect(() => run.params).toThrow('Run.params was not read for this row');
    });
  });
});
