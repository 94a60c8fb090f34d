import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/db/reader';
import { DomainError } from '../../src/domain/errors';
import { thrown } from '../helpers/errors';
import { b64 } from '../helpers/ids';

describe('encodeCursor and decodeCursor (the `after` cursors of connections)', () => {
  it.each<[string, unknown[]]>([
    ['an id', [42]],
    ['a date as epoch milliseconds and an id', [1_767_225_600_000, 7]],
    ['a severity rank, a date and an id', [3, 1_767_225_600_000, 7]],
    ['a string key and an id', ['churn-model', 12]],
    ['a negative and a fractional number', [-1.5, 0]],
  ])('give back the values of %s', (_what, values) => {
    expect(decodeCursor(encodeCursor(values), values.length)).toEqual(values);
  });

  it('encode dates as their epoch milliseconds', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    expect(decodeCursor(encodeCursor([at, 5]), 2)).toEqual([at.getTime(), 5]);
  });

  it('are opaque base64url text, not the values themselves', () => {
    const cursor = encodeCursor(['churn-model', 12]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('churn-model');
    expect(cursor).not.toContain('12');
  });

  it('read no cursor (null or left out) as the first page', () => {
    expect(decodeCursor(null, 1)).toBeNull();
    expect(decodeCursor(undefined, 2)).toBeNull();
  });

  it.each<[string, string, number]>([
    ['an empty string', '', 1],
    ['text that is not base64url JSON', 'not a cursor', 1],
    ['base64url of text that is not JSON', b64('[1,'), 1],
    ['a JSON object', b64('{"id":1}'), 1],
    ['a JSON number instead of a list', b64('1'), 1],
    ['a list with a null', b64('[null]'), 1],
    ['a list with a boolean', b64('[true]'), 1],
    ['a list with a nested list', b64('[[1]]'), 1],
    ['a list with an object', b64('[{"id":1}]'), 1],
    ['a number too large to be finite (1e400)', b64('[1e400]'), 1],
    ['a number too small to be finite (-1e400)', b64('[-1e400]'), 1],
    ['one value where the order has two', encodeCursor([1]), 2],
    ['two values where the order has one', encodeCursor([1_767_225_600_000, 1]), 1],
    ['no values', encodeCursor([]), 1],
  ])('refuse %s with BAD_USER_INPUT on `after`', (_what, cursor, length) => {
    const error = thrown(() => decodeCursor(cursor, length));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after', message: expect.stringMatching(/cursor/) });
  });
});
