// The single-dialect build loads in about a sixth of the time of the package root, which
// compiles the grammars of every dialect on first use.
import { Parser } from 'node-sql-parser/build/snowflake';
import { detachedCopy } from '../source';
import { type AstNode, isNode } from './canonical';

/** A query body parsed once; the AST is shared through the cache and must not be mutated. */
export interface ParsedQuery {
  readonly sql: string;
  readonly ast: AstNode;
}

/** Enough for the query bodies of a large migration repository without unbounded growth. */
const CACHE_SIZE = 4000;

// `null` records a failed parse, so that unparsable bodies are not retried on every keystroke.
const cache = new Map<string, ParsedQuery | null>();
let parser: Parser | undefined;

/**
 * Parses one query body with node-sql-parser's Snowflake grammar, memoised by its exact text in
 * a small LRU because the parser is slow (a few hundred KB/s). Gives undefined when the text does
 * not parse or holds anything but exactly one statement.
 */
export function parseQueryCached(sql: string): ParsedQuery | undefined {
  const hit = cache.get(sql);
  if (hit !== undefined) {
    cache.delete(sql);
    cache.set(sql, hit);

    return hit ?? undefined;
  }
  // Query bodies are cut from the files' texts; the cache outlives them.
  const own = detachedCopy(sql);
  const parsed = parseQuery(own);
  cache.set(own, parsed ?? null);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }

  return parsed;
}

function parseQuery(sql: string): ParsedQuery | undefined {
  try {
    parser ??= new Parser();
    const result = parser.astify(sql, {
      database: 'snowflake',
      parseOptions: { includeLocations: true },
    });
    const statements: unknown[] = Array.isArray(result) ? result : [result];
    const [statement] = statements;

    return statements.length === 1 && isNode(statement) ? { sql, ast: statement } : undefined;
  } catch {
    return undefined;
  }
}
