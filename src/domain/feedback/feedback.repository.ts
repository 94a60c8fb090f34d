import { NEWEST_FIRST, type ChildList, type Reader, type RowOf } from '../../db/reader';
import { ModelVersion } from '../model/model-version.entity';
import { Feedback } from './feedback.entity';

/** Reads about feedback. */
export const feedbackRepository = {
  /** The feedback on each goal and its models, newest first. */
  ofGoal: { name: 'goal.feedback', entity: Feedback, parentKey: 'goalId', order: NEWEST_FIRST } satisfies ChildList<Feedback>,

  /** The feedback on each version, newest first. */
  ofVersion: { name: 'version.feedback', entity: Feedback, parentKey: 'modelVersionId', order: NEWEST_FIRST } satisfies ChildList<Feedback>,

  /** The newest feedback on any version of a model, or null. */
  async latestForModel(reader: Reader, modelId: number): Promise<RowOf<Feedback> | null> {
    const versions = reader.table(ModelVersion);
    return reader.first(
      Feedback,
      (qb) => {
        qb.whereIn('model_version_id', reader.knex(versions).select('id').where('model_id', modelId));
      },
      NEWEST_FIRST,
    );
  },
};
