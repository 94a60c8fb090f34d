import { Comment } from '../../domain/comment/comment.entity';
import type { GraphQLModule } from '../module';
import { CommentResolver, DiscussableResolver } from './comment.resolver';
import { CommentType } from './comment.type';

export const commentApi: GraphQLModule = {
  resolvers: [DiscussableResolver, CommentResolver],
  records: [[Comment, CommentType]],
};
