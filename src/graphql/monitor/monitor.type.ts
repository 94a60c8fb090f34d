import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { RowOf } from '../../db/reader';
import { Monitor, MonitorCondition, MonitorSource } from '../../domain/monitor/monitor.entity';
import { Severity } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';

registerEnumType(MonitorSource, {
  name: 'MonitorSource',
  description: 'What a monitor watches.',
  valuesConfig: {
    KPI: { description: 'Each new value of the KPI.' },
    VERSION_METRIC: { description: 'Each new value of a metric logged for the version in production (metricKey).' },
  },
});

registerEnumType(MonitorCondition, {
  name: 'MonitorCondition',
  description: 'When an observation breaches a monitor.',
  valuesConfig: {
    ABOVE: { description: 'Greater than the threshold.' },
    BELOW: { description: 'Less than the threshold.' },
    WORSE_THAN_BASELINE_PCT: { description: "Worse than the KPI's baseline, in its direction, by more than threshold percent." },
  },
});

export interface MonitorType extends Pick<RowOf<Monitor>, 'goalId' | 'kpiId' | 'modelId' | 'createdById'> {}

@ObjectType('Monitor', {
  implements: NodeBase,
  simpleResolvers: true,
  description: 'A rule on a KPI or a version metric: each new value that breaches it raises drift (origin MONITOR) on the version in production.',
})
export class MonitorType extends NodeBase implements Partial<RowOf<Monitor>> {
  get typeName() {
    return 'Monitor';
  }

  @Field(() => String, { description: "The monitor's name." })
  name!: string;

  @Field(() => MonitorSource, { description: 'What it watches.' })
  source!: MonitorSource;

  @Field(() => String, { nullable: true, description: 'The metric key, for VERSION_METRIC; null for a KPI monitor.' })
  metricKey!: string | null;

  @Field(() => MonitorCondition, { description: 'When a value breaches it.' })
  condition!: MonitorCondition;

  @Field(() => Float, { description: 'The limit, in the unit of the values; a percentage for WORSE_THAN_BASELINE_PCT.' })
  threshold!: number;

  @Field(() => Int, { description: 'Consecutive breaching observations needed before a flag is raised (default 1).' })
  window!: number;

  @Field(() => Severity, { description: 'The severity of the flags it raises.' })
  severity!: Severity;

  @Field(() => Int, { nullable: true, description: 'Healthy observations in a row after which the monitor resolves its open flag; null: never.' })
  autoResolveAfter!: number | null;

  @Field(() => Boolean, { description: 'Whether it is paused: a paused monitor evaluates nothing.' })
  paused!: boolean;

  @Field(() => Date, { description: 'When it was created.' })
  createdAt!: Date;
}

export { MonitorCondition, MonitorSource };
