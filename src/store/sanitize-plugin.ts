/**
 * Every string a query sends to the database goes through `sanitizeText` (src/domain/text.ts): NUL
 * and other control characters removed, lone surrogates replaced. PostgreSQL refuses NUL in text
 * (a 500) while SQLite stores it; with this plugin both databases store the same text, whatever
 * path wrote it (form, report entry, import, CLI).
 */
import {
  OperationNodeTransformer, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs,
  type PrimitiveValueListNode, type QueryResult, type RootOperationNode, type UnknownRow, type ValueNode,
} from 'kysely';
import { sanitizeText } from '../domain/text.ts';

const clean = (v: unknown): unknown => (typeof v === 'string' ? sanitizeText(v) : v);

class SanitizeTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === 'string' ? { ...node, value: sanitizeText(node.value) } : node;
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map(clean) };
  }
}

export class SanitizeTextPlugin implements KyselyPlugin {
  readonly #transformer = new SanitizeTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
