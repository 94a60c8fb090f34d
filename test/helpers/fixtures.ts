import { createHash } from 'node:crypto';
import { CreateGoalDocument, CreateModelVersionDocument, RegisterModelDocument } from '../../src/generated/operations';
import { ok } from './client';
import type { Person, TestHub } from './hub';

/** What to call a new goal and its model. */
export interface GoalNames {
  title: string;
  businessQuestion: string;
  model: string;
}

/** A made-up sha256 for a version's artifact: a PRODUCTION request under the default policy needs one. */
export function artifactDigest(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

/**
 * A goal (created by the SME) with a model (registered by the scientist) and one version of it per
 * entry of `versionsBy`, made by that person in that order (v1, v2, …); all new.
 */
export async function goalWithModel(hub: TestHub, names: GoalNames, versionsBy: readonly Person[] = ['scientist']) {
  const goal = ok(await hub.as('sme', CreateGoalDocument, { input: { title: names.title, businessQuestion: names.businessQuestion } })).createGoal
    .goal;
  const model = ok(await hub.as('scientist', RegisterModelDocument, { input: { goalId: goal.id, name: names.model } })).registerModel.model;
  const versions = [];
  for (const [i, who] of versionsBy.entries()) {
    const input = { modelId: model.id, artifactDigest: artifactDigest(`${names.model} ${i + 1}`) };
    versions.push(ok(await hub.as(who, CreateModelVersionDocument, { input })).createModelVersion.modelVersion);
  }
  return { goal, model, versions };
}

/** What to call a new goal and its model, and who creates the model's second version. */
export interface WorldNames extends GoalNames {
  secondVersionBy: Person;
}

/** A goal with a model and two versions of it, all new: v1 by the scientist, v2 by `secondVersionBy`. */
export async function goalWithTwoVersions(hub: TestHub, names: WorldNames) {
  const {
    goal,
    model,
    versions: [v1, v2],
  } = await goalWithModel(hub, names, ['scientist', names.secondVersionBy]);
  return { goal, model, v1, v2 };
}

/**
 * A suite's `world()`: each call makes a new goal, model and two versions (goalWithTwoVersions) on
 * the suite's hub, named by `names` from the suite's own count of calls (1, 2, …).
 */
export function worldMaker(hub: () => TestHub, names: (n: number) => WorldNames) {
  let counter = 0;
  return () => goalWithTwoVersions(hub(), names(++counter));
}
