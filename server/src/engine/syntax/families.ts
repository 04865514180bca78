import { CREATE_MODIFIERS } from './parse-create';
import { type Token, keywordOf } from './tokens';

const HEADER_WORDS = new Set(['OR', 'REPLACE', 'ALTER']);

/**
 * Statement families, named after the governance concern they serve. A family is read from the
 * statement's first words alone, never from how it parsed, so a statement the parser fails on
 * still counts against its family. `other` is the long tail the linter need not understand.
 */
export type Family =
  | 'grant'
  | 'use'
  | 'role'
  | 'user'
  | 'policy'
  | 'tag'
  | 'table'
  | 'stage'
  | 'integration'
  | 'copy'
  | 'account'
  | 'database'
  | 'routine'
  | 'script'
  | 'call'
  | 'show'
  | 'describe'
  | 'client'
  | 'other';

/** Every family but `other`, in the order reports list them. */
export const COVERED_FAMILIES: readonly Family[] = [
  'grant',
  'use',
  'role',
  'user',
  'policy',
  'tag',
  'table',
  'stage',
  'integration',
  'copy',
  'account',
  'database',
  'routine',
  'script',
  'call',
  'show',
  'describe',
  'client',
];

const SCRIPT_WORDS = new Set([
  'DECLARE',
  'LET',
  'RETURN',
  'IF',
  'CASE',
  'FOR',
  'WHILE',
  'LOOP',
  'REPEAT',
  'EXCEPTION',
]);

const TABLE_KINDS = new Set(['TABLE', 'VIEW', 'DYNAMIC', 'EXTERNAL', 'ICEBERG', 'HYBRID', 'EVENT']);

/** The family of the statement whose first tokens these are. */
export function familyOf(tokens: readonly Token[]): Family {
  const first = tokens[0];
  if (first === undefined) return 'other';
  if (first.kind === 'client') return 'client';
  const words: string[] = [];
  for (let i = 0; i < tokens.length && words.length < 6; i++) {
    const word = keywordOf(tokens[i]);
    if (word === undefined) break;
    words.push(word);
  }
  const [verb, next] = words;
  switch (verb) {
    case 'GRANT':
    case 'REVOKE':
      return 'grant';
    case 'USE':
      return 'use';
    case 'CALL':
      return 'call';
    case 'SHOW':
      return 'show';
    case 'DESCRIBE':
    case 'DESC':
      return 'describe';
    case 'PUT':
    case 'GET':
      return 'copy';
    case 'COPY':
      return next === 'INTO' ? 'copy' : 'other';
    case 'EXECUTE':
      return next === 'IMMEDIATE' ? 'script' : 'other';
    case 'BEGIN':
      return next === undefined || ['TRANSACTION', 'WORK', 'NAME'].includes(next)
        ? 'other'
        : 'script';
    case 'CREATE':
    case 'ALTER':
    case 'DROP':
      return objectFamily(verb, words.slice(1));
    default:
      if (verb !== undefined && SCRIPT_WORDS.has(verb)) return 'script';
      // `x := expr` assigns a scripting variable.
      return tokens[1]?.kind === 'symbol' && tokens[1].text === ':=' ? 'script' : 'other';
  }
}

function objectFamily(verb: string, rest: readonly string[]): Family {
  let at = 0;
  // OR REPLACE / OR ALTER and the parser's modifiers; a kind modifier such as DYNAMIC leaves
  // TABLE next, which is the same family.
  const skip = (word: string): boolean => HEADER_WORDS.has(word) || CREATE_MODIFIERS.has(word);
  while (verb === 'CREATE' && at < rest.length && skip(rest[at])) at++;
  const [kind, second, third] = rest.slice(at);
  if (kind === undefined) return 'other';
  if (kind === 'ROLE' || (second === 'ROLE' && (kind === 'DATABASE' || kind === 'APPLICATION'))) {
    return 'role';
  }
  if (second === 'POLICY' || third === 'POLICY' || (kind === 'NETWORK' && second === 'RULE')) {
    return 'policy';
  }
  if (second === 'INTEGRATION' || third === 'INTEGRATION' || kind === 'INTEGRATION') {
    return 'integration';
  }
  if (kind === 'MATERIALIZED' && second === 'VIEW') return 'table';
  if (TABLE_KINDS.has(kind) && (kind === 'TABLE' || kind === 'VIEW' || second === 'TABLE')) {
    return 'table';
  }
  switch (kind) {
    case 'USER':
      return 'user';
    case 'TAG':
      return 'tag';
    case 'STAGE':
      return 'stage';
    case 'ACCOUNT':
      return verb === 'ALTER' ? 'account' : 'other';
    case 'DATABASE':
    case 'SCHEMA':
    case 'SHARE':
      return 'database';
    case 'PROCEDURE':
    case 'FUNCTION':
    case 'TASK':
      return verb === 'CREATE' ? 'routine' : 'other';
    default:
      return 'other';
  }
}
