import type { ChildList } from '../../db/reader';
import { Monitor } from './monitor.entity';

/** Reads about monitors. */
export const monitorRepository = {
  /** A goal's monitors, in the order they were created (at most MAX_MONITORS_PER_GOAL). */
  monitorsOf: {
    name: 'goal.monitors',
    entity: Monitor,
    parentKey: 'goalId',
    order: { props: ['id'], direction: 'asc' },
  } satisfies ChildList<Monitor>,
};
