import { readFileSync } from 'node:fs';
import { Role, Stage } from '../enums';

/** Which roles must approve a move to each target stage. An empty list applies the move at once. */
export type PromotionPolicy = Record<Exclude<Stage, Stage.NONE>, Role[]>;

export const DEFAULT_PROMOTION_POLICY: PromotionPolicy = {
  [Stage.STAGING]: [Role.ML_ENGINEER],
  [Stage.PRODUCTION]: [Role.SME, Role.RISK_MANAGER],
  [Stage.ARCHIVED]: [],
};

export class PolicyError extends Error {}

/** Validates a policy given as JSON, e.g. `{"STAGING":["ML_ENGINEER"],"PRODUCTION":["SME","RISK_MANAGER"],"ARCHIVED":[]}`. */
export function parsePromotionPolicy(json: string, source: string): PromotionPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new PolicyError(`${source}: not valid JSON`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyError(`${source}: must be a JSON object keyed by stage`);
  const policy: PromotionPolicy = { ...DEFAULT_PROMOTION_POLICY };
  for (const [stage, roles] of Object.entries(raw)) {
    if (!(stage in DEFAULT_PROMOTION_POLICY)) throw new PolicyError(`${source}: unknown target stage "${stage}" (STAGING, PRODUCTION or ARCHIVED)`);
    if (!Array.isArray(roles) || roles.some((r) => !(Object.values(Role) as unknown[]).includes(r))) {
      throw new PolicyError(`${source}: ${stage} must list roles among ${Object.values(Role).join(', ')}`);
    }
    policy[stage as keyof PromotionPolicy] = [...new Set(roles as Role[])];
  }
  return policy;
}

/** The policy from `PROMOTION_POLICY` (JSON) or `PROMOTION_POLICY_FILE` (a JSON file), else the default. */
export function loadPromotionPolicy(env: NodeJS.ProcessEnv): PromotionPolicy {
  if (env.PROMOTION_POLICY) return parsePromotionPolicy(env.PROMOTION_POLICY, 'PROMOTION_POLICY');
  if (env.PROMOTION_POLICY_FILE) {
    let text: string;
    try {
      text = readFileSync(env.PROMOTION_POLICY_FILE, 'utf8');
    } catch (err) {
      throw new PolicyError(`PROMOTION_POLICY_FILE: cannot read ${env.PROMOTION_POLICY_FILE} (${(err as NodeJS.ErrnoException).code})`);
    }
    return parsePromotionPolicy(text, 'PROMOTION_POLICY_FILE');
  }
  return DEFAULT_PROMOTION_POLICY;
}
