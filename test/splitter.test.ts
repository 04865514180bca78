import assert from 'node:assert/strict';
import { lex } from '../server/src/engine/syntax/lexer';
import { splitStatements } from '../server/src/engine/syntax/splitter';
import type { Token } from '../server/src/engine/syntax/tokens';
import { spanOf } from './helpers/syntax';

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly unclosedBlock?: boolean;
}

/** The statements the splitter finds, as spans with their source text. */
function split(sql: string): Piece[] {
  return splitStatements(lex(sql).tokens).map((slice) => {
    const piece = { ...slice.span, text: sql.slice(slice.span.start, slice.span.end) };

    return slice.unclosedBlock ? { ...piece, unclosedBlock: slice.unclosedBlock } : piece;
  });
}

/** The piece expected for the `occurrence`-th appearance of `text` in `sql`. */
function piece(sql: string, text: string, occurrence = 0): Piece {
  return { ...spanOf(sql, text, occurrence), text };
}

describe('splitStatements', () => {
  describe('top-level statements', () => {
    it('splits at semicolons, leaving semicolons, spaces and comments out of each span', () => {
      const sql = '-- lead\nUSE ROLE r;  /* gap */ SELECT 1 -- tail\n;\nSELECT 2';

      assert.deepEqual(split(sql), [
        piece(sql, 'USE ROLE r'),
        piece(sql, 'SELECT 1'),
        piece(sql, 'SELECT 2'),
      ]);
    });

    it('drops empty statements between consecutive semicolons', () => {
      const sql = ';; SELECT 1;;\n;';

      assert.deepEqual(split(sql), [piece(sql, 'SELECT 1')]);
    });

    it('returns no statements for a file of comments only', () => {
      assert.deepEqual(split('-- one\n/* two; */ // three'), []);
    });

    it('keeps the semicolon out of the tokens of each statement', () => {
      const [slice] = splitStatements(lex('SELECT 1;').tokens);

      assert.deepEqual(
        slice.tokens.map((token) => token.text),
        ['SELECT', '1'],
      );
    });
  });

  describe('literals and comments', () => {
    it('never splits inside a string, even one with escaped quotes', () => {
      const sql = "SELECT 'a;b', 'it''s;', 'it\\'s;'; SELECT 2";

      assert.deepEqual(split(sql), [
        piece(sql, "SELECT 'a;b', 'it''s;', 'it\\'s;'"),
        piece(sql, 'SELECT 2'),
      ]);
    });

    it('never splits inside a quoted identifier', () => {
      const sql = 'SELECT "a;b" FROM t; SELECT 2';

      assert.deepEqual(split(sql), [piece(sql, 'SELECT "a;b" FROM t'), piece(sql, 'SELECT 2')]);
    });

    it('never splits inside line or block comments', () => {
      const sql = 'SELECT 1 -- one; two\n, 2 /* three; four */ , 3; SELECT 4';

      assert.deepEqual(split(sql), [
        piece(sql, 'SELECT 1 -- one; two\n, 2 /* three; four */ , 3'),
        piece(sql, 'SELECT 4'),
      ]);
    });

    it('never splits inside a $$ body', () => {
      const sql = 'EXECUTE IMMEDIATE $$ BEGIN SELECT 1; END; $$; SELECT 2';

      assert.deepEqual(split(sql), [
        piece(sql, 'EXECUTE IMMEDIATE $$ BEGIN SELECT 1; END; $$'),
        piece(sql, 'SELECT 2'),
      ]);
    });
  });

  describe('scripting blocks', () => {
    it('keeps a BEGIN … END block with inner semicolons as one statement', () => {
      const sql = 'BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;';

      assert.deepEqual(split(sql), [
        piece(sql, 'BEGIN\n  SELECT 1;\n  SELECT 2;\nEND'),
        piece(sql, 'SELECT 3'),
      ]);
    });

    it('keeps a DECLARE … BEGIN … END block as one statement', () => {
      const sql = 'DECLARE\n  c INT DEFAULT 0;\nBEGIN\n  c := 1;\nEND;\nSELECT 2;';

      assert.deepEqual(split(sql), [
        piece(sql, 'DECLARE\n  c INT DEFAULT 0;\nBEGIN\n  c := 1;\nEND'),
        piece(sql, 'SELECT 2'),
      ]);
    });

    it('does not close a block at END IF', () => {
      const block =
        'BEGIN IF (x > 1) THEN SELECT 1; ELSEIF (x = 0) THEN SELECT 0; ELSE SELECT 2; END IF; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('does not close a block at the END of a CASE expression', () => {
      const block =
        'BEGIN LET z := CASE WHEN a THEN 1 ELSE 2 END; SELECT CASE a WHEN 1 THEN 2 END; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('does not close a block at END CASE of a CASE statement', () => {
      const block = 'BEGIN CASE (y) WHEN 1 THEN SELECT 3; ELSE SELECT 4; END CASE; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('does not close a block at END FOR, END WHILE, END REPEAT or END LOOP', () => {
      const block =
        'BEGIN FOR i IN 1 TO 3 DO SELECT 5; END FOR; WHILE (x) DO SELECT 6; END WHILE; ' +
        'REPEAT SELECT 7; UNTIL (y) END REPEAT; LOOP BREAK; END LOOP; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('keeps EXCEPTION WHEN … THEN handlers inside their block', () => {
      const block =
        'BEGIN SELECT 1; EXCEPTION WHEN statement_error THEN RETURN 1; ' +
        'WHEN OTHER THEN RETURN 2; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('matches nested blocks inside IF branches with their own END', () => {
      const block = 'BEGIN IF (x) THEN BEGIN SELECT 1; END; END IF; BEGIN SELECT 2; END; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('keeps a procedure with a bare DECLARE … BEGIN … END body as one statement', () => {
      const create =
        'CREATE PROCEDURE p() RETURNS INT LANGUAGE SQL AS\n' +
        'DECLARE\n  a INT;\nBEGIN\n  a := 1;\n  RETURN a;\nEND';
      const sql = `${create};\nSELECT 2;`;

      assert.deepEqual(split(sql), [piece(sql, create), piece(sql, 'SELECT 2')]);
    });

    it('keeps a procedure with a bare BEGIN … END body as one statement', () => {
      const create = 'CREATE PROCEDURE p() RETURNS INT AS BEGIN SELECT 1; RETURN 1; END';
      const sql = `${create}; SELECT 2`;

      assert.deepEqual(split(sql), [piece(sql, create), piece(sql, 'SELECT 2')]);
    });
  });

  describe('transactions', () => {
    it('reads BEGIN; as a transaction, not a block', () => {
      const sql = 'BEGIN; INSERT INTO t VALUES (1); COMMIT;';

      assert.deepEqual(split(sql), [
        piece(sql, 'BEGIN'),
        piece(sql, 'INSERT INTO t VALUES (1)'),
        piece(sql, 'COMMIT'),
      ]);
    });

    it('reads BEGIN TRANSACTION, BEGIN WORK and BEGIN NAME as transactions', () => {
      const sql = 'BEGIN TRANSACTION; SELECT 1; BEGIN WORK; SELECT 2; begin name t1; COMMIT';

      assert.deepEqual(split(sql), [
        piece(sql, 'BEGIN TRANSACTION'),
        piece(sql, 'SELECT 1'),
        piece(sql, 'BEGIN WORK'),
        piece(sql, 'SELECT 2'),
        piece(sql, 'begin name t1'),
        piece(sql, 'COMMIT'),
      ]);
    });

    it('does not read BEGIN TRANSACTION inside a block as a nested block', () => {
      const block = 'BEGIN BEGIN TRANSACTION; INSERT INTO t VALUES (1); COMMIT; END';
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });
  });

  describe('unclosed blocks', () => {
    it('re-splits a block with no END statement by statement and marks the first unclosed', () => {
      const sql = 'BEGIN\n  SELECT 1;\n  SELECT 2;\nSELECT 3';

      assert.deepEqual(split(sql), [
        { ...piece(sql, 'BEGIN\n  SELECT 1'), unclosedBlock: true },
        piece(sql, 'SELECT 2'),
        piece(sql, 'SELECT 3'),
      ]);
    });

    it('still keeps a later closed block whole after an unclosed one', () => {
      const sql = 'BEGIN SELECT 1; SELECT 2; BEGIN SELECT 3; END; SELECT 4';

      assert.deepEqual(split(sql), [
        { ...piece(sql, 'BEGIN SELECT 1'), unclosedBlock: true },
        piece(sql, 'SELECT 2'),
        piece(sql, 'BEGIN SELECT 3; END'),
        piece(sql, 'SELECT 4'),
      ]);
    });
  });
  describe('snippets and client commands', () => {
    it('ends a SnowSQL command at its line, with or without a semicolon', () => {
      const sql = '!set variable_substitution=true\nUSE ROLE r;\n!print done;\nSELECT 1';

      assert.deepEqual(split(sql), [
        piece(sql, '!set variable_substitution=true'),
        piece(sql, 'USE ROLE r'),
        piece(sql, '!print done'),
        piece(sql, 'SELECT 1'),
      ]);
    });

    it('ends a statement that lacks its semicolon before a client command', () => {
      const sql = 'USE ROLE r\n!set x=1\nSELECT 1';

      assert.deepEqual(split(sql), [
        piece(sql, 'USE ROLE r'),
        piece(sql, '!set x=1'),
        piece(sql, 'SELECT 1'),
      ]);
    });

    it('keeps a top-level FOR … END FOR and IF … END IF whole', () => {
      const loop = 'FOR r IN c DO\n  LET x := 1;\n  IF (x > 0) THEN y := 2; END IF;\nEND FOR';
      const branch = 'if (a) then b := 1; else b := 2; end if';
      const sql = `${loop};\n${branch};\nSELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, loop), piece(sql, branch), piece(sql, 'SELECT 9')]);
    });

    it('closes FOR … LOOP and WHILE … LOOP at END LOOP', () => {
      const sql =
        'FOR i IN 1 TO 3 LOOP x := i; END LOOP; WHILE (a) LOOP b := 1; END LOOP; SELECT 9';

      assert.deepEqual(split(sql), [
        piece(sql, 'FOR i IN 1 TO 3 LOOP x := i; END LOOP'),
        piece(sql, 'WHILE (a) LOOP b := 1; END LOOP'),
        piece(sql, 'SELECT 9'),
      ]);
    });

    it('does not read the REPEAT function inside a CASE branch as a loop', () => {
      const block = "BEGIN x := CASE WHEN a THEN REPEAT('-', 3) ELSE '' END; END";
      const sql = `${block}; SELECT 9`;

      assert.deepEqual(split(sql), [piece(sql, block), piece(sql, 'SELECT 9')]);
    });

    it('reads an EXCEPTION section with its handlers as one statement up to the next section', () => {
      const first = 'EXCEPTION\n  WHEN a THEN\n    RETURN 1;\n  WHEN OTHER THEN\n    RAISE';
      const second = 'EXCEPTION WHEN b THEN RETURN 2';
      const sql = `${first};\n\n${second};`;

      assert.deepEqual(split(sql), [piece(sql, first), piece(sql, second)]);
    });

    it('ends a DECLARE section without BEGIN at its last semicolon', () => {
      const sql = 'DECLARE\n  a INT;\n  b INT;\nDECLARE c INT;';

      assert.deepEqual(split(sql), [
        piece(sql, 'DECLARE\n  a INT;\n  b INT'),
        piece(sql, 'DECLARE c INT'),
      ]);
    });

    it('splits a header off each branch when asked to', () => {
      const sql = 'WHEN a THEN x := 1; y := 2; WHEN OTHER THEN z := 3;';
      const tokens = lex(sql).tokens;
      const skipWhen = (all: readonly Token[], start: number): number => {
        if (all[start]?.text !== 'WHEN') return start;
        const then = all.findIndex((token, i) => i > start && token.text === 'THEN');

        return then + 1;
      };
      const pieces = splitStatements(tokens, skipWhen).map((slice) =>
        sql.slice(slice.span.start, slice.span.end),
      );

      assert.deepEqual(pieces, ['x := 1', 'y := 2', 'z := 3']);
    });
  });

  describe('linear splitting of unclosed blocks', () => {
    it('marks only the statement that holds the unclosed opener', () => {
      const sql = 'SELECT 1; BEGIN SELECT 2; SELECT 3';

      assert.deepEqual(split(sql), [
        piece(sql, 'SELECT 1'),
        { ...piece(sql, 'BEGIN SELECT 2'), unclosedBlock: true },
        piece(sql, 'SELECT 3'),
      ]);
    });

    it('splits thousands of unclosed blocks without rescanning the rest of the file', () => {
      const sql = 'BEGIN SELECT 1;\n'.repeat(20000);
      const started = performance.now();
      const slices = splitStatements(lex(sql).tokens);

      assert.equal(slices.length, 20000);
      assert.ok(performance.now() - started < 2000, 'splitting stays linear');
    });
  });
});
