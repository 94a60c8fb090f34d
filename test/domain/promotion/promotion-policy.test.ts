import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Role } from '../../../src/domain/enums';
import { DEFAULT_PROMOTION_POLICY, loadPromotionPolicy, parsePromotionPolicy, PolicyError } from '../../../src/domain/promotion/promotion-policy';

const { SME, ML_ENGINEER, RISK_MANAGER, ADMIN } = Role;

describe('parsePromotionPolicy', () => {
  it('takes the roles of each stage given, in their order, and keeps the default for the stages left out', () => {
    expect(parsePromotionPolicy('{"PRODUCTION": ["RISK_MANAGER", "SME"], "ARCHIVED": ["ADMIN"]}', 'PROMOTION_POLICY')).toEqual({
      STAGING: [ML_ENGINEER],
      PRODUCTION: [RISK_MANAGER, SME],
      ARCHIVED: [ADMIN],
    });
    expect(parsePromotionPolicy('{}', 'PROMOTION_POLICY')).toEqual(DEFAULT_PROMOTION_POLICY);
  });

  it('takes an empty list as "applied at once", and a role named twice once', () => {
    expect(parsePromotionPolicy('{"STAGING": [], "PRODUCTION": ["SME", "SME", "RISK_MANAGER", "SME"]}', 'p')).toMatchObject({
      STAGING: [],
      PRODUCTION: [SME, RISK_MANAGER],
    });
  });

  it('leaves the default policy as it was', () => {
    const before = structuredClone(DEFAULT_PROMOTION_POLICY);
    parsePromotionPolicy('{"STAGING": [], "PRODUCTION": ["ADMIN"]}', 'p');
    expect(DEFAULT_PROMOTION_POLICY).toEqual(before);
    expect(DEFAULT_PROMOTION_POLICY).toEqual({ STAGING: [ML_ENGINEER], PRODUCTION: [SME, RISK_MANAGER], ARCHIVED: [] });
  });

  it.each([
    ['text that is not JSON', '{STAGING: []}', 'PROMOTION_POLICY: not valid JSON'],
    ['a JSON list', '[["STAGING", []]]', 'PROMOTION_POLICY: must be a JSON object keyed by stage'],
    ['null', 'null', 'PROMOTION_POLICY: must be a JSON object keyed by stage'],
    ['a number', '3', 'PROMOTION_POLICY: must be a JSON object keyed by stage'],
    ['the stage NONE', '{"NONE": []}', 'PROMOTION_POLICY: unknown target stage "NONE" (STAGING, PRODUCTION or ARCHIVED)'],
    ['a stage in lower case', '{"staging": ["ML_ENGINEER"]}', 'PROMOTION_POLICY: unknown target stage "staging" (STAGING, PRODUCTION or ARCHIVED)'],
    [
      'roles that are not a list',
      '{"STAGING": "ML_ENGINEER"}',
      'PROMOTION_POLICY: STAGING must list roles among SME, DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER, RISK_MANAGER, ADMIN',
    ],
    [
      'an unknown role',
      '{"PRODUCTION": ["SME", "CEO"]}',
      'PROMOTION_POLICY: PRODUCTION must list roles among SME, DATA_SCIENTIST, DATA_ENGINEER, ML_ENGINEER, RISK_MANAGER, ADMIN',
    ],
  ])('refuses %s with the reason, naming where it came from', (_what, json, message) => {
    expect(() => parsePromotionPolicy(json, 'PROMOTION_POLICY')).toThrow(new PolicyError(message));
  });
});

describe('loadPromotionPolicy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promotion-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('is the default policy when neither PROMOTION_POLICY nor PROMOTION_POLICY_FILE is set', () => {
    expect(loadPromotionPolicy({})).toEqual(DEFAULT_PROMOTION_POLICY);
  });

  it('reads PROMOTION_POLICY as JSON', () => {
    expect(loadPromotionPolicy({ PROMOTION_POLICY: '{"STAGING": []}' })).toMatchObject({ STAGING: [], PRODUCTION: [SME, RISK_MANAGER] });
  });

  it('reads the file PROMOTION_POLICY_FILE names', () => {
    const path = file('policy.json', '{"PRODUCTION": ["RISK_MANAGER"]}');
    expect(loadPromotionPolicy({ PROMOTION_POLICY_FILE: path })).toMatchObject({ PRODUCTION: [RISK_MANAGER] });
  });

  it('prefers PROMOTION_POLICY when both are set', () => {
    const path = file('ignored.json', '{"PRODUCTION": ["ADMIN"]}');
    expect(loadPromotionPolicy({ PROMOTION_POLICY: '{"PRODUCTION": ["SME"]}', PROMOTION_POLICY_FILE: path })).toMatchObject({ PRODUCTION: [SME] });
  });

  it('refuses a file it cannot read, and a malformed one, naming PROMOTION_POLICY_FILE', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadPromotionPolicy({ PROMOTION_POLICY_FILE: missing })).toThrow(
      new PolicyError(`PROMOTION_POLICY_FILE: cannot read ${missing} (ENOENT)`),
    );
    const bad = file('bad.json', '{"STAGING": ["INTERN"]}');
    expect(() => loadPromotionPolicy({ PROMOTION_POLICY_FILE: bad })).toThrow(/^PROMOTION_POLICY_FILE: STAGING must list roles among/);
  });
});
