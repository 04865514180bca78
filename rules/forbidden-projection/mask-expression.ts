import { formatIdentifier } from '../../server/src/engine/model/names';
import type { EditDraft } from '../../server/src/engine/rules/define';
import type { Span } from '../../server/src/engine/source';
import { lex } from '../../server/src/engine/syntax/lexer';
import { type Token, isKeyword } from '../../server/src/engine/syntax/tokens';
import { roleCondition } from '../util/roles';

/**
 * The edit that rewrites one select item as
 * `CASE WHEN IS_ROLE_IN_SESSION('R') THEN <expression> ELSE NULL END AS <name>`, keeping the
 * output's name, or undefined when the item's alias cannot be told apart from its expression.
 * NULL fits every column type, and roles outside `roles` get it, as do consumers of a share, for
 * whom IS_ROLE_IN_SESSION gives NULL.
 */
export function maskItem(
  text: string,
  item: Span,
  output: string,
  roles: readonly string[],
): EditDraft | undefined {
  if (roles.length === 0) return undefined;
  const parts = splitAlias(text, item);
  if (!parts || formatIdentifier(parts.aliasValue) !== output) return undefined;
  return {
    span: item,
    newText: `CASE WHEN ${roleCondition(roles)} THEN ${parts.expression} ELSE NULL END AS ${parts.alias}`,
  };
}

interface AliasedItem {
  readonly expression: string;
  /** The alias as written, or the last part of a plain column reference. */
  readonly alias: string;
  /** The name the alias resolves to: upper-cased unless quoted. */
  readonly aliasValue: string;
}

/** `expr AS name`, `expr name`, or a plain `t.col`, whose output is named `col`. */
function splitAlias(text: string, item: Span): AliasedItem | undefined {
  const tokens = lex(text, item.start, item.end).tokens;
  const last = tokens[tokens.length - 1];
  const before = tokens[tokens.length - 2];
  if (!last || !isName(last)) return undefined;
  const aliased = (expressionEnd: number): AliasedItem => ({
    expression: text.slice(item.start, expressionEnd).trimEnd(),
    alias: last.text,
    aliasValue: nameValue(last),
  });

  if (before && isKeyword(before, 'AS')) {
    return tokens.length >= 3 ? aliased(before.start) : undefined;
  }
  const isReference = tokens.every((token, index) =>
    index % 2 === 0 ? isName(token) : token.text === '.',
  );
  if (isReference) return aliased(item.end);
  if (before && endsOperand(before) && !NOT_ALIASES.has(last.keyword ?? '')) {
    return aliased(before.end);
  }

  return undefined;
}

function isName(token: Token): boolean {
  return token.kind === 'word' || (token.kind === 'quoted' && !token.unterminated);
}

function nameValue(token: Token): string {
  return token.kind === 'quoted'
    ? token.text.slice(1, -1).replace(/""/g, '"')
    : token.text.toUpperCase();
}

/** A token that can end an expression, so that a name right after it is an alias. */
function endsOperand(token: Token): boolean {
  if (token.text === ')') return true;
  if (token.kind === 'word') return !OPERATOR_WORDS.has(token.keyword ?? '');

  return token.kind === 'quoted' || token.kind === 'string' || token.kind === 'number';
}

/** Words that end an expression themselves and so are never an implicit alias. */
const NOT_ALIASES = new Set(['END', 'NULL', 'TRUE', 'FALSE']);

/** Words after which the next word continues the expression. */
const OPERATOR_WORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'IN',
  'LIKE',
  'ILIKE',
  'RLIKE',
  'BETWEEN',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'DISTINCT',
  'INTERVAL',
  'COLLATE',
]);
