import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors';
import { dbId, fromGlobalId, toGlobalId } from '../../src/domain/ids';
import { thrown } from '../helpers/errors';
import { b64 } from '../helpers/ids';

describe('global IDs', () => {
  it('are base64url of "Type:id", with no padding', () => {
    expect(toGlobalId('Goal', 12)).toBe(b64('Goal:12'));
    expect(toGlobalId('ModelVersion', 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('give back their type and number', () => {
    for (const [type, id] of [
      ['Goal', 1],
      ['PromotionRequest', 2 ** 31 - 1],
      ['User', 987_654],
    ] as const) {
      expect(fromGlobalId(toGlobalId(type, id))).toEqual({ type, id });
    }
  });

  it('keep the type: the same number of two types makes two IDs', () => {
    expect(toGlobalId('Goal', 7)).not.toBe(toGlobalId('User', 7));
  });

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['text that is not base64url', 'not an id!'],
    ['the raw database number', '12'],
    ['standard base64 with padding', Buffer.from('Goal:12').toString('base64')],
    ['a canonical ID with padding added', `${b64('Goal:1')}=`],
    ['a type with a digit', b64('Goal2:1')],
    ['no type', b64(':1')],
    ['no number', b64('Goal:')],
    ['id 0', b64('Goal:0')],
    ['a negative id', b64('Goal:-1')],
    ['a leading zero', b64('Goal:01')],
    ['a fractional id', b64('Goal:1.5')],
    ['an id past 2^31-1 (keys are 32-bit integers)', b64(`Goal:${2 ** 31}`)],
    ['more than ten digits', b64('Goal:12345678901')],
    ['something after the number', b64('Goal:1 or 1=1')],
    ['more than 200 characters', 'A'.repeat(201)],
    ['a number instead of a string', 12],
  ])('are not made of %s: fromGlobalId answers null', (_what, value) => {
    expect(fromGlobalId(value as string)).toBeNull();
  });
});

describe('dbId', () => {
  it('is the number behind an ID of the type asked for, or of one of the types asked for', () => {
    expect(dbId('Goal', toGlobalId('Goal', 5))).toBe(5);
    expect(dbId(['Goal', 'Model'], toGlobalId('Model', 9))).toBe(9);
  });

  it.each<[string, string | string[], string, string]>([
    ['an ID of another type', 'Goal', toGlobalId('User', 5), `Goal ${JSON.stringify(toGlobalId('User', 5))} does not exist.`],
    ['a malformed ID', 'Goal', 'garbage', 'Goal "garbage" does not exist.'],
    ['an ID of none of the types', ['Goal', 'Model'], toGlobalId('Kpi', 1), `Object ${JSON.stringify(toGlobalId('Kpi', 1))} does not exist.`],
  ])('answers NOT_FOUND for %s', (_what, types, id, message) => {
    const error = thrown(() => dbId(types, id));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message });
  });

  it('names the object as the caller calls it', () => {
    expect(() => dbId(['Goal', 'ModelVersion'], 'x', 'Subject')).toThrow('Subject "x" does not exist.');
  });
});
