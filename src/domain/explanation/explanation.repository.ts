import { OLDEST_FIRST, type Reader, type RowOf } from '../../db/reader';
import { PredictionExplanation } from './explanation.entity';

/** Reads about explained outcomes. */
export const explanationRepository = {
  /** The explanation of one subject's outcome by a version, or null. */
  async bySubject(reader: Reader, modelVersionId: number, subjectKey: string): Promise<RowOf<PredictionExplanation> | null> {
    return reader.first(PredictionExplanation, { modelVersionId, subjectKey }, OLDEST_FIRST);
  },
};
