import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** How a SQL file's bytes encode its text; UTF-16 is recognised by its byte order mark. */
export type SqlEncoding = 'utf8' | 'utf16le' | 'utf16be';

/** A SQL file's text and what is needed to write it back byte for byte as it was encoded. */
export interface DecodedSql {
  /** The text without its byte order mark. */
  readonly text: string;
  readonly encoding: SqlEncoding;
  /** The file began with a byte order mark, dropped from `text` and put back when writing. */
  readonly byteOrderMark: boolean;
  /**
   * The 1-based line of the first bytes that are not UTF-8 (a Latin-1 `É`, say), decoded as
   * U+FFFD in `text`; undefined when the file is valid.
   */
  readonly invalidLine?: number;
  /** NUL never occurs in SQL text: a file holding it is binary, whatever its name. */
  readonly binary: boolean;
}

/**
 * Decodes a SQL file as editors do: UTF-8, or UTF-16 (little- or big-endian) when it starts
 * with that byte order mark. The CLI and the language server both read files through here, so
 * offsets agree between them; editors hide the byte order mark, so it is dropped from the text.
 */
export function decodeSql(bytes: Uint8Array): DecodedSql {
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf16be'
        : undefined;
  if (utf16) {
    // TextDecoder drops the byte order mark itself.
    const text = new TextDecoder(utf16 === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes);

    return { text, encoding: utf16, byteOrderMark: true, binary: text.includes('\u0000') };
  }
  const byteOrderMark = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = new TextDecoder('utf-8').decode(bytes);
  const invalidLine = text.includes('\uFFFD') ? firstInvalidLine(bytes) : undefined;

  return {
    text,
    encoding: 'utf8',
    byteOrderMark,
    binary: text.includes('\u0000'),
    ...(invalidLine === undefined ? {} : { invalidLine }),
  };
}

/** The bytes of `text` encoded as `like` was read, byte order mark included. */
export function encodeSql(
  text: string,
  like: Pick<DecodedSql, 'encoding' | 'byteOrderMark'>,
): Buffer {
  const marked = like.byteOrderMark ? `\uFEFF${text}` : text;
  if (like.encoding === 'utf8') return Buffer.from(marked, 'utf8');
  const bytes = Buffer.from(marked, 'utf16le');

  return like.encoding === 'utf16be' ? bytes.swap16() : bytes;
}

export async function readSqlFile(path: string): Promise<DecodedSql> {
  return decodeSql(await readFile(path));
}

export function readSqlFileSync(path: string): DecodedSql {
  return decodeSql(readFileSync(path));
}

/** The first line whose bytes are not UTF-8; a U+FFFD written in the file itself is valid. */
function firstInvalidLine(bytes: Uint8Array): number | undefined {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let at = 0; at <= bytes.length; at++) {
    if (at < bytes.length && bytes[at] !== 0x0a) continue;
    try {
      strict.decode(bytes.subarray(start, at));
    } catch {
      return line;
    }
    line++;
    start = at + 1;
  }

  return undefined;
}
