import type { EntityManager } from '@mikro-orm/knex';
import type { NodeType } from './aggregate';
import { Goal } from './goal/goal.entity';
import { Model } from './model/model.entity';

/** The owner of an object: its type's own rule, else the owner of the model it sits under, else of its goal. */
export async function ownerOf(em: EntityManager, type: NodeType, id: number): Promise<number | null> {
  if (type.owner) return type.owner(em, id);
  const scope = await type.scope(em, id);
  if (scope.modelId) return (await em.findOneOrFail(Model, scope.modelId)).owner.id;
  if (scope.goalId) return (await em.findOneOrFail(Goal, scope.goalId)).owner.id;
  return null;
}
