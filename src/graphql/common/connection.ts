import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { decodeCursor, encodeCursor, type Order, type PageArgs, type Slice } from '../../db/reader';
import { badInput } from '../../domain/errors';
import { MAX_MONITORS_PER_GOAL } from '../../domain/monitor/monitor.service';
import { MAX_ATTRIBUTIONS } from '../../domain/explanation/explanation.service';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * The most items a plain (non-connection) list field returns, and what the cost estimate charges
 * for it: 10, or the field's own cap here (lists kept in a row's JSON, such as metrics: 100).
 * `capPlainLists` (schema.ts) applies them to every such field; README "Limits" names the
 * connections that page through the whole of a capped list.
 */
export const LIST_CAPS: Readonly<Record<string, number>> = {
  'ModelVersion.metrics': 100,
  'Run.metrics': 100,
  'ModelCard.featureImportance': 100,
  // As many as the input may hold: these caps cut nothing.
  'ModelVersion.tags': 100,
  'Run.tags': 100,
  'Query.webhooks': 100,
  'Comment.mentions': 20,
  'Goal.monitors': MAX_MONITORS_PER_GOAL,
  'PredictionExplanation.attributions': MAX_ATTRIBUTIONS,
  'Run.metricHistory': 1_000,
};
export const PLAIN_LIST_CAP = 10;

/** The cap of the plain list field `type.field`. */
export function listCap(type: string, field: string): number {
  return LIST_CAPS[`${type}.${field}`] ?? PLAIN_LIST_CAP;
}

@ObjectType('PageInfo', {
  simpleResolvers: true,
  description: 'Where a page of a connection stands: whether more items follow and the cursors at its two ends.',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Whether items come before this page, that is whether `after` was given.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first item on this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The cursor of the last item on this page, to pass as `after` for the next page; null when the page is empty.',
  })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `How many, 0..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string | null;
}

/** `first` and `after` checked and decoded for a connection in `order`. */
export function pageArgs(args: ConnectionArgs, order: Order): PageArgs {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE} (got ${first}).`, 'first');
  }
  return { first, after: decodeCursor(args.after, order.props.length) };
}

/** A stable key for a set of page arguments, to share one loader between equal field calls. */
export function pageKey(args: PageArgs): string {
  return `${args.first}:${args.after ? JSON.stringify(args.after) : ''}`;
}

export interface ConnectionRecord<T> {
  readonly nodes: T[];
  readonly edges: { cursor: string; node: T }[];
  readonly pageInfo: PageInfo;
  readonly totalCount: Promise<number> | number;
}

/**
 * A connection over one page of rows. `edges` and `totalCount` are getters, so their work is done
 * only when a query selects them.
 */
export function connection<T extends Record<string, unknown> | object>(
  slice: Slice<T>,
  order: Order,
  args: PageArgs,
  totalCount: () => Promise<number>,
): ConnectionRecord<T> {
  const cursorOf = (row: T) => encodeCursor(order.props.map((p) => (row as Record<string, unknown>)[p === 'id' ? 'dbId' : p]));
  const { rows } = slice;
  return {
    nodes: rows,
    get edges() {
      return rows.map((node) => ({ cursor: cursorOf(node), node }));
    },
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      hasPreviousPage: args.after !== null,
      startCursor: rows.length ? cursorOf(rows[0]) : null,
      endCursor: rows.length ? cursorOf(rows[rows.length - 1]) : null,
    },
    get totalCount() {
      return totalCount();
    },
  };
}

type ClassType<T> = abstract new (...args: never[]) => T;

/** The `XEdge` and `XConnection` types for a node type, as the contract spells them. */
export function ConnectionType<T>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `An edge of ${name}Connection: one ${name} and its cursor.` })
  class Edge {
    @Field(() => String, { description: 'An opaque position in the list; pass it as `after` for the items that follow.' })
    cursor!: string;

    @Field(() => node, { description: `The ${name} itself.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `One page of a list of ${name} objects (Relay connection), in the order its field states.`,
  })
  class Connection {
    @Field(() => [Edge], { description: 'The items on this page with their cursors.' })
    edges!: Edge[];

    @Field(() => [node], { description: 'The items on this page, when no cursors are needed.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursor to ask for the next one.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds, over all pages.' })
    totalCount!: number;
  }
  return Connection;
}
