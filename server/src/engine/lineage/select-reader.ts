/**
 * A fast reader for the common shapes of query bodies: select lists of columns, aliases, `*`
 * (with EXCLUDE; RENAME is blanked out before), expressions, function calls, CASE and casts;
 * FROM and JOIN with aliases, subqueries, CTEs and UNION. It builds the parts of node-sql-parser's
 * Snowflake AST that the lineage analysis reads, with the same shapes and source locations, so
 * that the analysis gives the same answer from either. node-sql-parser reads a few hundred KB/s;
 * this reads the same views two orders of magnitude faster.
 *
 * It declines (gives undefined) whenever it is not certain to build what node-sql-parser would:
 * any token, word or construct outside the subset, and the few places where node-sql-parser's
 * tree shape matters to the analysis and this reader does not reproduce it. `test/select-reader`
 * holds it to that on every query body of the examples, rule cases and corpora.
 */
import type { AstNode } from './canonical';
import { Declined, TokenCursor } from './select-cursor';
import { type SelectToken, selectTokens } from './select-tokens';
import {
  type Node,
  binary,
  cast,
  columnRef,
  existsCall,
  hasSummarizingLeaf,
  isPlainArithmetic,
  loc,
} from './select-nodes';
import { CAST_TYPES, DECLINED_WORDS, SINGLE_ARGUMENT_AGGREGATES } from './select-words';

/** node-sql-parser's AST for `sql` when it is a query of the common shapes; else undefined. */
export function readCommonSelect(sql: string): AstNode | undefined {
  const tokens = selectTokens(sql);
  if (!tokens || tokens.length === 0) return undefined;
  try {
    const reader = new SelectReader(tokens);
    const ast = reader.query();

    return reader.atEnd() ? ast : undefined;
  } catch (error) {
    if (error instanceof Declined) return undefined;
    // A chain of prefix operators (NOT NOT …) nests without parentheses; past the stack's
    // depth the reader declines too.
    if (error instanceof RangeError && /call stack/i.test(error.message)) return undefined;
    throw error;
  }
}

/** Declined words that node-sql-parser reads as a plain call when parentheses follow. */
const CALLABLE_WORDS = new Set([
  'CURRENT_TIMESTAMP',
  'CURRENT_DATE',
  'CURRENT_USER',
  'DATE',
  'IF',
  'LEFT',
  'REPLACE',
]);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const JOIN_STARTS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL']);

/**
 * Expressions nested deeper than this are declined (node-sql-parser reads them or gives up): the
 * reader recurses about ten calls per level, and a few thousand levels overflowed the stack.
 */
const MAX_NESTING = 200;

class SelectReader extends TokenCursor {
  /** `[WITH …] SELECT … [UNION [ALL] SELECT …]* [ORDER BY …] [LIMIT n]`. */
  query(): Node {
    const ctes = this.isWord('WITH') ? this.withClause() : null;
    const head = this.select();
    head.with = ctes;
    let last = head;
    while (this.takeWord('UNION')) {
      last.set_op = this.takeWord('ALL') ? 'union all' : 'union';
      if (this.isWord('DISTINCT')) throw new Declined();
      const next = this.select();
      last._next = next;
      last = next;
    }
    // node-sql-parser attaches a trailing ORDER BY and LIMIT to the last branch.
    if (this.takeWord('ORDER')) last.orderby = this.orderBy();
    if (this.takeWord('LIMIT')) this.expect('number');

    return head;
  }

  private withClause(): Node[] {
    this.takeWord('WITH');
    if (this.isWord('RECURSIVE')) throw new Declined();
    const ctes: Node[] = [];
    do {
      const name = this.name();
      const columns = this.isSymbol('(') ? this.cteColumns() : null;
      this.expectWord('AS');
      this.expectSymbol('(');
      const body = this.query();
      this.expectSymbol(')');
      const cteName = name.quoted
        ? { type: 'double_quote_string', value: name.text }
        : { type: 'default', value: name.text };
      ctes.push({ name: cteName, stmt: { ast: body }, columns });
    } while (this.takeSymbol(','));

    return ctes;
  }

  /** `(a, b)` after a CTE name; quoted names are declined (node-sql-parser reads them apart). */
  private cteColumns(): Node[] {
    this.expectSymbol('(');
    const columns: Node[] = [];
    do {
      const token = this.bareWord();
      columns.push(columnRef([token.text], token.start, token.end));
    } while (this.takeSymbol(','));
    this.expectSymbol(')');

    return columns;
  }

  private select(): Node {
    this.expectWord('SELECT');
    if (this.isWord('ALL') || this.isWord('TOP')) throw new Declined();
    this.takeWord('DISTINCT');
    const columns: Node[] = [];
    do columns.push(this.selectItem());
    while (this.takeSymbol(','));
    const from = this.takeWord('FROM') ? this.fromList() : null;
    const where = this.takeWord('WHERE') ? this.expression() : null;
    let groupby: Node | null = null;
    if (this.takeWord('GROUP')) {
      this.expectWord('BY');
      groupby = { columns: this.groupingList() };
    }
    const having = this.takeWord('HAVING') ? this.expression() : null;
    const qualify = this.takeWord('QUALIFY') ? this.expression() : null;

    return { type: 'select', columns, from, where, groupby, having, qualify, orderby: null };
  }

  private selectItem(): Node {
    const start = this.peek();
    if (!start) throw new Declined();
    if (this.isSymbol('*')) {
      this.index++;

      return { expr: this.star(null), as: null, loc: loc(start.start, start.end) };
    }
    if (this.peek(1)?.text === '.' && this.peek(2)?.text === '*' && start.kind === 'word') {
      const qualifier = this.bareWord();
      this.index += 2;

      return { expr: this.star(qualifier.text), as: null, loc: loc(start.start, this.lastEnd()) };
    }
    const expr = this.expression();
    // node-sql-parser checks a select item that is a bare subquery for one column, unless it
    // is a UNION; the check is not worth reproducing.
    if (expr.ast !== undefined) throw new Declined();
    const summaryTree = hasSummarizingLeaf(expr);
    if (summaryTree && !isPlainArithmetic(expr)) throw new Declined();
    const alias = this.alias();

    return { type: 'expr', expr, as: alias, loc: loc(start.start, this.lastEnd()) };
  }

  /** `*` with an optional `EXCLUDE a` or `EXCLUDE (a, b)`; the star itself has no location. */
  private star(table: string | null): Node {
    let suffix: Node | null = null;
    if (this.peek()?.upper === 'EXCLUDE') {
      this.index++;
      const parenthesised = this.takeSymbol('(');
      const names: Node[] = [];
      do {
        const token = this.bareWord();
        names.push(columnRef([token.text], token.start, token.end));
      } while (parenthesised && this.takeSymbol(','));
      if (parenthesised) this.expectSymbol(')');
      suffix = {
        type: 'function',
        name: { name: [{ type: 'origin', value: 'exclude' }] },
        args: { type: 'expr_list', value: names },
      };
    }

    return { type: 'column_ref', table, column: '*', suffix };
  }

  /**
   * `AS name`, `name` or nothing. A declined word after an item is never taken as its alias: it
   * is either a clause this reader goes on to read, or left over, and then the text is declined.
   */
  private alias(): string | null {
    const explicit = this.takeWord('AS');
    const token = this.peek();
    const isName = token?.kind === 'quoted' || token?.kind === 'word';
    if (!explicit && (!isName || (token.kind === 'word' && DECLINED_WORDS.has(token.upper)))) {
      return null;
    }

    return this.name().text;
  }

  /**
   * FROM items joined by commas, then by JOINs. node-sql-parser reads a comma after `ON expr` as
   * part of the condition, so a comma after a JOIN is declined.
   */
  private fromList(): Node[] {
    const items = [this.fromItem()];
    while (this.takeSymbol(',')) items.push(this.fromItem());
    for (let join = this.joinKind(); join !== undefined; join = this.joinKind()) {
      const item = this.fromItem();
      item.join = join;
      if (this.takeWord('ON')) item.on = this.expression();
      else if (this.takeWord('USING')) item.using = this.usingList();
      else throw new Declined();
      items.push(item);
    }
    if (this.isSymbol(',')) throw new Declined();

    return items;
  }

  /**
   * `[INNER] JOIN`, `LEFT|RIGHT|FULL [OUTER] JOIN`. CROSS (like NATURAL) is declined:
   * node-sql-parser takes it for an alias of the table before it.
   */
  private joinKind(): string | undefined {
    const token = this.peek();
    if (!token || token.kind !== 'word' || !JOIN_STARTS.has(token.upper)) return undefined;
    this.index++;
    if (token.upper === 'JOIN') return 'INNER JOIN';
    if (token.upper !== 'INNER') this.takeWord('OUTER');
    this.expectWord('JOIN');

    return `${token.upper} JOIN`;
  }

  private usingList(): Node[] {
    this.expectSymbol('(');
    const names: Node[] = [];
    do names.push({ type: 'default', value: this.bareWord().text });
    while (this.takeSymbol(','));
    this.expectSymbol(')');

    return names;
  }

  /** A table name of one to three parts, or a parenthesised query, with an optional alias. */
  private fromItem(): Node {
    const start = this.peek();
    if (!start) throw new Declined();
    if (this.takeSymbol('(')) {
      if (!this.isWord('SELECT') && !this.isWord('WITH')) throw new Declined();
      const ast = this.query();
      this.expectSymbol(')');
      const as = this.alias();

      return { expr: { ast, parentheses: true }, as, loc: loc(start.start, this.lastEnd()) };
    }
    const parts = [this.name()];
    while (this.takeSymbol('.')) parts.push(this.name());
    if (parts.length > 3 || this.isSymbol('(')) throw new Declined();
    const keys = [['table'], ['db', 'table'], ['db', 'schema', 'table']][parts.length - 1];
    const item: Node = {};
    const surround: Node = {};
    parts.forEach((part, position) => {
      item[keys[position]] = part.text;
      surround[keys[position]] = part.quoted ? '"' : '';
    });
    item.surround = surround;
    item.as = this.alias();
    item.loc = loc(start.start, this.lastEnd());

    return item;
  }

  /** GROUP BY items, where node-sql-parser takes no AND, OR or NOT at the top. */
  private groupingList(): Node[] {
    const list = this.expressionList();
    const negated = (node: Node): boolean => node.type === 'unary_expr' && node.operator === 'NOT';
    if (list.some((node) => isAndOr(node) || negated(node))) throw new Declined();

    return list;
  }

  /** An expression without AND or OR at its top, which CAST and ORDER BY take no further. */
  private operand(): Node {
    const node = this.expression();
    if (isAndOr(node)) throw new Declined();

    return node;
  }

  private expressionList(): Node[] {
    const list = [this.expression()];
    while (this.takeSymbol(',')) list.push(this.expression());

    return list;
  }

  private orderBy(): Node[] {
    this.expectWord('BY');
    const items: Node[] = [];
    do {
      const expr = this.operand();
      if (!this.takeWord('ASC')) this.takeWord('DESC');
      if (this.takeWord('NULLS') && !this.takeWord('FIRST')) this.expectWord('LAST');
      items.push({ expr });
    } while (this.takeSymbol(','));

    return items;
  }

  /**
   * Any expression. Logical operators are chained without node-sql-parser's grouping, which
   * only the `summarized` flag of a select item could see, and such items are declined.
   */
  /** How deep `expression` is nested (parentheses, calls, subqueries); see MAX_NESTING. */
  private nesting = 0;

  private expression(): Node {
    if (this.nesting >= MAX_NESTING) throw new Declined();
    this.nesting++;
    try {
      let left = this.negation();
      for (;;) {
        const token = this.peek();
        if (!token || (token.upper !== 'AND' && token.upper !== 'OR')) return left;
        this.index++;
        left = binary(token.upper, left, this.negation());
      }
    } finally {
      this.nesting--;
    }
  }

  private negation(): Node {
    if (this.takeWord('NOT')) return { type: 'unary_expr', operator: 'NOT', expr: this.negation() };

    return this.comparison();
  }

  /**
   * One comparison at most: node-sql-parser rejects most chains of them (`a = 1 IS NULL`,
   * `a LIKE b IS NULL`), so a second one is declined.
   */
  private comparison(): Node {
    const left = this.additive();
    const compared = this.comparisonOf(left);
    if (compared !== left && this.comparisonOf(compared) !== compared) throw new Declined();

    return compared;
  }

  /** `left` with the comparison that follows it, or `left` itself when none follows. */
  private comparisonOf(left: Node): Node {
    const token = this.peek();
    if (!token) return left;
    if (token.kind === 'symbol' && COMPARISONS.has(token.text)) {
      this.index++;

      return binary(token.text, left, this.additive());
    }
    if (token.kind !== 'word') return left;
    if (token.upper === 'IS') {
      this.index++;
      const operator = this.takeWord('NOT') ? 'IS NOT' : 'IS';
      this.expectWord('NULL');

      return binary(operator, left, { type: 'null', value: null });
    }
    const negated = token.upper === 'NOT';
    const word = negated ? this.peek(1)?.upper : token.upper;
    if (word !== 'IN' && word !== 'BETWEEN' && word !== 'LIKE' && word !== 'ILIKE') return left;
    this.index += negated ? 2 : 1;

    return binary(negated ? `NOT ${word}` : word, left, this.comparisonRight(word));
  }

  private comparisonRight(word: string): Node {
    if (word === 'LIKE' || word === 'ILIKE') {
      const pattern = this.additive();
      // node-sql-parser fails on some operators after a literal pattern (`LIKE 'a' || c`), and
      // on a `::` cast or an ESCAPE clause; a single plain term is all that is read here.
      if (pattern.type === 'cast' || pattern.type === 'binary_expr' || this.isWord('ESCAPE')) {
        throw new Declined();
      }

      return pattern;
    }
    if (word === 'BETWEEN') {
      const low = this.additive();
      this.expectWord('AND');

      return { type: 'expr_list', value: [low, this.additive()] };
    }
    this.expectSymbol('(');
    // The items of an IN list take no AND or OR at their top in node-sql-parser.
    const value: Node[] =
      this.isWord('SELECT') || this.isWord('WITH') ? [{ ast: this.query() }] : [];
    if (value.length === 0) {
      do value.push(this.operand());
      while (this.takeSymbol(','));
    }
    this.expectSymbol(')');

    return { type: 'expr_list', value };
  }

  /** `+` and `-` bind looser than `*`, `/`, `%` and `||`, all from the left, as in node-sql-parser. */
  private additive(): Node {
    let left = this.multiplicative();
    for (;;) {
      const token = this.peek();
      if (token?.kind !== 'symbol' || (token.text !== '+' && token.text !== '-')) return left;
      this.index++;
      left = binary(token.text, left, this.multiplicative());
    }
  }

  private multiplicative(): Node {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const operator = token?.kind === 'symbol' ? token.text : '';
      if (operator !== '*' && operator !== '/' && operator !== '%' && operator !== '||') {
        return left;
      }
      this.index++;
      left = binary(operator, left, this.unary());
    }
  }

  private unary(): Node {
    if (this.takeSymbol('-')) return { type: 'unary_expr', operator: '-', expr: this.unary() };

    return this.postfix();
  }

  /** A primary expression with `::type` casts after it. */
  private postfix(): Node {
    // node-sql-parser reads `(…)::type` and `CAST(…)::type` in a select list but not in WHERE
    // or ON, so both are declined.
    const closed = this.isSymbol('(') || this.isWord('CAST') || this.isWord('TRY_CAST');
    let expr = this.primary();
    if (closed && this.isSymbol('::')) throw new Declined();
    while (this.takeSymbol('::')) {
      expr = cast(expr, '::', this.castType());
      // node-sql-parser fails on `a::INT "Alias"` and `-1::NUMBER(38,0) "Alias"`.
      if (this.peek()?.kind === 'quoted') throw new Declined();
    }

    return expr;
  }

  private primary(): Node {
    const token = this.peek();
    if (!token) throw new Declined();
    this.index++;
    if (token.kind === 'number') return { type: 'number', value: Number(token.text) };
    if (token.kind === 'string') return { type: 'single_quote_string', value: token.text };
    if (token.kind === 'quoted') return this.quotedReference(token);
    if (token.kind === 'symbol') {
      if (token.text !== '(') throw new Declined();

      return this.parenthesised();
    }
    switch (token.upper) {
      case 'NULL':
        return { type: 'null', value: null };
      case 'TRUE':
      case 'FALSE':
        return { type: 'bool', value: token.upper === 'TRUE' };
      case 'CASE':
        return this.caseExpression();
      case 'CAST':
      case 'TRY_CAST':
        return this.castCall();
      case 'EXISTS':
        return this.exists();
    }
    if (this.isSymbol('(')) return this.call(token);

    return this.wordReference(token);
  }

  /** `(expr)` or a scalar subquery; a parenthesised bare column is declined. */
  private parenthesised(): Node {
    if (this.isWord('SELECT') || this.isWord('WITH')) {
      const ast = this.query();
      this.expectSymbol(')');
      // node-sql-parser rejects a scalar subquery of other than one column in some places.
      const columns = ast.columns as Node[];
      const star = (column: Node): boolean => (column.expr as Node).column === '*';
      if (columns.length !== 1 || columns.some(star)) throw new Declined();

      return { ast, parentheses: true };
    }
    const inner = this.expression();
    this.expectSymbol(')');
    // node-sql-parser stretches the location of a parenthesised reference over the brackets,
    // which changes how its quoting is read back.
    if (inner.type === 'column_ref' || inner.type === 'double_quote_string') throw new Declined();

    return { ...inner, parentheses: true };
  }

  /** CASE; node-sql-parser takes no AND or OR at the top of its operand or of ELSE. */
  private caseExpression(): Node {
    const expr = this.isWord('WHEN') ? null : this.operand();
    const args: Node[] = [];
    while (this.takeWord('WHEN')) {
      const cond = this.expression();
      this.expectWord('THEN');
      args.push({ type: 'when', cond, result: this.expression() });
    }
    if (args.length === 0) throw new Declined();
    if (this.takeWord('ELSE')) args.push({ type: 'else', result: this.operand() });
    this.expectWord('END');

    return { type: 'case', expr, args };
  }

  private castCall(): Node {
    this.expectSymbol('(');
    const expr = this.operand();
    this.expectWord('AS');
    const target = this.castType();
    this.expectSymbol(')');

    return cast(expr, 'as', target);
  }

  /** A cast target from CAST_TYPES, with its length or precision when it takes one. */
  private castType(): Node {
    const token = this.bareWord(true);
    const sized = CAST_TYPES.get(token.upper);
    if (sized === undefined) throw new Declined();
    if (!this.takeSymbol('(')) return { dataType: token.upper };
    if (!sized) throw new Declined();
    this.expect('number');
    if (this.takeSymbol(',')) this.expect('number');
    this.expectSymbol(')');

    return { dataType: token.upper, parentheses: true };
  }

  private exists(): Node {
    this.expectSymbol('(');
    if (!this.isWord('SELECT') && !this.isWord('WITH')) throw new Declined();
    const ast = this.query();
    this.expectSymbol(')');

    return existsCall(ast);
  }

  /** `name(args) [OVER (…)]`; aggregates with a grammar of their own take one argument. */
  private call(name: SelectToken): Node {
    if (DECLINED_WORDS.has(name.upper) && !CALLABLE_WORDS.has(name.upper)) throw new Declined();
    this.expectSymbol('(');
    const aggregate = SINGLE_ARGUMENT_AGGREGATES.has(name.upper);
    let args: Node[] = [];
    if (this.isSymbol('*')) {
      if (name.upper !== 'COUNT') throw new Declined();
      this.index++;
      args = [{ type: 'star', value: '*' }];
    } else if (!this.isSymbol(')')) {
      if (this.takeWord('DISTINCT') && name.upper !== 'COUNT') throw new Declined();
      args = this.expressionList();
    }
    this.expectSymbol(')');
    if (aggregate && args.length !== 1) throw new Declined();
    const over = this.takeWord('OVER') ? this.window() : null;

    return {
      type: 'function',
      name: { name: [{ type: 'default', value: name.text }] },
      args: { type: 'expr_list', value: args },
      over,
    };
  }

  /** `OVER ([PARTITION BY …] [ORDER BY …])`; window frames are declined. */
  private window(): Node {
    this.expectSymbol('(');
    const partitionby = this.takeWord('PARTITION') ? this.partitionBy() : null;
    const orderby = this.takeWord('ORDER') ? this.orderBy() : null;
    this.expectSymbol(')');

    return { type: 'window', partitionby, orderby };
  }

  private partitionBy(): Node[] {
    this.expectWord('BY');

    return this.expressionList();
  }

  /** `"Name"` alone is a double_quote_string node in node-sql-parser; `"T".c` is a column. */
  private quotedReference(token: SelectToken): Node {
    if (!this.isSymbol('.')) return { type: 'double_quote_string', value: token.text };

    return this.qualifiedReference(token);
  }

  private wordReference(token: SelectToken): Node {
    if (DECLINED_WORDS.has(token.upper)) throw new Declined();

    return this.qualifiedReference(token);
  }

  /** `c`, `t.c` or `s.t.c`; four parts do not parse in node-sql-parser. */
  private qualifiedReference(first: SelectToken): Node {
    const names = [first.text];
    while (this.takeSymbol('.')) names.push(this.name().text);
    if (names.length > 3) throw new Declined();

    return columnRef(names, first.start, this.lastEnd());
  }

  /** A word that is not declined, or a quoted name. */
  private name(): { text: string; quoted: boolean } {
    const token = this.peek();
    if (token?.kind === 'quoted') {
      this.index++;

      return { text: token.text, quoted: true };
    }

    return { text: this.bareWord().text, quoted: false };
  }

  private bareWord(allowDeclined = false): SelectToken {
    const token = this.peek();
    if (token?.kind !== 'word' || (!allowDeclined && DECLINED_WORDS.has(token.upper))) {
      throw new Declined();
    }
    this.index++;

    return token;
  }
}

function isAndOr(node: Node): boolean {
  return node.type === 'binary_expr' && (node.operator === 'AND' || node.operator === 'OR');
}
