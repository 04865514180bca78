import type { Span } from './source';
import type { Comment } from './syntax/tokens';

/** `snowgov-ignore` excuses one statement; `snowgov-ignore-file` excuses the whole file. */
export type SuppressionScope = 'statement' | 'file';

export interface DirectiveWord extends Span {
  readonly text: string;
}

/** A problem found in a directive, as `invalid-suppression` reports it. */
export interface DirectiveProblem extends Span {
  readonly messageId: string;
  readonly message: string;
}

/** A `snowgov-ignore` comment as written, before its rule names and date are checked. */
export interface Directive extends Span {
  readonly scope: SuppressionScope;
  /** `snowgov-ignore` or `snowgov-ignore-file`, for messages. */
  readonly keyword: string;
  readonly rules: readonly DirectiveWord[];
  /** The reason without its quotes. */
  readonly reason?: DirectiveWord;
  readonly until?: DirectiveWord;
  /** Problems of form: unknown or repeated settings, an unclosed quote, stray words. */
  readonly problems: readonly DirectiveProblem[];
}

// Any case, as SQL keywords are: `-- SNOWGOV-IGNORE` must not pass for an ordinary comment.
const KEYWORD = /^snowgov-ignore(-file)?(?=\s|$)/i;
const SETTING = /^([A-Za-z][\w-]*)=/;
const RULE_WORD = /^[^\s,=]+/;
const SETTINGS = ['reason', 'until'] as const;

/**
 * Reads a comment as a directive, or returns undefined when it is an ordinary comment. The
 * keyword must open the comment, so prose that mentions snowgov-ignore is not a directive.
 */
export function readDirective(comment: Comment): Directive | undefined {
  const { body, offset } = commentBody(comment);
  let i = skipSpace(body, 0);
  const match = KEYWORD.exec(body.slice(i));
  if (!match) return undefined;

  const keyword = match[0];
  const scope: SuppressionScope = match[1] ? 'file' : 'statement';
  const rules: DirectiveWord[] = [];
  const settings = new Map<string, DirectiveWord>();
  const problems: DirectiveProblem[] = [];
  const at = (start: number, end: number): Span => ({ start: offset + start, end: offset + end });
  i += keyword.length;
  for (i = skipSpace(body, i); i < body.length; i = skipSpace(body, i)) {
    if (body[i] === ',') {
      i++;
      continue;
    }
    const setting = SETTING.exec(body.slice(i));
    if (setting) {
      const key = setting[1];
      const value = readValue(body, i + setting[0].length);
      const word = { ...at(value.start, value.end), text: value.text };
      const whole = at(i, value.end);
      if (value.wrongQuotes !== undefined) {
        problems.push({
          ...whole,
          messageId: 'wrongQuotes',
          message:
            `The value of ${key}= in ${keyword} is in ${value.wrongQuotes} quotes; ` +
            `write it in double quotes: ${key}="…".`,
        });
      } else if (value.unclosed) {
        problems.push({
          ...whole,
          messageId: 'unclosedQuote',
          message: `The value of ${key}= in ${keyword} has no closing double quote.`,
        });
      }
      if (!(SETTINGS as readonly string[]).includes(key)) {
        problems.push({
          ...whole,
          messageId: 'unknownSetting',
          message:
            `Unknown setting '${key}' in ${keyword}; ` +
            'the settings are reason="…" and until=YYYY-MM-DD.',
        });
      } else if (settings.has(key)) {
        problems.push({
          ...whole,
          messageId: 'repeatedSetting',
          message: `${key}= is given twice in ${keyword}; keep one.`,
        });
      } else {
        settings.set(key, word);
      }
      i = value.end;
      continue;
    }

    // A bare `=` is not a rule name either; take it as one stray character.
    const word = RULE_WORD.exec(body.slice(i))?.[0] ?? body[i];
    if (settings.size === 0 && word !== '=') {
      rules.push({ ...at(i, i + word.length), text: word });
    } else {
      problems.push({
        ...at(i, i + word.length),
        messageId: 'unexpectedText',
        message:
          `Unexpected '${word}' in ${keyword}: rule names come first, then reason="…" in ` +
          'double quotes and until=YYYY-MM-DD.',
      });
    }
    i += word.length;
  }

  return {
    start: comment.start,
    end: comment.end,
    scope,
    keyword,
    rules,
    reason: settings.get('reason'),
    until: settings.get('until'),
    problems,
  };
}

/** The text between the comment markers, and the file offset it starts at. */
function commentBody(comment: Comment): { body: string; offset: number } {
  const { text } = comment;
  const hasClose = comment.kind === 'block' && !comment.unterminated && text.endsWith('*/');
  const body = text.slice(2, hasClose ? text.length - 2 : text.length);

  return { body, offset: comment.start + 2 };
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;

  return i;
}

/** Quotes people reach for instead of double quotes, and where each closes. */
const OTHER_QUOTES: Readonly<Record<string, string>> = { "'": "'", '‘': '’', '“': '”', '`': '`' };

/**
 * A setting's value: double-quoted (with `\"` and `\\` escapes) or a bare word. The span covers
 * what was written, quotes included; `text` is the value itself. A value in other quotes
 * (`reason='…'`) is read to its closing quote, so that it is one mistake, named as such, rather
 * than a run of stray words.
 */
function readValue(
  body: string,
  from: number,
): { text: string; start: number; end: number; unclosed: boolean; wrongQuotes?: string } {
  const close = OTHER_QUOTES[body[from]];
  if (close !== undefined) {
    const end = body.indexOf(close, from + 1);
    const stop = end === -1 ? body.length : end + 1;
    const text = body.slice(from + 1, end === -1 ? body.length : end);

    const wrongQuotes = describeQuote(body[from]);

    return { text, start: from, end: stop, unclosed: end === -1, wrongQuotes };
  }
  if (body[from] !== '"') {
    let end = from;
    while (end < body.length && !/\s/.test(body[end])) end++;

    return { text: body.slice(from, end), start: from, end, unclosed: false };
  }
  let text = '';
  for (let i = from + 1; i < body.length; i++) {
    if (body[i] === '\\' && (body[i + 1] === '"' || body[i + 1] === '\\')) {
      text += body[++i];
    } else if (body[i] === '"') {
      return { text, start: from, end: i + 1, unclosed: false };
    } else {
      text += body[i];
    }
  }

  return { text, start: from, end: body.length, unclosed: true };
}

function describeQuote(quote: string): string {
  return quote === "'" ? 'single' : quote === '`' ? 'back' : 'typographic';
}
