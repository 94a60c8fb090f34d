import { describe, expect, it } from 'vitest';
import { Role } from '../../../src/domain/enums';
import { missingRoles } from '../../../src/domain/promotion/promotion.repository';
import { ReviewDecision } from '../../../src/domain/promotion/review.entity';

const { SME, ML_ENGINEER, RISK_MANAGER, ADMIN } = Role;
const { APPROVE, REJECT } = ReviewDecision;

describe('missingRoles: the required roles that have not approved yet', () => {
  it('is every required role, in requiredRoles order, before any review', () => {
    expect(missingRoles({ requiredRoles: [RISK_MANAGER, SME] }, [])).toEqual([RISK_MANAGER, SME]);
  });

  it('drops a role once someone approved as it, and keeps the order of the rest', () => {
    const request = { requiredRoles: [SME, RISK_MANAGER, ADMIN] };
    expect(missingRoles(request, [{ role: RISK_MANAGER, decision: APPROVE }])).toEqual([SME, ADMIN]);
    expect(
      missingRoles(request, [
        { role: ADMIN, decision: APPROVE },
        { role: SME, decision: APPROVE },
      ]),
    ).toEqual([RISK_MANAGER]);
  });

  it('does not count a rejection as an approval', () => {
    expect(missingRoles({ requiredRoles: [SME, RISK_MANAGER] }, [{ role: SME, decision: REJECT }])).toEqual([SME, RISK_MANAGER]);
  });

  it('ignores approvals as roles the request does not need', () => {
    expect(missingRoles({ requiredRoles: [ML_ENGINEER] }, [{ role: SME, decision: APPROVE }])).toEqual([ML_ENGINEER]);
  });

  it('is empty when every required role approved, and for a request that needs no one', () => {
    expect(
      missingRoles({ requiredRoles: [SME, RISK_MANAGER] }, [
        { role: SME, decision: APPROVE },
        { role: RISK_MANAGER, decision: APPROVE },
      ]),
    ).toEqual([]);
    expect(missingRoles({ requiredRoles: [] }, [])).toEqual([]);
  });
});
