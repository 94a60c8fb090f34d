import { registerEnumType } from 'type-graphql';
import { GoalStatus, KpiDirection, Origin, PrincipalKind, Role, RunStatus, Stage } from '../../domain/enums';

registerEnumType(Role, { name: 'Role', description: 'The people of MLOps. A user may hold several roles.' });
registerEnumType(Origin, { name: 'Origin', description: 'Where an action came from.' });
registerEnumType(GoalStatus, { name: 'GoalStatus' });
registerEnumType(KpiDirection, { name: 'KpiDirection' });
registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(Stage, { name: 'Stage' });
registerEnumType(PrincipalKind, { name: 'PrincipalKind', description: 'A person, or a service account (a pipeline, a CI job) that never reviews.' });

export { GoalStatus, KpiDirection, Origin, PrincipalKind, Role, RunStatus, Stage };
