import type { Span } from './source';
import { lex } from './syntax/lexer';
import type { Token } from './syntax/tokens';

/**
 * Code frames and diffs quote the user's SQL, and CI logs are read by many; so, like the
 * engine's messages, they never show a secret. The text is read with the engine's lexer, so that
 * quoting (`'…'`, `$$…$$`, comments) is understood as Snowflake understands it, and these are
 * starred out:
 * - the value of a credential-like property (`PASSWORD = $$…$$`, `AWS_SECRET_KEY = '…'`), also
 *   inside `$$` bodies and `EXECUTE IMMEDIATE` strings;
 * - in any string or comment: the query strings of URLs (where SAS tokens and signatures live),
 *   a random-looking word after a credential word (`-- password: Hunter2`), and beside an AWS key
 *   id, the 40-character secret access key that goes with it;
 * - anywhere: AWS access key ids and PEM private keys.
 * Lengths and line breaks are kept, so that columns and carets still line up with the file.
 */
export function redactSecrets(text: string): string {
  // Most statements hold nothing any pattern below could match, and outlines and hovers ask
  // on every edit; those are returned without lexing.
  if (!MAY_HOLD_SECRET.test(text)) return text;
  const ranges = secretRanges(text);
  if (ranges.length === 0) return text;
  const chars = text.split('');
  for (const { start, end } of ranges) {
    for (let at = start; at < end; at++) {
      if (chars[at] !== '\n' && chars[at] !== '\r') chars[at] = '*';
    }
  }

  return chars.join('');
}

/**
 * What every pattern below needs somewhere in the text: a credential word, an AWS key id, a URL
 * query, a PEM header or the start of a base64 private key.
 */
const MAY_HOLD_SECRET =
  /KEY|SECRET|TOKEN|PASSW|PWD|PASSPHRASE|CREDENTIAL|SAS|AKIA|ASIA|PRIVATE|MII|\?/i;

/** Words that name a credential: `PASSWORD`, `AWS_SECRET_KEY`, `AZURE_SAS_TOKEN`, `API_KEY`… */
const CREDENTIAL_WORD = /(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD|PASSPHRASE|CREDENTIALS?|SAS)/i;

/**
 * A credential property with a quoted value, as plain text: the fallback for what lexing hid,
 * such as a password in a string that EXECUTE IMMEDIATE runs (`PASSWORD = ''…''`).
 */
const CREDENTIAL_VALUE =
  /\b\w*(?:KEY|SECRET|TOKEN|PASSWORD|PASSPHRASE|CREDENTIALS?)\w*\s*=>?\s*(?:''((?:[^'\\]|\\.)*)''|'((?:[^'\\]|\\.|'')*)'(?!'))/dgi;
const URL_QUERY = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"?]*\?([^\s'"]+)/dgi;
/** AWS access key ids and PEM private key blocks, recognisable by their shape alone. */
const SHAPED_SECRET =
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
/** The shape of an AWS secret access key: 40 characters of base64. */
const AWS_SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** A credential word, a separator or none, and the word after it. */
const NAMED_IN_PROSE =
  /\b\w*(?:KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD|PASSPHRASE)\w*\b(?:\s*(?:[:=]|=>|\bis\b)\s*|\s+)(['"]?)([^\s'",;)]+)\1/dgi;
/** A base64 private key body: a PKCS#8 or PKCS#1 RSA key starts like this. */
const PRIVATE_KEY_BODY = /\bMII[A-Za-z0-9+/]{3}IBA(?:DAN|AKC)[A-Za-z0-9+/=\s]*/g;

/** The spans of `text` to star out, possibly overlapping. */
export function secretRanges(text: string): Span[] {
  const ranges: Span[] = [];
  collectFromTokens(text, 0, text.length, ranges, 0);
  addMatches(text, 0, CREDENTIAL_VALUE, ranges, (match) => group(match, 1) ?? group(match, 2));
  addMatches(text, 0, SHAPED_SECRET, ranges, (match) => [0, match[0].length]);

  return ranges;
}

/** Values of credential properties, then strings and comments as free text; `$$` bodies and
 * strings that hold SQL are read again as SQL, so a password set inside a procedure is found. */
function collectFromTokens(
  text: string,
  start: number,
  end: number,
  ranges: Span[],
  depth: number,
): void {
  let lexed;
  try {
    lexed = lex(text, start, end);
  } catch {
    // The lexer never throws on text; should it, the plain-text patterns still apply.
    return;
  }
  const { tokens, comments } = lexed;
  tokens.forEach((token, index) => {
    if (token.kind !== 'string' && token.kind !== 'dollar' && token.kind !== 'quoted') return;
    const inner = innerSpan(token);
    if (isCredentialValue(tokens, index)) {
      ranges.push(inner);

      return;
    }
    if (token.kind === 'quoted') return;
    scanFreeText(text, inner, ranges);
    // Strings of a procedure body or EXECUTE IMMEDIATE are SQL in their own right.
    if (depth < 3 && /=/.test(text.slice(inner.start, inner.end))) {
      collectFromTokens(text, inner.start, inner.end, ranges, depth + 1);
    }
  });
  for (const comment of comments) scanFreeText(text, comment, ranges);
}

/** `KEY = value`, `KEY => value` or `KEY value` where KEY names a credential. */
function isCredentialValue(tokens: readonly Token[], index: number): boolean {
  let previous = tokens[index - 1];
  if (previous?.kind === 'symbol' && (previous.text === '=' || previous.text === '=>')) {
    previous = tokens[index - 2];
  }

  return previous?.kind === 'word' && CREDENTIAL_WORD.test(previous.text);
}

/** The characters between a string's quotes (or `$$` marks); all of it when unterminated. */
function innerSpan(token: Token): Span {
  const open = token.kind === 'dollar' ? 2 : 1;
  const close = token.unterminated ? 0 : open;

  return {
    start: token.start + Math.min(open, token.end - token.start),
    end: Math.max(token.start + open, token.end - close),
  };
}

/** Secrets in prose: comments and the contents of strings. */
function scanFreeText(text: string, span: Span, ranges: Span[]): void {
  const body = text.slice(span.start, span.end);
  addMatches(body, span.start, URL_QUERY, ranges, (match) => group(match, 1));
  addMatches(body, span.start, PRIVATE_KEY_BODY, ranges, (match) => [0, match[0].length]);
  addMatches(body, span.start, NAMED_IN_PROSE, ranges, (match) =>
    looksRandom(match[2]) ? group(match, 2) : undefined,
  );
  if (AWS_KEY_ID.test(body)) {
    addMatches(body, span.start, AWS_SECRET_ACCESS_KEY, ranges, (match) => [0, match[0].length]);
  }
}

/**
 * A word that reads like a password or token rather than prose: mixed character classes, or
 * long. "Hunter2" and "wJalrXUtn…" are; "policy" and "rotation" are not.
 */
function looksRandom(word: string): boolean {
  if (word.length < 6) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((c) => c.test(word)).length;

  return classes >= 2 || word.length >= 24;
}

/** The offsets of a capture group within its match (patterns carry the `d` flag for this). */
function group(match: RegExpExecArray, index: number): [number, number] | undefined {
  const where = match.indices?.[index];
  if (!where || where[0] === where[1]) return undefined;

  return [where[0] - match.index, where[1] - match.index];
}

function addMatches(
  text: string,
  base: number,
  pattern: RegExp,
  ranges: Span[],
  pick: (match: RegExpExecArray) => [number, number] | undefined,
): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === '') {
      pattern.lastIndex++;
      continue;
    }
    const picked = pick(match);
    if (picked)
      ranges.push({ start: base + match.index + picked[0], end: base + match.index + picked[1] });
  }
}
