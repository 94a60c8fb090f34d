import type { NodeType } from './aggregate';

const byName = new Map<string, NodeType>();
const byEntity = new Map<abstract new (...args: never[]) => object, NodeType>();

/** Registers the node types `aggregates.ts` collects; a name or entity registered twice is a programming error. */
export function registerNodeTypes(types: readonly NodeType[]): void {
  for (const type of types) {
    if (byName.has(type.name) || byEntity.has(type.entity)) throw new Error(`node type ${type.name} is declared twice`);
    byName.set(type.name, type);
    byEntity.set(type.entity, type);
  }
}

/** The node type of that name, or undefined. */
export function nodeTypeNamed(name: string): NodeType | undefined {
  return byName.get(name);
}

/** The node type of an entity; an entity of no node type is a programming error, not a silent `null`. */
export function nodeTypeOf(entity: object): NodeType {
  const type = byEntity.get(entity.constructor as abstract new (...args: never[]) => object);
  if (!type) throw new Error(`${entity.constructor.name} is not the entity of a node type; declare it in its aggregate`);
  return type;
}

/** Every node type, in declaration order. */
export function nodeTypes(): NodeType[] {
  return [...byName.values()];
}
