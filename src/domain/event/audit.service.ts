import { authorize, type ServiceContext } from '../context';
import { Role } from '../enums';
import { verifyChain, type ChainVerification } from './chain';

export const auditService = {
  /** ADMIN (or the operator). Walks the whole event chain; see `verifyChain`. */
  verify(ctx: ServiceContext): Promise<ChainVerification> {
    authorize(ctx, 'auditVerification', [Role.ADMIN]);
    return verifyChain(ctx.reader);
  },
};
