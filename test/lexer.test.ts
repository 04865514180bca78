import assert from 'node:assert/strict';
import { lex } from '../server/src/engine/syntax/lexer';
import type { Comment, Token, TokenKind } from '../server/src/engine/syntax/tokens';
import { VERSIONS, VERSION_BYTES, retainedBytes } from './helpers/memory';
import { spanOf } from './helpers/syntax';

/** The token a lexer should produce for the `occurrence`-th appearance of `text` in `source`. */
function token(source: string, kind: TokenKind, text: string, occurrence = 0): Token {
  const found = { kind, text, ...spanOf(source, text, occurrence) };

  return kind === 'word' ? { ...found, keyword: text.toUpperCase() } : found;
}

function comment(source: string, kind: Comment['kind'], text: string): Comment {
  return { kind, text, ...spanOf(source, text) };
}

describe('lex', () => {
  describe('comments', () => {
    it('reads a -- comment up to its line break and keeps the break out of it', () => {
      const sql = 'a -- note; not a statement\nb';
      const { tokens, comments } = lex(sql);

      assert.deepEqual(comments, [comment(sql, 'line', '-- note; not a statement')]);
      assert.deepEqual(tokens, [token(sql, 'word', 'a'), token(sql, 'word', 'b')]);
    });

    it('reads a // comment up to a CRLF line break', () => {
      const sql = 'a // note\r\nb';
      const { tokens, comments } = lex(sql);

      assert.deepEqual(comments, [{ kind: 'line', text: '// note', start: 2, end: 9 }]);
      assert.deepEqual(tokens, [
        token(sql, 'word', 'a'),
        { kind: 'word', text: 'b', keyword: 'B', start: 11, end: 12 },
      ]);
    });

    it('reads a /* */ comment across lines as one block comment', () => {
      const sql = "a /* one;\n 'two */ b";
      const { tokens, comments } = lex(sql);

      assert.deepEqual(comments, [comment(sql, 'block', "/* one;\n 'two */")]);
      assert.deepEqual(tokens, [token(sql, 'word', 'a'), token(sql, 'word', 'b')]);
    });

    it('ends a line comment at the end of the input', () => {
      const sql = 'a -- last';

      assert.deepEqual(lex(sql).comments, [{ kind: 'line', text: '-- last', start: 2, end: 9 }]);
    });

    it('keeps comment markers inside a string as part of the string', () => {
      const sql = "x = '-- /* //'";
      const { tokens, comments } = lex(sql);

      assert.deepEqual(comments, []);
      assert.deepEqual(tokens[2], token(sql, 'string', "'-- /* //'"));
    });
  });

  describe('strings and literals', () => {
    it('reads a doubled quote inside a string as part of the string', () => {
      const sql = "'it''s' x";

      assert.deepEqual(lex(sql).tokens, [token(sql, 'string', "'it''s'"), token(sql, 'word', 'x')]);
    });

    it('reads a backslash-escaped quote inside a string as part of the string', () => {
      const sql = "'it\\'s' x";

      assert.deepEqual(lex(sql).tokens, [
        token(sql, 'string', "'it\\'s'"),
        token(sql, 'word', 'x'),
      ]);
    });

    it('ends a string after an escaped backslash', () => {
      const sql = "'C:\\\\' x";

      assert.deepEqual(lex(sql).tokens, [
        token(sql, 'string', "'C:\\\\'"),
        token(sql, 'word', 'x'),
      ]);
    });

    it('reads a $$ literal as one token, semicolons and quotes included', () => {
      const sql = 'AS $$ a; \'b "c $$ x';

      assert.deepEqual(lex(sql).tokens, [
        token(sql, 'word', 'AS'),
        token(sql, 'dollar', '$$ a; \'b "c $$'),
        token(sql, 'word', 'x'),
      ]);
    });

    it('reads a quoted identifier with a doubled double quote as one token', () => {
      const sql = '"a""b".c "My Col"';

      assert.deepEqual(lex(sql).tokens, [
        token(sql, 'quoted', '"a""b"'),
        token(sql, 'symbol', '.'),
        token(sql, 'word', 'c'),
        token(sql, 'quoted', '"My Col"'),
      ]);
    });

    it('reads integers, decimals, a leading-dot decimal and exponents as numbers', () => {
      const sql = '1 1.5 .5 1e10 2E-3';

      assert.deepEqual(lex(sql).tokens, [
        { kind: 'number', text: '1', start: 0, end: 1 },
        { kind: 'number', text: '1.5', start: 2, end: 5 },
        { kind: 'number', text: '.5', start: 6, end: 8 },
        { kind: 'number', text: '1e10', start: 9, end: 13 },
        { kind: 'number', text: '2E-3', start: 14, end: 18 },
      ]);
    });

    it('does not read the dot of a qualified name as a number', () => {
      const sql = 'db.s';

      assert.deepEqual(
        lex(sql).tokens.map((t) => t.kind),
        ['word', 'symbol', 'word'],
      );
    });
  });

  describe('variables, binds and stages', () => {
    it('reads $name as a session variable and $1 as a positional column', () => {
      const sql = 'SELECT $1, $x FROM IDENTIFIER($tbl_name)';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[1], token(sql, 'positional', '$1'));
      assert.deepEqual(tokens[3], token(sql, 'variable', '$x'));
      assert.deepEqual(tokens[7], token(sql, 'variable', '$tbl_name'));
    });

    it('reads :name and :1 as bind variables', () => {
      const sql = 'RETURN :var_a + :1';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[1], token(sql, 'bind', ':var_a'));
      assert.deepEqual(tokens[3], token(sql, 'bind', ':1'));
    });

    it('reads a qualified stage path as one stage token ending before the semicolon', () => {
      const sql = 'COPY INTO t FROM @db.s.stage/path/file.csv;';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[4], token(sql, 'stage', '@db.s.stage/path/file.csv'));
      assert.deepEqual(tokens[5], token(sql, 'symbol', ';'));
    });

    it('reads the user stage @~ and a table stage @%tbl as stage tokens', () => {
      const sql = 'LIST @~; SELECT $1 FROM (@%tbl)';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[1], token(sql, 'stage', '@~'));
      assert.deepEqual(tokens[7], token(sql, 'stage', '@%tbl'));
      assert.deepEqual(tokens[8], token(sql, 'symbol', ')'));
    });
  });

  describe('operators', () => {
    it('reads ->, =>, :: and := as single symbols', () => {
      const sql = 'x -> f(a => v::INT) ; y := 1';
      const symbols = lex(sql).tokens.filter((t) => t.kind === 'symbol' && t.text.length > 1);

      assert.deepEqual(symbols, [
        token(sql, 'symbol', '->'),
        token(sql, 'symbol', '=>'),
        token(sql, 'symbol', '::'),
        token(sql, 'symbol', ':='),
      ]);
    });

    it('reads a cast after a bind without merging them', () => {
      const sql = ':v::INT';

      assert.deepEqual(lex(sql).tokens, [
        { kind: 'bind', text: ':v', start: 0, end: 2 },
        { kind: 'symbol', text: '::', start: 2, end: 4 },
        { kind: 'word', text: 'INT', keyword: 'INT', start: 4, end: 7 },
      ]);
    });
  });

  describe('words', () => {
    it('keeps the upper-cased text of a word, so keywords compare without case', () => {
      const sql = 'gRaNt "mixed"';

      assert.deepEqual(lex(sql).tokens, [
        { kind: 'word', text: 'gRaNt', keyword: 'GRANT', start: 0, end: 5 },
        { kind: 'quoted', text: '"mixed"', start: 6, end: 13 },
      ]);
    });

    it('reads identifiers with $ and non-ASCII letters as one word', () => {
      const sql = 'tbl$1 café_ß';

      assert.deepEqual(
        lex(sql).tokens.map((t) => t.text),
        ['tbl$1', 'café_ß'],
      );
    });

    it('does not keep the texts it lexed alive through the words it remembers', () => {
      // An editor lexes a new version of a document on every keystroke; each version is dropped
      // once the next one is read, unless something still points into it.
      const grown = retainedBytes(
        (version) => `${' '.repeat(VERSION_BYTES)}column_typed_in_version_${version}`,
        (text) => assert.equal(lex(text).tokens.length, 1),
      );

      assert.ok(grown < (VERSIONS * VERSION_BYTES) / 4, `the heap grew ${grown} bytes`);
    });
  });

  describe('client commands and local files', () => {
    it('reads a SnowSQL !set line as one client token without a semicolon', () => {
      const sql = '!set variable_substitution=true\nUSE ROLE r;';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[0], token(sql, 'client', '!set variable_substitution=true'));
      assert.deepEqual(tokens[1], token(sql, 'word', 'USE'));
    });

    it('leaves a trailing semicolon and blanks out of a client token', () => {
      const sql = '  !source setup.sql ;  \nSELECT 1';
      const tokens = lex(sql).tokens;

      assert.deepEqual(tokens[0], token(sql, 'client', '!source setup.sql'));
      assert.deepEqual(tokens[1], token(sql, 'symbol', ';'));
    });

    it('reads ! after other tokens on the line as a symbol, and != as one operator', () => {
      const sql = 'CALL m!run()\n!= 1';
      const kinds = lex(sql).tokens.map((t) => [t.kind, t.text]);

      assert.deepEqual(kinds, [
        ['word', 'CALL'],
        ['word', 'm'],
        ['symbol', '!'],
        ['word', 'run'],
        ['symbol', '('],
        ['symbol', ')'],
        ['symbol', '!='],
        ['number', '1'],
      ]);
    });

    it('reads an unquoted file:// URI of PUT as one token, Windows paths included', () => {
      const sql = 'PUT file://C:\\temp\\load @~/in;\nget @~ FILE:///tmp/out/;';
      const files = lex(sql).tokens.filter((t) => t.kind === 'file');

      assert.deepEqual(files, [
        token(sql, 'file', 'file://C:\\temp\\load'),
        token(sql, 'file', 'FILE:///tmp/out/'),
      ]);
    });
  });

  describe('templates', () => {
    it('reads Jinja statements and comments as block comments', () => {
      const sql = '{% if x %}GRANT{# note; #}{% endif %}';
      const { tokens, comments } = lex(sql);

      assert.deepEqual(tokens, [token(sql, 'word', 'GRANT')]);
      assert.deepEqual(
        comments.map((c) => c.text),
        ['{% if x %}', '{# note; #}', '{% endif %}'],
      );
    });

    it('reads a placeholder glued to name characters as one placeholder', () => {
      const sql = 'ROLE {{ env }}_ADMIN, DB_&{suffix}.s, <% ctx.db %>';

      assert.deepEqual(
        lex(sql)
          .tokens.filter((t) => t.kind === 'placeholder')
          .map((t) => t.text),
        ['{{ env }}_ADMIN', 'DB_&{suffix}', '<% ctx.db %>'],
      );
    });
  });

  describe('unterminated input', () => {
    it('marks an unclosed string unterminated and runs it to the end', () => {
      const sql = "SELECT 'abc; SELECT 2";

      assert.deepEqual(lex(sql).tokens[1], {
        kind: 'string',
        text: "'abc; SELECT 2",
        start: 7,
        end: sql.length,
        unterminated: true,
      });
    });

    it('marks a string ending in a lone backslash unterminated, stopping at the end', () => {
      const sql = "'abc\\";

      assert.deepEqual(lex(sql).tokens, [
        { kind: 'string', text: sql, start: 0, end: sql.length, unterminated: true },
      ]);
    });

    it('marks an unclosed quoted identifier unterminated and runs it to the end', () => {
      const sql = 'USE ROLE "abc';

      assert.deepEqual(lex(sql).tokens[2], {
        kind: 'quoted',
        text: '"abc',
        start: 9,
        end: sql.length,
        unterminated: true,
      });
    });

    it('marks an unclosed $$ literal unterminated and runs it to the end', () => {
      const sql = 'EXECUTE IMMEDIATE $$ SELECT 1; $';

      assert.deepEqual(lex(sql).tokens[2], {
        kind: 'dollar',
        text: '$$ SELECT 1; $',
        start: 18,
        end: sql.length,
        unterminated: true,
      });
    });

    it('marks an unclosed block comment unterminated and runs it to the end', () => {
      const sql = 'SELECT 1 /* note; SELECT 2';
      const { tokens, comments } = lex(sql);

      assert.equal(tokens.length, 2);
      assert.deepEqual(comments, [
        { kind: 'block', text: '/* note; SELECT 2', start: 9, end: sql.length, unterminated: true },
      ]);
    });
  });

  describe('lexing a slice in place', () => {
    it('lexes only the text between base and end, with offsets into the whole text', () => {
      const sql = 'SELECT $$GRANT ROLE r TO USER u; x$$ FROM t';
      const base = sql.indexOf('$$') + 2;
      const end = sql.lastIndexOf('$$');
      const { tokens } = lex(sql, base, end);

      assert.deepEqual(tokens, [
        token(sql, 'word', 'GRANT'),
        token(sql, 'word', 'ROLE'),
        token(sql, 'word', 'r'),
        token(sql, 'word', 'TO'),
        token(sql, 'word', 'USER'),
        token(sql, 'word', 'u'),
        token(sql, 'symbol', ';'),
        { kind: 'word', text: 'x', keyword: 'X', start: end - 1, end },
      ]);
    });

    it('marks a literal whose closing quote lies beyond end as unterminated at end', () => {
      const sql = "x 'ab' y";

      assert.deepEqual(lex(sql, 0, 4).tokens[1], {
        kind: 'string',
        text: "'a",
        start: 2,
        end: 4,
        unterminated: true,
      });
    });

    it('marks a block comment whose closer lies beyond end as unterminated at end', () => {
      const sql = 'x /* a */';

      assert.deepEqual(lex(sql, 0, 6).comments, [
        { kind: 'block', text: '/* a', start: 2, end: 6, unterminated: true },
      ]);
    });

    it('ends a number at end even when the text goes on with a decimal part', () => {
      const sql = 'x 1.5 y';

      assert.deepEqual(lex(sql, 0, 3).tokens, [
        { kind: 'word', text: 'x', keyword: 'X', start: 0, end: 1 },
        { kind: 'number', text: '1', start: 2, end: 3 },
      ]);
    });

    it('lexes every slice exactly as the same text cut out, shifted by base', () => {
      const sql = "a 1.5e3 -- c\n'x''y' \"q\" $$d$$ $v $1 :b @s/p /* k */ x::y := z;";
      for (let base = 0; base <= sql.length; base++) {
        for (let end = base; end <= sql.length; end++) {
          const cut = lex(sql.slice(base, end));
          const shift = <T extends Token | Comment>(item: T): T => ({
            ...item,
            start: item.start + base,
            end: item.end + base,
          });
          const expected = { tokens: cut.tokens.map(shift), comments: cut.comments.map(shift) };

          assert.deepEqual(lex(sql, base, end), expected, `slice [${base}, ${end})`);
        }
      }
    });
  });
});
