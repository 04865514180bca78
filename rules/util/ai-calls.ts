import { lex } from '../../server/src/engine/syntax/lexer';
import type { Token } from '../../server/src/engine/syntax/tokens';
import type { Span } from '../../server/src/engine/source';

/**
 * Cortex AI functions that send their input to a large language model.
 * AI_REDACT (which exists to remove personal data), AI_COUNT_TOKENS, COUNT_TOKENS and
 * SPLIT_TEXT_RECURSIVE_CHARACTER (which run no model over the text) are left out.
 * https://docs.snowflake.com/en/user-guide/snowflake-cortex/aisql
 */
const AI_FUNCTIONS = new Set([
  'AI_COMPLETE',
  'AI_CLASSIFY',
  'AI_FILTER',
  'AI_AGG',
  'AI_SUMMARIZE_AGG',
  'AI_SENTIMENT',
  'AI_EXTRACT',
  'AI_TRANSLATE',
  'AI_EMBED',
  'AI_SIMILARITY',
  'AI_TRANSCRIBE',
  'AI_PARSE_DOCUMENT',
]);

/** The older functions of the SNOWFLAKE.CORTEX schema, recognised only when qualified. */
const CORTEX_FUNCTIONS = new Set([
  'COMPLETE',
  'TRY_COMPLETE',
  'SUMMARIZE',
  'TRANSLATE',
  'SENTIMENT',
  'ENTITY_SENTIMENT',
  'EXTRACT_ANSWER',
  'CLASSIFY_TEXT',
  'EMBED_TEXT_768',
  'EMBED_TEXT_1024',
  'PARSE_DOCUMENT',
]);

/** One AI function call found in SQL text. */
export interface AiCall extends Span {
  /** The function as written, upper case and single-dotted: `SNOWFLAKE.CORTEX.COMPLETE`. */
  readonly name: string;
  /** The bare function name: `COMPLETE`, `AI_COMPLETE`. */
  readonly function: string;
  /** The span of the name, where findings point. */
  readonly nameSpan: Span;
  /** From the opening to the closing parenthesis. */
  readonly argsSpan: Span;
  /** Each top-level argument's tokens, in order. */
  readonly args: readonly (readonly Token[])[];
}

/**
 * Finds AI function calls in `text` between `start` and `end` with the lexer, so strings,
 * quoted identifiers and comments never match and nested parentheses are balanced. A call
 * whose closing parenthesis is missing runs to the end of the range.
 */
export function findAiCalls(text: string, start: number, end: number): AiCall[] {
  // Every call names an AI_ function or the CORTEX schema; most queries mention neither, and
  // lexing them again would be wasted.
  const upper = text.slice(start, end).toUpperCase();
  if (!upper.includes('AI_') && !upper.includes('CORTEX')) return [];
  const tokens = lex(text, start, end).tokens;
  const calls: AiCall[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const open = tokens[index];
    if (open.kind !== 'symbol' || open.text !== '(') continue;
    const nameTokens = nameBefore(tokens, index);
    if (nameTokens.length === 0) continue;
    const parts = nameTokens
      .filter((token) => token.kind === 'word')
      .map((t) => t.text.toUpperCase());
    const fn = parts[parts.length - 1];
    const qualifier = parts.slice(0, -1).join('.');
    const isAi = AI_FUNCTIONS.has(fn) && (qualifier === '' || qualifier.endsWith('CORTEX'));
    const isCortex = CORTEX_FUNCTIONS.has(fn) && /(^|\.)CORTEX$/.test(qualifier);
    if (!isAi && !isCortex) continue;
    const { args, close } = argumentsFrom(tokens, index);
    calls.push({
      name: parts.join('.'),
      function: fn,
      nameSpan: { start: nameTokens[0].start, end: nameTokens[nameTokens.length - 1].end },
      start: nameTokens[0].start,
      end: close?.end ?? end,
      argsSpan: { start: open.start, end: close?.end ?? end },
      args,
    });
  }

  return calls;
}

/** The dotted name right before `tokens[open]`, as word and `.` tokens. */
function nameBefore(tokens: readonly Token[], open: number): Token[] {
  const name: Token[] = [];
  let index = open - 1;
  while (index >= 0 && tokens[index].kind === 'word') {
    name.unshift(tokens[index]);
    if (index > 0 && tokens[index - 1].kind === 'symbol' && tokens[index - 1].text === '.') {
      name.unshift(tokens[index - 1]);
      index -= 2;
    } else {
      break;
    }
  }
  // `x.AI_COMPLETE(` after a `.` that has no word before it is not a name.
  if (name[0]?.kind === 'symbol') name.shift();

  return name;
}

function argumentsFrom(tokens: readonly Token[], open: number): { args: Token[][]; close?: Token } {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let index = open + 1; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.kind === 'symbol' && (token.text === '(' || token.text === '[' || token.text === '{'))
      depth++;
    if (
      token.kind === 'symbol' &&
      (token.text === ')' || token.text === ']' || token.text === '}')
    ) {
      if (depth === 0) return { args: args.filter((arg) => arg.length > 0), close: token };
      depth--;
    }
    if (depth === 0 && token.kind === 'symbol' && token.text === ',') args.push([]);
    else args[args.length - 1].push(token);
  }

  return { args: args.filter((arg) => arg.length > 0) };
}

/**
 * Whether a COMPLETE or AI_COMPLETE call turns Cortex Guard on: `'guardrails': TRUE` in an
 * options object. Undefined when the options come from a variable or expression the linter
 * cannot read.
 * https://docs.snowflake.com/en/sql-reference/functions/complete-snowflake-cortex
 */
export function guardrailsOn(call: AiCall): boolean | undefined {
  const options = call.args.slice(2);
  if (options.length === 0) return false;
  const flat = options.flat();
  for (let index = 0; index + 2 < flat.length; index++) {
    const [key, colon, value] = [flat[index], flat[index + 1], flat[index + 2]];
    if (key.kind !== 'string' || key.text.slice(1, -1).toLowerCase() !== 'guardrails') continue;
    if (colon.text !== ':') continue;

    return value.kind === 'word' && value.text.toUpperCase() === 'TRUE' ? true : false;
  }
  // An options object written out in full without the key leaves guardrails at their default.
  const literal = options.every((arg) => isObjectLiteral(arg) || isNamedObject(arg));

  return literal ? false : undefined;
}

function isObjectLiteral(arg: readonly Token[]): boolean {
  return arg[0]?.text === '{' && arg[arg.length - 1]?.text === '}';
}

/** `model_parameters => { … }` and other named arguments with a literal value. */
function isNamedObject(arg: readonly Token[]): boolean {
  if (arg[1]?.text !== '=>') return false;
  const value = arg.slice(2);

  return (
    isObjectLiteral(value) ||
    value.every((token) => token.kind !== 'word' || /^(TRUE|FALSE|NULL)$/i.test(token.text))
  );
}

/**
 * Column references a call reads, as written (`p.full_name`, `"Email"`), outside strings, with
 * function names and named-argument keys left out.
 */
export function columnReferences(call: AiCall): string[] {
  const references = new Set<string>();
  const tokens = call.args.flat();
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.kind !== 'word' && token.kind !== 'quoted') continue;
    let last = index;
    while (tokens[last + 1]?.text === '.' && /^(word|quoted)$/.test(tokens[last + 2]?.kind ?? '')) {
      last += 2;
    }
    const next = tokens[last + 1];
    const skip =
      next?.text === '(' ||
      next?.text === '=>' ||
      (token.kind === 'word' && last === index && KEYWORDS.has(token.text.toUpperCase()));
    if (!skip) {
      references.add(
        tokens
          .slice(index, last + 1)
          .map((part) => part.text)
          .join(''),
      );
    }
    index = last;
  }

  return [...references];
}

const KEYWORDS = new Set([
  'TRUE',
  'FALSE',
  'NULL',
  'AND',
  'OR',
  'NOT',
  'IS',
  'AS',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IN',
  'LIKE',
  'ILIKE',
  'DISTINCT',
  'OVER',
  'PARTITION',
  'BY',
  'ORDER',
  'ASC',
  'DESC',
  'SELECT',
  'FROM',
  'WHERE',
  'CAST',
  'TRY_CAST',
  'INT',
  'STRING',
  'VARCHAR',
  'TEXT',
  'NUMBER',
  'DATE',
]);
