import assert from 'node:assert/strict';
import { canonicalIdentifier, expressionName } from '../server/src/engine/lineage/canonical';
import { analyzeQuery, parseQueryCached } from '../server/src/engine/lineage/lineage';
import type {
  ColumnLookup,
  LineageSource,
  OutputColumn,
  QueryLineage,
} from '../server/src/engine/lineage/types';
import { VERSIONS, VERSION_BYTES, retainedBytes } from './helpers/memory';

/** Columns of the base tables the queries below read; any other table has unknown columns. */
const CATALOG: Record<string, readonly string[]> = {
  CUSTOMERS: ['ID', 'NAME', 'EMAIL'],
  ORDERS: ['ID', 'CUSTOMER_ID', 'AMOUNT'],
  'DB.S.T': ['A', 'B'],
};

const lookup: ColumnLookup = (table) => CATALOG[table];

function src(table: string, column: string): LineageSource {
  return { table, column };
}

function out(name: string, sources: readonly LineageSource[], direct = false): OutputColumn {
  return { name, sources, direct };
}

/** A plain pass-through of one base column. */
function pass(name: string, table: string, column = name): OutputColumn {
  return out(name, [src(table, column)], true);
}

function lineage(outputs: OutputColumn[], tables: string[], incomplete = false): QueryLineage {
  return { outputs, tables, incomplete };
}

function analyze(sql: string, columns: ColumnLookup = lookup): QueryLineage | undefined {
  return analyzeQuery(sql, columns);
}

describe('analyzeQuery', () => {
  describe('names', () => {
    it('follows a column alias and upper-cases unquoted names', () => {
      assert.deepEqual(
        analyze('select name as customer_name, email contact from customers'),
        lineage(
          [pass('CUSTOMER_NAME', 'CUSTOMERS', 'NAME'), pass('CONTACT', 'CUSTOMERS', 'EMAIL')],
          ['CUSTOMERS'],
        ),
      );
    });

    it('keeps quoted column names, aliases and table parts in quotes, as catalog keys do', () => {
      const sql = 'SELECT "mixedCase", t."Col" AS "Out", t.plain FROM "Sch"."tT" AS t';

      assert.deepEqual(
        analyze(sql),
        lineage(
          [
            pass('"mixedCase"', '"Sch"."tT"'),
            pass('"Out"', '"Sch"."tT"', '"Col"'),
            pass('PLAIN', '"Sch"."tT"'),
          ],
          ['"Sch"."tT"'],
        ),
      );
    });

    it('treats a quoted upper-case name like the unquoted one', () => {
      assert.deepEqual(
        analyze('SELECT "NAME" FROM "CUSTOMERS"'),
        lineage([pass('NAME', 'CUSTOMERS')], ['CUSTOMERS']),
      );
    });

    it('names an unaliased expression after its upper-cased text, quoted as a key', () => {
      assert.deepEqual(
        analyze('SELECT coalesce(name,  email) FROM customers'),
        lineage(
          [out('"COALESCE(NAME, EMAIL)"', [src('CUSTOMERS', 'NAME'), src('CUSTOMERS', 'EMAIL')])],
          ['CUSTOMERS'],
        ),
      );
    });

    it('matches a qualifier against the trailing parts of a qualified table name', () => {
      assert.deepEqual(
        analyze('SELECT t.a, s.t.b FROM db.s.t'),
        lineage([pass('A', 'DB.S.T'), pass('B', 'DB.S.T')], ['DB.S.T']),
      );
    });

    it('resolves a table alias, quoted or not, to its table', () => {
      assert.deepEqual(
        analyze('SELECT c.name, "O".amount FROM customers c, orders "O"'),
        lineage([pass('NAME', 'CUSTOMERS'), pass('AMOUNT', 'ORDERS')], ['CUSTOMERS', 'ORDERS']),
      );
    });
  });

  describe('joins', () => {
    it('resolves qualified and unqualified columns of joined tables through the lookup', () => {
      const sql = `
        SELECT c.id, name, amount, o.id AS order_id
        FROM customers c JOIN orders o ON o.customer_id = c.id`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [
            pass('ID', 'CUSTOMERS'),
            pass('NAME', 'CUSTOMERS'),
            pass('AMOUNT', 'ORDERS'),
            pass('ORDER_ID', 'ORDERS', 'ID'),
          ],
          ['CUSTOMERS', 'ORDERS'],
        ),
      );
    });

    it('gives an unqualified column to the only table whose columns are unknown', () => {
      assert.deepEqual(
        analyze('SELECT name, region FROM customers LEFT JOIN geo ON geo.id = customers.id'),
        lineage([pass('NAME', 'CUSTOMERS'), pass('REGION', 'GEO')], ['CUSTOMERS', 'GEO']),
      );
    });

    it('gives an unqualified column to the only table in scope even when the lookup knows nothing', () => {
      assert.deepEqual(
        analyze('SELECT region FROM geo', () => undefined),
        lineage([pass('REGION', 'GEO')], ['GEO']),
      );
    });

    it('marks the lineage incomplete when an unqualified column cannot be placed', () => {
      assert.deepEqual(
        analyze('SELECT region FROM geo, places', () => undefined),
        lineage([out('REGION', [], true)], ['GEO', 'PLACES'], true),
      );
    });
  });

  describe('star', () => {
    it('renames the columns of a top-level * RENAME, which node-sql-parser cannot read', () => {
      assert.deepEqual(
        analyze('SELECT * RENAME (email AS contact, "NAME" AS who) FROM customers'),
        lineage(
          [
            pass('ID', 'CUSTOMERS'),
            pass('WHO', 'CUSTOMERS', 'NAME'),
            pass('CONTACT', 'CUSTOMERS', 'EMAIL'),
          ],
          ['CUSTOMERS'],
        ),
      );
      assert.deepEqual(
        analyze('SELECT * RENAME email AS contact FROM customers')?.outputs.map((o) => o.name),
        ['ID', 'NAME', 'CONTACT'],
      );
    });

    it('gives no lineage for a * RENAME inside a CTE, rather than a wrong one', () => {
      assert.equal(
        analyze('WITH c AS (SELECT * RENAME (email AS e) FROM customers) SELECT e FROM c'),
        undefined,
      );
    });

    it('expands * over every joined table in FROM order', () => {
      assert.deepEqual(
        analyze('SELECT * FROM customers JOIN orders ON orders.customer_id = customers.id'),
        lineage(
          [
            pass('ID', 'CUSTOMERS'),
            pass('NAME', 'CUSTOMERS'),
            pass('EMAIL', 'CUSTOMERS'),
            pass('ID', 'ORDERS'),
            pass('CUSTOMER_ID', 'ORDERS'),
            pass('AMOUNT', 'ORDERS'),
          ],
          ['CUSTOMERS', 'ORDERS'],
        ),
      );
    });

    it('expands t.* over one table only and honours EXCLUDE', () => {
      assert.deepEqual(
        analyze(
          'SELECT o.* EXCLUDE (customer_id), c.name FROM orders o JOIN customers c USING (id)',
        ),
        lineage(
          [pass('ID', 'ORDERS'), pass('AMOUNT', 'ORDERS'), pass('NAME', 'CUSTOMERS')],
          ['ORDERS', 'CUSTOMERS'],
        ),
      );
    });

    it('marks the lineage incomplete when * covers a table with unknown columns', () => {
      assert.deepEqual(
        analyze('SELECT c.name, g.* FROM customers c JOIN geo g ON g.id = c.id'),
        lineage([pass('NAME', 'CUSTOMERS')], ['CUSTOMERS', 'GEO'], true),
      );
    });

    it('expands * over the derived columns of a CTE', () => {
      const sql =
        'WITH named AS (SELECT id, upper(name) AS name FROM customers) SELECT * FROM named';

      assert.deepEqual(
        analyze(sql),
        lineage([pass('ID', 'CUSTOMERS'), out('NAME', [src('CUSTOMERS', 'NAME')])], ['CUSTOMERS']),
      );
    });

    it('follows a named column through a * over a table with unknown columns', () => {
      assert.deepEqual(
        analyze('SELECT region FROM (SELECT * FROM geo) g'),
        lineage([pass('REGION', 'GEO')], ['GEO']),
      );
    });
  });

  describe('CTEs and subqueries', () => {
    it('follows columns through chained CTEs', () => {
      const sql = `
        WITH base AS (SELECT id AS customer, email FROM customers),
             renamed AS (SELECT customer AS who, email AS address FROM base)
        SELECT who, address FROM renamed`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [pass('WHO', 'CUSTOMERS', 'ID'), pass('ADDRESS', 'CUSTOMERS', 'EMAIL')],
          ['CUSTOMERS'],
        ),
      );
    });

    it('renames CTE outputs by position from its column list', () => {
      const sql =
        'WITH c (k, "Mail") AS (SELECT id, email FROM customers) SELECT c."Mail", k FROM c';

      assert.deepEqual(
        analyze(sql),
        lineage(
          [pass('"Mail"', 'CUSTOMERS', 'EMAIL'), pass('K', 'CUSTOMERS', 'ID')],
          ['CUSTOMERS'],
        ),
      );
    });

    it('lets a CTE shadow a base table of the same name', () => {
      assert.deepEqual(
        analyze('WITH orders AS (SELECT email AS amount FROM customers) SELECT amount FROM orders'),
        lineage([pass('AMOUNT', 'CUSTOMERS', 'EMAIL')], ['CUSTOMERS']),
      );
    });

    it('follows columns through an aliased and an unaliased subquery in FROM', () => {
      const sql = `
        SELECT s.total, n
        FROM (SELECT sum(amount) AS total FROM orders) s,
             (SELECT name AS n FROM customers)`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [out('TOTAL', [src('ORDERS', 'AMOUNT')]), pass('N', 'CUSTOMERS', 'NAME')],
          ['ORDERS', 'CUSTOMERS'],
        ),
      );
    });

    it('collects the sources of a correlated scalar subquery', () => {
      const sql = `
        SELECT name, (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.id) AS top
        FROM customers c`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [pass('NAME', 'CUSTOMERS'), out('TOP', [src('ORDERS', 'AMOUNT')])],
          ['CUSTOMERS', 'ORDERS'],
        ),
      );
    });

    it('lists tables read only by filter subqueries without making them sources', () => {
      const sql = `
        SELECT name FROM customers
        WHERE id IN (SELECT customer_id FROM orders) AND NOT EXISTS (SELECT 1 FROM blocked)`;

      assert.deepEqual(
        analyze(sql),
        lineage([pass('NAME', 'CUSTOMERS')], ['CUSTOMERS', 'ORDERS', 'BLOCKED']),
      );
    });

    it('merges the recursive branch of a recursive CTE into its sources', () => {
      const sql = `
        WITH RECURSIVE chain (id, total) AS (
          SELECT id, 0 FROM customers
          UNION ALL
          SELECT chain.id, chain.total + o.amount FROM chain JOIN orders o ON o.customer_id = chain.id
        )
        SELECT id, total FROM chain`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [pass('ID', 'CUSTOMERS'), out('TOTAL', [src('ORDERS', 'AMOUNT')])],
          ['CUSTOMERS', 'ORDERS'],
        ),
      );
    });
  });

  describe('expressions', () => {
    it('collects every column of an expression and marks it as not direct', () => {
      assert.deepEqual(
        analyze("SELECT name || ' <' || email || '>' AS label, upper(name) u FROM customers"),
        lineage(
          [
            out('LABEL', [src('CUSTOMERS', 'NAME'), src('CUSTOMERS', 'EMAIL')]),
            out('U', [src('CUSTOMERS', 'NAME')]),
          ],
          ['CUSTOMERS'],
        ),
      );
    });

    it('counts CASE conditions and results as sources', () => {
      const sql = 'SELECT CASE WHEN amount > 100 THEN customer_id ELSE id END AS k FROM orders';

      assert.deepEqual(
        analyze(sql),
        lineage(
          [out('K', [src('ORDERS', 'AMOUNT'), src('ORDERS', 'CUSTOMER_ID'), src('ORDERS', 'ID')])],
          ['ORDERS'],
        ),
      );
    });

    it('treats CAST and :: casts as derived values', () => {
      assert.deepEqual(
        analyze('SELECT CAST(amount AS VARCHAR) a, id::string b, amount FROM orders'),
        lineage(
          [
            out('A', [src('ORDERS', 'AMOUNT')]),
            out('B', [src('ORDERS', 'ID')]),
            pass('AMOUNT', 'ORDERS'),
          ],
          ['ORDERS'],
        ),
      );
    });

    it('counts window partitions and orderings as sources', () => {
      const sql =
        'SELECT sum(amount) OVER (PARTITION BY customer_id ORDER BY id) AS running FROM orders';

      assert.deepEqual(
        analyze(sql),
        lineage(
          [
            out('RUNNING', [
              src('ORDERS', 'AMOUNT'),
              src('ORDERS', 'CUSTOMER_ID'),
              src('ORDERS', 'ID'),
            ]),
          ],
          ['ORDERS'],
        ),
      );
    });

    it('gives constants and COUNT(*) no sources', () => {
      assert.deepEqual(
        analyze("SELECT 1 AS one, 'x' AS s, count(*) AS n FROM orders"),
        lineage([out('ONE', []), out('S', []), { ...out('N', []), summarized: true }], ['ORDERS']),
      );
    });

    it('marks counts and statistics, but not window aggregates or MAX, as summarized', () => {
      const result = analyze(
        'SELECT COUNT(DISTINCT dob) AS n, SUM(a) / COUNT(*) AS mean, MAX(a) AS top, ' +
          'SUM(a) OVER (PARTITION BY b) AS running FROM t',
      );
      assert.deepEqual(
        result?.outputs.map((output) => [output.name, output.summarized === true]),
        [
          ['N', true],
          ['MEAN', true],
          ['TOP', false],
          ['RUNNING', false],
        ],
      );
    });

    it('does not mistake the date part of DATEADD or DATEDIFF for a column', () => {
      assert.deepEqual(
        analyze('SELECT DATEADD(month, 1, a) x, DATEDIFF(day, a, b) y FROM db.s.t'),
        lineage(
          [out('X', [src('DB.S.T', 'A')]), out('Y', [src('DB.S.T', 'A'), src('DB.S.T', 'B')])],
          ['DB.S.T'],
        ),
      );
    });

    it('reads a semi-structured path as a derived value of its column', () => {
      assert.deepEqual(
        analyze('SELECT payload:customer.name::string AS who, payload[0] FROM events'),
        lineage(
          [out('WHO', [src('EVENTS', 'PAYLOAD')]), out('"PAYLOAD[0]"', [src('EVENTS', 'PAYLOAD')])],
          ['EVENTS'],
        ),
      );
    });

    it('follows a select-list alias referenced later in the same list', () => {
      assert.deepEqual(
        analyze('SELECT amount * 2 AS doubled, doubled + 1 AS more FROM orders'),
        lineage(
          [out('DOUBLED', [src('ORDERS', 'AMOUNT')]), out('MORE', [src('ORDERS', 'AMOUNT')])],
          ['ORDERS'],
        ),
      );
    });
  });

  describe('UNION', () => {
    it('matches outputs by position, names them from the first branch and merges sources', () => {
      const sql = `
        SELECT id, name FROM customers
        UNION ALL SELECT customer_id, amount::string FROM orders
        UNION SELECT a, b FROM db.s.t`;

      assert.deepEqual(
        analyze(sql),
        lineage(
          [
            out(
              'ID',
              [src('CUSTOMERS', 'ID'), src('ORDERS', 'CUSTOMER_ID'), src('DB.S.T', 'A')],
              true,
            ),
            out('NAME', [src('CUSTOMERS', 'NAME'), src('ORDERS', 'AMOUNT'), src('DB.S.T', 'B')]),
          ],
          ['CUSTOMERS', 'ORDERS', 'DB.S.T'],
        ),
      );
    });

    it('marks a union incomplete when a * of unknown width breaks the positions', () => {
      assert.deepEqual(
        analyze('SELECT id FROM customers UNION ALL SELECT * FROM geo'),
        lineage([pass('ID', 'CUSTOMERS')], ['CUSTOMERS', 'GEO'], true),
      );
    });
  });

  describe('unsupported input', () => {
    const unsupported: [string, string][] = [
      ['a positional column read from a stage', 'SELECT $1, $2 FROM @my_stage'],
      ['LATERAL FLATTEN', 'SELECT f.value FROM events e, LATERAL FLATTEN(input => e.payload) f'],
      ['a table function', 'SELECT * FROM TABLE(information_schema.task_history())'],
      ['PIVOT', 'SELECT * FROM orders PIVOT (sum(amount) FOR id IN (1, 2)) p'],
      [
        'NATURAL JOIN, which the parser misreads as an alias',
        'SELECT id FROM customers NATURAL JOIN orders',
      ],
      [
        'MINUS, which the grammar does not know',
        'SELECT id FROM customers MINUS SELECT id FROM orders',
      ],
      ['a star modifier other than EXCLUDE and RENAME', "SELECT * ILIKE '%id%' FROM customers"],
      ['a qualifier that names no table in scope', 'SELECT x.id FROM customers c'],
      ['a quoted identifier with an escaped quote', 'SELECT t."a""b" FROM customers t'],
      ['two statements', 'SELECT 1; SELECT 2'],
      ['a statement that is not a query', 'INSERT INTO orders SELECT * FROM customers'],
    ];
    for (const [what, sql] of unsupported) {
      it(`returns undefined for ${what}`, () => {
        assert.equal(analyze(sql), undefined);
      });
    }

    it('never throws on garbage, truncated queries or a failing lookup', () => {
      const failing: ColumnLookup = () => {
        throw new Error('catalog unavailable');
      };
      const samples = [
        '',
        ';;;',
        'SELECT',
        'SELECT (((',
        'WITH x AS (SELECT',
        '"unterminated',
        "SELECT 'unterminated",
        '\u0000\uffff',
        'SELECT * FROM',
        'SELECT a FROM t UNION',
      ];
      let seed = 7;
      const alphabet = 'SELECT FROM WHERE ()*,.:;"\'$@abc123 \n';
      for (let index = 0; index < 200; index++) {
        let text = '';
        for (let length = 0; length < 40; length++) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          text += alphabet[seed % alphabet.length];
        }
        samples.push(`SELECT ${text}`);
      }

      for (const sql of samples) {
        assert.doesNotThrow(() => analyze(sql));
        assert.doesNotThrow(() => analyze(sql, failing));
      }
      assert.equal(analyze('SELECT * FROM customers', failing), undefined);
    });
  });
});

describe('parseQueryCached', () => {
  it('returns the same parse for the same text without parsing it again', () => {
    const sql = 'SELECT id FROM customers WHERE id > 41';
    const first = parseQueryCached(sql);

    assert.ok(first);
    assert.equal(parseQueryCached(sql), first);
    assert.equal(first.sql, sql);
  });

  it('does not keep the file texts its queries were cut from alive', () => {
    // Query bodies are cut from the file's text, as the catalog cuts them.
    const grown = retainedBytes(
      (version) => `${' '.repeat(VERSION_BYTES)}SELECT id FROM version_${version}`,
      (text) => assert.ok(parseQueryCached(text.slice(VERSION_BYTES))),
    );

    assert.ok(grown < (VERSIONS * VERSION_BYTES) / 4, `the heap grew ${grown} bytes`);
  });

  it('returns undefined for text that does not parse, also on a second call', () => {
    assert.equal(parseQueryCached('SELECT FROM WHERE'), undefined);
    assert.equal(parseQueryCached('SELECT FROM WHERE'), undefined);
  });
});

describe('canonical names', () => {
  it('upper-cases unquoted identifiers and keeps quoted ones in quotes where needed', () => {
    assert.equal(canonicalIdentifier('mixedCase', false), 'MIXEDCASE');
    assert.equal(canonicalIdentifier('MIXED', true), 'MIXED');
    assert.equal(canonicalIdentifier('mixedCase', true), '"mixedCase"');
    assert.equal(canonicalIdentifier('say "hi"', true), '"say ""hi"""');
  });

  it('upper-cases expression text except inside quoted identifiers', () => {
    assert.equal(expressionName(' nvl("Mixed",\n  x) '), '"NVL(""Mixed"", X)"');
  });
});
