// Finds the `{{…}}` of a prompt template that print a group of values instead of text (`{{this}}` at the top, or
// inside `{{#each this}}` or `{{#with characters}}`), which Handlebars would send as "[object Object]".

/** The helper each printed value passes through (a name no template may use: other helpers are refused). */
export const PRINT_HELPER = '__storyboard_print';

type Loc = { start: { line: number; column: number }; end: { line: number; column: number } };
type AnyNode = { type: string; loc?: Loc; [k: string]: unknown };

/** A printed value that is not text, with the `{{…}}` that printed it. */
export interface NotText {
  readonly node: AnyNode;
  /** What was printed: `vars`, `characters`, `styles`, or the whole scope. */
  readonly what: string;
  readonly list: boolean;
}

/**
 * Rewrites every plain `{{name}}` of the parsed template into a call of {@link PRINT_HELPER}, which sees the
 * value Handlebars resolved (in whatever block it sits) before it becomes text. Returns the rewritten nodes, by
 * the index the helper receives.
 */
export function routePrints(root: AnyNode): AnyNode[] {
  const printed: AnyNode[] = [];
  const walk = (node: AnyNode | undefined): void => {
    if (!node) return;
    if (node.type === 'Program') for (const s of node.body as AnyNode[]) walk(s);
    if (node.type === 'BlockStatement') {
      walk(node.program as AnyNode | undefined);
      walk(node.inverse as AnyNode | undefined);
    }
    const path = node.path as AnyNode | undefined;
    const params = (node.params as AnyNode[] | undefined) ?? [];
    if (node.type !== 'MustacheStatement' || params.length > 0 || path?.type !== 'PathExpression') return;
    // the value stays a strict lookup, as it was: a name missing inside a block still fails the render
    node.params = [{ ...path, strict: true }, { type: 'NumberLiteral', value: printed.length, original: printed.length, loc: path.loc }];
    node.path = { type: 'PathExpression', data: false, depth: 0, parts: [PRINT_HELPER], original: PRINT_HELPER, loc: path.loc };
    printed.push(node);
  };
  walk(root);
  return printed;
}

/**
 * The helper that watches what the rewritten `{{…}}` print: a value that is an object or a list is recorded
 * (once per `{{…}}`) in `found`, named after the group of `context` it is.
 */
export function printWatcher(context: Record<string, unknown>, nodes: readonly AnyNode[], found: Map<number, NotText>): (value: unknown, at: number) => unknown {
  const names = new Map<unknown, string>([[context, 'the whole template scope']]);
  for (const ns of ['vars', 'characters', 'styles']) names.set(context[ns], `\`${ns}\``);
  return (value, at) => {
    // a character prints as its text (see CharacterValue in templates.ts)
    if (value instanceof String) return String(value);
    const node = nodes[at];
    if (value !== null && typeof value === 'object' && node && !found.has(at)) {
      found.set(at, { node, what: names.get(value) ?? 'a group of values', list: Array.isArray(value) });
    }
    return value;
  };
}
