import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import {
  applyChanges,
  email,
  finite,
  jsonObject,
  LIMITS,
  mergeMetrics,
  metrics,
  oneOf,
  optionalFinite,
  optionalText,
  requiredText,
  validDate,
} from '../../src/domain/validate';
import { thrown } from '../helpers/errors';

/** The refusal `fn` throws: BAD_USER_INPUT naming `field`. */
function expectRefused(fn: () => unknown, field: string, message?: RegExp): void {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
  if (message) expect((error as DomainError).message).toMatch(message);
}

describe('requiredText', () => {
  it('trims and keeps text up to the limit', () => {
    expect(requiredText('title', '  Cut churn \n', 200)).toBe('Cut churn');
    expect(requiredText('title', 'x'.repeat(200), 200)).toHaveLength(200);
    expect(requiredText('title', ` ${'x'.repeat(200)} `, 200)).toHaveLength(200);
    expect(requiredText('title', '👩‍👩‍👧 😀', 200)).toBe('👩‍👩‍👧 😀');
  });

  it.each([
    ['empty text', ''],
    ['only white space', ' \t\n '],
  ])('refuses %s', (_what, value) => expectRefused(() => requiredText('title', value, 200), 'title', /must not be empty/));

  it('refuses text over the limit, saying how long it was', () => {
    expectRefused(() => requiredText('title', 'x'.repeat(201), 200), 'title', /at most 200 characters \(got 201\)/);
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udfff'],
    ['a high surrogate at the end', 'x\ud83d'],
  ])('refuses %s, which the databases cannot store', (_what, value) => {
    expectRefused(() => requiredText('body', value, 10_000), 'body', /cannot be stored/);
  });
});

describe('optionalText', () => {
  it('leaves undefined as "unchanged", and makes null, empty and blank text null', () => {
    expect(optionalText('description', undefined, 10)).toBeUndefined();
    expect(optionalText('description', null, 10)).toBeNull();
    expect(optionalText('description', '', 10)).toBeNull();
    expect(optionalText('description', '   ', 10)).toBeNull();
  });

  it('trims text and refuses text over the limit or that cannot be stored', () => {
    expect(optionalText('description', '  Weekly scores. ', 20)).toBe('Weekly scores.');
    expectRefused(() => optionalText('description', 'x'.repeat(21), 20), 'description', /at most 20/);
    expectRefused(() => optionalText('datasetUri', 'x\u0000', 20), 'datasetUri', /cannot be stored/);
  });
});

describe('email', () => {
  it('trims and lower-cases an address', () => {
    expect(email('email', '  Rita.Risk@Example.COM ')).toBe('rita.risk@example.com');
  });

  it.each(['not-an-email', 'a@b', '@example.com', 'someone@', 'two words@example.com', 'a@@example.com', 'a@b@c.com', '<a@b.com>'])(
    'refuses %j',
    (value) => expectRefused(() => email('input.email', value), 'input.email', /not a valid email address/),
  );

  it('refuses an empty address as empty', () => expectRefused(() => email('email', '  '), 'email', /must not be empty/));
});

describe('finite and optionalFinite', () => {
  it('keep finite numbers', () => {
    expect(finite('value', -0.5)).toBe(-0.5);
    expect(finite('value', Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(optionalFinite('target', 3)).toBe(3);
    expect(optionalFinite('target', null)).toBeNull();
    expect(optionalFinite('target', undefined)).toBeUndefined();
  });

  it.each([Infinity, -Infinity, NaN])('refuse %s', (value) => {
    expectRefused(() => finite('value', value), 'value', /finite/);
    expectRefused(() => optionalFinite('target', value), 'target', /finite/);
  });

  it('refuses a value that is not a number', () => expectRefused(() => finite('value', '1' as never), 'value'));
});

describe('jsonObject', () => {
  it('keeps an object, however nested', () => {
    const params = { maxDepth: 6, features: ['tenure', 'plan'], early: { stop: true, rounds: null } };
    expect(jsonObject('params', params)).toBe(params);
    expect(jsonObject('params', {})).toEqual({});
  });

  it.each([
    ['null', null],
    ['a list', [1, 2]],
    ['a string', 'maxDepth=6'],
    ['a number', 42],
  ])('refuses %s', (_what, value) => {
    expectRefused(() => jsonObject('params', value), 'params', /JSON object/);
  });

  it(`refuses an object over ${LIMITS.params} characters as JSON`, () => {
    expectRefused(() => jsonObject('params', { big: 'x'.repeat(LIMITS.params) }), 'params', /at most 100000 characters/);
  });

  it('refuses a key or a string value, however deep, that cannot be stored', () => {
    expectRefused(() => jsonObject('params', { 'key\u0000': 1 }), 'params', /cannot be stored/);
    expectRefused(() => jsonObject('params', { a: { b: ['x', 'y\ud800'] } }), 'params', /cannot be stored/);
  });
});

describe('validDate', () => {
  it('keeps a date between the years 1 and 9999', () => {
    const at = new Date('2026-11-26T10:00:00Z');
    expect(validDate('observedAt', at)).toBe(at);
    expect(validDate('observedAt', new Date('9999-12-31T23:59:59.999Z')).getUTCFullYear()).toBe(9999);
  });

  it('refuses an invalid date and the years 0 and 10000', () => {
    expectRefused(() => validDate('observedAt', new Date('yesterday')), 'observedAt', /valid date-time/);
    expectRefused(() => validDate('observedAt', new Date('0000-01-01T00:00:00Z')), 'observedAt', /between the years 1 and 9999/);
    expectRefused(() => validDate('observedAt', new Date('+010000-01-01T00:00:00Z')), 'observedAt', /between the years 1 and 9999/);
  });
});

describe('metrics and mergeMetrics', () => {
  it('keeps the last value of a key given twice, in the order keys were first seen', () => {
    expect(
      metrics('metrics', [
        { key: 'loss', value: 0.9 },
        { key: 'auc', value: 0.7 },
        { key: 'loss', value: 0.4 },
      ]),
    ).toEqual([
      { key: 'loss', value: 0.4 },
      { key: 'auc', value: 0.7 },
    ]);
  });

  it('names the metric at fault', () => {
    expectRefused(
      () =>
        metrics('metrics', [
          { key: 'auc', value: 1 },
          { key: ' ', value: 1 },
        ]),
      'metrics[1].key',
    );
    expectRefused(() => metrics('metrics', [{ key: 'auc', value: Infinity }]), 'metrics[0].value');
  });

  it(`takes at most ${LIMITS.metrics} metrics`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m${i}`, value: i }));
    expect(metrics('metrics', many(LIMITS.metrics))).toHaveLength(LIMITS.metrics);
    expectRefused(() => metrics('metrics', many(LIMITS.metrics + 1)), 'metrics', /at most 1000 metrics/);
  });

  it('merges new values in: existing keys keep their place and take the new value, new keys follow', () => {
    expect(
      mergeMetrics(
        [
          { key: 'loss', value: 0.9 },
          { key: 'auc', value: 0.7 },
        ],
        [
          { key: 'f1', value: 0.55 },
          { key: 'loss', value: 0.3 },
        ],
      ),
    ).toEqual([
      { key: 'loss', value: 0.3 },
      { key: 'auc', value: 0.7 },
      { key: 'f1', value: 0.55 },
    ]);
  });
});

describe('applyChanges', () => {
  it('applies what differs and returns it as from/to; undefined and equal values are no change', () => {
    const goal = { title: 'Cut churn', description: null as string | null, tags: ['a'], status: 'ACTIVE' };
    const changes = applyChanges(goal, { title: 'Cut churn', description: 'Now described', tags: ['a'], status: undefined });
    expect(changes).toEqual({ description: { from: null, to: 'Now described' } });
    expect(goal).toEqual({ title: 'Cut churn', description: 'Now described', tags: ['a'], status: 'ACTIVE' });
  });

  it('reads a field the entity lacks as null', () => {
    const entity: { note?: string } = {};
    expect(applyChanges(entity, { note: 'first' })).toEqual({ note: { from: null, to: 'first' } });
  });
});

describe('oneOf', () => {
  const STAGES = { staging: 'STAGING', production: 'PRODUCTION' } as const;

  it('keeps a value of the enum and refuses any other, naming it', () => {
    expect(oneOf('toStage', 'PRODUCTION', STAGES)).toBe('PRODUCTION');
    expectRefused(() => oneOf('toStage', 'production' as never, STAGES), 'toStage', /unknown value "production"/);
  });
});
