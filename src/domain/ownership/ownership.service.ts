import { ref } from '@mikro-orm/core';
import { BUILDERS, hasAnyRole, requireViewer, type ServiceContext } from '../context';
import { Role } from '../enums';
import { badInput, forbidden, notFound } from '../errors';
import { Experiment } from '../experiment/experiment.entity';
import { Goal } from '../goal/goal.entity';
import { dbId, fromGlobalId, toGlobalId } from '../ids';
import { findLocked } from '../lookup';
import { Model } from '../model/model.entity';
import { write } from '../unit-of-work';
import { User } from '../user/user.entity';

export interface TransferOwnershipInput {
  subjectId: string;
  newOwnerId: string;
}

/** What can change hands, and who may own it: goals SMEs, models and experiments the people who build them. */
const OWNABLE = {
  Goal: { entity: Goal, roles: [Role.SME], name: (g: Goal) => `goal "${g.title}"` },
  Model: { entity: Model, roles: BUILDERS, name: (m: Model) => `model ${m.name}` },
  Experiment: { entity: Experiment, roles: BUILDERS, name: (e: Experiment) => `experiment "${e.name}"` },
} as const;
type OwnableType = keyof typeof OWNABLE;

export const ownershipService = {
  /** The current owner or ADMIN; the new owner must hold a role that may own it (ADMIN always does). */
  async transfer(ctx: ServiceContext, input: TransferOwnershipInput): Promise<{ type: OwnableType; id: number }> {
    const viewer = requireViewer(ctx);
    const target = fromGlobalId(input.subjectId);
    if (!target || !(target.type in OWNABLE)) throw notFound('Goal, model or experiment', JSON.stringify(input.subjectId));
    const type = target.type as OwnableType;
    const spec = OWNABLE[type];
    const newOwnerId = dbId('User', input.newOwnerId);
    return write(ctx, async (uow) => {
      const subject = (await findLocked(uow.em, spec.entity as typeof Goal, type, input.subjectId)) as Goal | Model | Experiment;
      const from = subject.owner.id;
      if (from !== viewer.id && !hasAnyRole(viewer, [Role.ADMIN]))
        throw forbidden(`Only the owner of the ${type.toLowerCase()} or an admin can hand it over.`);
      const newOwner = await uow.em.findOne(User, newOwnerId);
      if (!newOwner) throw notFound('User', JSON.stringify(input.newOwnerId));
      if (newOwner.id === from) throw badInput(`${newOwner.name} already owns it.`, 'newOwnerId');
      if (!hasAnyRole(newOwner, [...spec.roles, Role.ADMIN])) {
        throw badInput(
          `A ${type.toLowerCase()} can only be owned by ${spec.roles.join(', ')} or ADMIN; ${newOwner.name} holds ${newOwner.roles.join(', ')}.`,
          'newOwnerId',
        );
      }
      subject.owner = ref(newOwner);
      uow.record({
        type: 'OWNERSHIP_TRANSFERRED',
        subject,
        summary: `${uow.actor} handed the ${(spec.name as (s: typeof subject) => string)(subject)} to ${newOwner.name}`,
        data: { from: toGlobalId('User', from), to: toGlobalId('User', newOwner.id) },
      });
      return { type, id: subject.id };
    });
  },
};
