import { registerEnumType } from 'type-graphql';
import { DriftKind, DriftStatus, Severity } from '../../domain/drift/drift-flag.entity';
import { LifecycleEventType } from '../../domain/aggregates';
import { FeedbackVerdict } from '../../domain/feedback/feedback.entity';
import { PromotionStatus } from '../../domain/promotion/promotion-request.entity';
import { ReviewDecision } from '../../domain/promotion/review.entity';

registerEnumType(PromotionStatus, { name: 'PromotionStatus' });
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });
registerEnumType(DriftKind, { name: 'DriftKind' });
registerEnumType(Severity, { name: 'Severity' });
registerEnumType(DriftStatus, { name: 'DriftStatus' });
registerEnumType(FeedbackVerdict, { name: 'FeedbackVerdict' });
registerEnumType(LifecycleEventType, { name: 'LifecycleEventType' });

export { DriftKind, DriftStatus, FeedbackVerdict, LifecycleEventType, PromotionStatus, ReviewDecision, Severity };
