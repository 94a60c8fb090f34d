import type { EntityManager } from '@mikro-orm/knex';
import { Stage } from '../enums';
import { LifecycleEvent } from '../event/lifecycle-event.entity';

/** One stage change of a version, from its STAGE_CHANGED event. */
interface StageChange {
  versionId: number;
  toStage: Stage;
  at: Date;
}

/**
 * Which version of a goal's models was in PRODUCTION at any moment, from the goal's STAGE_CHANGED
 * events (the trail is the stage history). When several were (one per model), the one that entered
 * PRODUCTION last counts, as for values recorded live.
 */
export class StageHistory {
  private constructor(private readonly changes: readonly StageChange[]) {}

  static async ofGoal(em: EntityManager, goalId: number): Promise<StageHistory> {
    const events = await em.find(
      LifecycleEvent,
      { goalId, type: 'STAGE_CHANGED' },
      { orderBy: { id: 'asc' }, fields: ['modelVersionId', 'data', 'createdAt'] },
    );
    return new StageHistory(events.map((e) => ({ versionId: e.modelVersionId!, toStage: (e.data as { toStage: Stage }).toStage, at: e.createdAt })));
  }

  /** The database id of the version in PRODUCTION at `at`, or null. */
  productionAt(at: Date): number | null {
    const entered = this.inProductionAt(at);
    let latest: [number, number] | null = null;
    for (const [versionId, i] of entered) if (!latest || i > latest[1]) latest = [versionId, i];
    return latest?.[0] ?? null;
  }

  /** Whether that version was in PRODUCTION at `at` (beside other models' versions). */
  wasInProduction(versionId: number, at: Date): boolean {
    return this.inProductionAt(at).has(versionId);
  }

  /** The versions in PRODUCTION at `at`, each with the position of the change that put it there. */
  private inProductionAt(at: Date): Map<number, number> {
    const entered = new Map<number, number>();
    this.changes.forEach((change, i) => {
      if (change.at > at) return;
      if (change.toStage === Stage.PRODUCTION) entered.set(change.versionId, i);
      else entered.delete(change.versionId);
    });
    return entered;
  }
}
