import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * An object type's large columns (JSON documents such as a model card or a run's params) and the
 * fields that are known not to read any of them. The fields of the type not listed as light may
 * read anything, so selecting one of them reads the whole row.
 */
export interface HeavyColumns {
  /** Properties of the row, each shown by the field of the same name. */
  heavy: readonly string[];
  /** The fields a selection may hold and still leave columns out: the light ones and the heavy ones. */
  narrowable: ReadonlySet<string>;
  /** `unreadColumns`'s answers, per field node (or list of them) of a document. */
  unread: WeakMap<object, readonly string[]>;
}

/** Declares the heavy columns of a type; `light` lists the fields that read none of them. */
export function heavyColumns(heavy: readonly string[], light: readonly string[]): HeavyColumns {
  return { heavy, narrowable: new Set(['__typename', ...light, ...heavy]), unread: new WeakMap() };
}

/** The names of the fields selected under `selections`, through fragments; true once one is not wanted. */
function collect(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  wanted: ReadonlySet<string>,
  into: Set<string>,
  visited: Set<string>,
): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (!wanted.has(selection.name.value)) return true;
      into.add(selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (collect(selection.selectionSet, fragments, wanted, into, visited)) return true;
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (!fragment || collect(fragment.selectionSet, fragments, wanted, into, visited)) return true;
    }
  }
  return false;
}

/**
 * The heavy columns the field being resolved does not need: those whose field its selection
 * leaves out, when everything else it selects is light; none when it selects any other field.
 * `@skip` and `@include` are not evaluated (a field that may be skipped counts as selected), so the
 * answer errs towards reading more. Kept per field of the document: a cached document costs a
 * lookup.
 */
export function unreadColumns(info: GraphQLResolveInfo, shape: HeavyColumns): readonly string[] {
  // One node: the node, the same in every execution of a cached document. Several (a field asked
  // for more than once): their list, the same for every sibling object in one execution.
  const key = info.fieldNodes.length === 1 ? info.fieldNodes[0] : info.fieldNodes;
  const known = shape.unread.get(key);
  if (known) return known;
  const selected = new Set<string>();
  const visited = new Set<string>();
  const readsAll = info.fieldNodes.some((node) => collect(node.selectionSet, info.fragments, shape.narrowable, selected, visited));
  const unread = readsAll ? [] : shape.heavy.filter((k) => !selected.has(k));
  shape.unread.set(key, unread);
  return unread;
}
