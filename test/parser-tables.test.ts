import assert from 'node:assert/strict';
import {
  expectKind,
  parseInEveryForm,
  parseMany,
  parseOne,
  partsOf,
  rangeOf,
  spanOf,
} from './helpers/syntax';

describe('parsing tables and views', () => {
  describe('CREATE TABLE', () => {
    const sql =
      'CREATE OR REPLACE TRANSIENT TABLE db.s.people (\n' +
      '  id NUMBER(38, 0) NOT NULL,\n' +
      '  email VARCHAR(100) WITH MASKING POLICY gov.p.mask_email USING (email, id),\n' +
      "  ssn STRING WITH TAG (gov.t.pii = 'ssn', gov.t.owner = 'hr') COMMENT 'id number',\n" +
      '  PRIMARY KEY (id)\n' +
      ") WITH ROW ACCESS POLICY gov.p.rap ON (id) COMMENT = 'people'";

    it('reads the header, the name and every column with its type', () => {
      const table = expectKind(parseOne(sql), 'create-table');

      assert.deepEqual(rangeOf(table), { start: 0, end: sql.length });
      assert.equal(table.orReplace, true);
      assert.equal(table.tableKind, 'TRANSIENT');
      assert.deepEqual(partsOf(table.name), ['DB', 'S', 'PEOPLE']);
      assert.deepEqual(
        table.columns.map((c) => [c.name.value, c.dataType]),
        [
          ['ID', 'NUMBER(38,0)'],
          ['EMAIL', 'VARCHAR(100)'],
          ['SSN', 'STRING'],
        ],
      );
      assert.deepEqual(rangeOf(table.columns[0]), spanOf(sql, 'id NUMBER(38, 0) NOT NULL'));
      assert.deepEqual(table.columns[0].dataTypeSpan, spanOf(sql, 'NUMBER(38, 0)'));
      assert.equal(table.columnListEnd, sql.indexOf(') WITH ROW'));
    });

    it('reads an inline masking policy with its USING columns', () => {
      const table = expectKind(parseOne(sql), 'create-table');
      const masking = table.columns[1].maskingPolicy;

      assert.ok(masking);
      assert.deepEqual(partsOf(masking.policy), ['GOV', 'P', 'MASK_EMAIL']);
      assert.deepEqual(
        masking.columns.map((c) => c.value),
        ['EMAIL', 'ID'],
      );
      assert.deepEqual(
        rangeOf(masking),
        spanOf(sql, 'WITH MASKING POLICY gov.p.mask_email USING (email, id)'),
      );
      assert.equal(table.columns[0].maskingPolicy, undefined);
    });

    it('reads inline tags with their values, and a column comment', () => {
      const table = expectKind(parseOne(sql), 'create-table');
      const ssn = table.columns[2];

      assert.deepEqual(
        ssn.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [
          [['GOV', 'T', 'PII'], 'ssn'],
          [['GOV', 'T', 'OWNER'], 'hr'],
        ],
      );
      assert.deepEqual(rangeOf(ssn.tags[0]), spanOf(sql, "gov.t.pii = 'ssn'"));
      assert.equal(ssn.comment?.value, 'id number');
    });

    it('reads a table-level row access policy with its ON columns', () => {
      const table = expectKind(parseOne(sql), 'create-table');

      assert.ok(table.rowAccessPolicy);
      assert.deepEqual(partsOf(table.rowAccessPolicy.policy), ['GOV', 'P', 'RAP']);
      assert.deepEqual(
        table.rowAccessPolicy.columns.map((c) => c.value),
        ['ID'],
      );
      assert.deepEqual(
        rangeOf(table.rowAccessPolicy),
        spanOf(sql, 'WITH ROW ACCESS POLICY gov.p.rap ON (id)'),
      );
    });

    it('reads table-level tags', () => {
      const text = "CREATE TABLE IF NOT EXISTS t (a INT) WITH TAG (pii = 'x')";
      const table = expectKind(parseOne(text), 'create-table');

      assert.equal(table.ifNotExists, true);
      assert.deepEqual(
        table.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [[['PII'], 'x']],
      );
      assert.deepEqual(rangeOf(table.tags[0]), spanOf(text, "pii = 'x'"));
    });

    it('reads CREATE TABLE … AS SELECT with the exact query span', () => {
      const text = 'CREATE TABLE t2 AS\n  SELECT a, b FROM t1 WHERE c = 1';
      const table = expectKind(parseOne(text), 'create-table');
      const query = 'SELECT a, b FROM t1 WHERE c = 1';

      assert.deepEqual(table.columns, []);
      assert.deepEqual(table.asQuery, { ...spanOf(text, query), text: query });
    });

    it('reads CREATE TABLE … CLONE', () => {
      const text = 'create table t3 clone db.s.t1';
      const table = expectKind(parseOne(text), 'create-table');

      assert.deepEqual(partsOf(table.cloneOf), ['DB', 'S', 'T1']);
      assert.deepEqual(table.cloneOf && rangeOf(table.cloneOf), spanOf(text, 'db.s.t1'));
    });
  });

  describe('ALTER TABLE and ALTER VIEW column actions', () => {
    it('reads SET MASKING POLICY with a quoted name, USING and FORCE, then an UNSET', () => {
      const sql =
        'ALTER TABLE d.s.t MODIFY COLUMN email SET MASKING POLICY "Gov".p."mask-email" ' +
        'USING (email, id) FORCE, COLUMN ssn UNSET MASKING POLICY';
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.equal(alter.objectType, 'TABLE');
      assert.deepEqual(partsOf(alter.name), ['D', 'S', 'T']);
      assert.equal(alter.actions.length, 2);
      const [set, unset] = alter.actions;
      assert.ok(set.type === 'alter-column' && unset.type === 'alter-column');
      assert.equal(set.column.value, 'EMAIL');
      assert.deepEqual(
        rangeOf(set),
        spanOf(sql, 'COLUMN email SET MASKING POLICY "Gov".p."mask-email" USING (email, id) FORCE'),
      );
      assert.ok(set.action.type === 'set-masking-policy');
      assert.deepEqual(partsOf(set.action.policy.policy), ['Gov', 'P', 'mask-email']);
      assert.deepEqual(rangeOf(set.action.policy.policy), spanOf(sql, '"Gov".p."mask-email"'));
      assert.deepEqual(
        set.action.policy.columns.map((c) => c.value),
        ['EMAIL', 'ID'],
      );
      assert.equal(set.action.policy.force, true);
      assert.equal(unset.column.value, 'SSN');
      assert.deepEqual(unset.action, { type: 'unset-masking-policy' });
      assert.deepEqual(rangeOf(unset), spanOf(sql, 'COLUMN ssn UNSET MASKING POLICY'));
    });

    it('spans a SET MASKING POLICY clause from SET, as WITH MASKING POLICY spans from WITH', () => {
      const sql = 'ALTER TABLE t MODIFY COLUMN a SET MASKING POLICY p FORCE';
      const [action] = expectKind(parseOne(sql), 'alter-table').actions;

      assert.ok(action.type === 'alter-column' && action.action.type === 'set-masking-policy');
      assert.deepEqual(rangeOf(action.action.policy), spanOf(sql, 'SET MASKING POLICY p FORCE'));
    });

    it('reads several columns without the COLUMN keyword', () => {
      const sql = 'ALTER TABLE t MODIFY a SET MASKING POLICY p1, b SET MASKING POLICY p2';
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.deepEqual(
        alter.actions.map((a) =>
          a.type === 'alter-column' && a.action.type === 'set-masking-policy'
            ? [a.column.value, partsOf(a.action.policy.policy)]
            : a.type,
        ),
        [
          ['A', ['P1']],
          ['B', ['P2']],
        ],
      );
    });

    it('reads every column of one ADD COLUMN, then the next action', () => {
      const sql =
        'ALTER TABLE db.s.p ADD COLUMN a1 VARCHAR, email VARCHAR WITH MASKING POLICY m, ' +
        '"Phone" NUMBER(10, 0) COMMENT \'x\', DROP COLUMN old';
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.deepEqual(
        alter.actions.map((a) =>
          a.type === 'add-column'
            ? [a.column.name.value, a.column.dataType, partsOf(a.column.maskingPolicy?.policy)]
            : [a.type],
        ),
        [
          ['A1', 'VARCHAR', []],
          ['EMAIL', 'VARCHAR', ['M']],
          ['Phone', 'NUMBER(10,0)', []],
          ['drop-column'],
        ],
      );
      assert.deepEqual(rangeOf(alter.actions[0]), spanOf(sql, 'ADD COLUMN a1 VARCHAR'));
      assert.deepEqual(
        rangeOf(alter.actions[1]),
        spanOf(sql, 'email VARCHAR WITH MASKING POLICY m'),
      );
    });

    it('reads SET TAG and UNSET TAG with several tags on several columns of a view', () => {
      const sql =
        "ALTER VIEW v ALTER COLUMN a SET TAG t1 = 'x', t2 = 'y', COLUMN b UNSET TAG t1, t2";
      const alter = expectKind(parseOne(sql), 'alter-table');

      assert.equal(alter.objectType, 'VIEW');
      const [set, unset] = alter.actions;
      assert.ok(set.type === 'alter-column' && set.action.type === 'set-tags');
      assert.ok(unset.type === 'alter-column' && unset.action.type === 'unset-tags');
      assert.deepEqual(
        set.action.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [
          [['T1'], 'x'],
          [['T2'], 'y'],
        ],
      );
      assert.deepEqual(rangeOf(set.action.tags[1]), spanOf(sql, "t2 = 'y'"));
      assert.equal(unset.column.value, 'B');
      assert.deepEqual(unset.action.tags.map(partsOf), [['T1'], ['T2']]);
      assert.deepEqual(rangeOf(unset), spanOf(sql, 'COLUMN b UNSET TAG t1, t2'));
    });

    it('reads table-level SET TAG and UNSET TAG', () => {
      const sql = "ALTER TABLE t SET TAG t1 = 'a', t2 = 'b'; ALTER TABLE t UNSET TAG t1, t2";
      const [set, unset] = parseMany(sql).map((s) => expectKind(s, 'alter-table').actions[0]);

      assert.ok(set.type === 'set-tags' && unset.type === 'unset-tags');
      assert.deepEqual(
        set.tags.map((t) => partsOf(t.tag)),
        [['T1'], ['T2']],
      );
      assert.deepEqual(rangeOf(set), spanOf(sql, "SET TAG t1 = 'a', t2 = 'b'"));
      assert.deepEqual(unset.tags.map(partsOf), [['T1'], ['T2']]);
    });
  });

  describe('views', () => {
    it('reads CREATE SECURE VIEW with its column list and the exact query span', () => {
      const query = "SELECT a, b FROM t WHERE c = 'AS'";
      const sql =
        `CREATE OR REPLACE SECURE VIEW v (a COMMENT 'x', b MASKING POLICY p) AS\n` + query;
      const view = expectKind(parseOne(sql), 'create-view');

      assert.equal(view.secure, true);
      assert.equal(view.materialized, false);
      assert.deepEqual(
        view.columns.map((c) => [c.name.value, partsOf(c.maskingPolicy?.policy)]),
        [
          ['A', []],
          ['B', ['P']],
        ],
      );
      assert.deepEqual(view.query, { ...spanOf(sql, query), text: query });
    });

    it('reads CREATE MATERIALIZED VIEW with properties before AS and the exact query span', () => {
      const query = 'SELECT * FROM t';
      const sql = `CREATE MATERIALIZED VIEW IF NOT EXISTS mv COMMENT = 'as x' AS ${query}`;
      const view = expectKind(parseOne(sql), 'create-view');

      assert.equal(view.materialized, true);
      assert.equal(view.secure, false);
      assert.deepEqual(partsOf(view.name), ['MV']);
      assert.deepEqual(view.query, { ...spanOf(sql, query), text: query });
    });
  });

  describe('table kinds, options and table policies', () => {
    it('reads every kind of table', () => {
      const sql = [
        'CREATE TEMPORARY TABLE a (x INT)',
        "CREATE DYNAMIC TABLE b TARGET_LAG = '1 minute' WAREHOUSE = wh AS SELECT 1 AS x",
        'CREATE EXTERNAL TABLE c (x INT AS (VALUE:c1::INT)) LOCATION = @s FILE_FORMAT = (TYPE = CSV)',
        "CREATE ICEBERG TABLE d (x INT) CATALOG = 'SNOWFLAKE' EXTERNAL_VOLUME = 'v'",
        'CREATE HYBRID TABLE e (x INT PRIMARY KEY)',
        'CREATE EVENT TABLE f',
        'create transient table g like h',
      ].join(';\n');
      const tables = parseMany(sql).map((s) => expectKind(s, 'create-table'));

      assert.deepEqual(
        tables.map((t) => [t.tableKind, partsOf(t.name)]),
        [
          ['TEMPORARY', ['A']],
          ['DYNAMIC', ['B']],
          ['EXTERNAL', ['C']],
          ['ICEBERG', ['D']],
          ['HYBRID', ['E']],
          ['EVENT', ['F']],
          ['TRANSIENT', ['G']],
        ],
      );
      assert.deepEqual(partsOf(tables[6].likeOf), ['H']);
      assert.equal(tables[1].asQuery?.text, 'SELECT 1 AS x');
    });

    it('reads retention, COPY GRANTS and the aggregation and join policies of a table', () => {
      const sql =
        'CREATE OR REPLACE TABLE t (id INT, region STRING)\n' +
        '  DATA_RETENTION_TIME_IN_DAYS = 0 COPY GRANTS\n' +
        '  WITH AGGREGATION POLICY gov.p.agg ENTITY KEY (id)\n' +
        '  JOIN POLICY gov.p.jp ALLOWED JOIN KEYS (id, region)';
      const table = expectKind(parseOne(sql), 'create-table');

      assert.deepEqual(
        table.properties.map((p) => [p.key, p.value?.value]),
        [['DATA_RETENTION_TIME_IN_DAYS', '0']],
      );
      assert.equal(table.copyGrants, true);
      assert.deepEqual(partsOf(table.aggregationPolicy?.policy), ['GOV', 'P', 'AGG']);
      assert.deepEqual(
        table.aggregationPolicy?.columns.map((c) => c.value),
        ['ID'],
      );
      assert.deepEqual(
        table.aggregationPolicy && rangeOf(table.aggregationPolicy),
        spanOf(sql, 'WITH AGGREGATION POLICY gov.p.agg ENTITY KEY (id)'),
      );
      assert.deepEqual(
        table.joinPolicy?.columns.map((c) => c.value),
        ['ID', 'REGION'],
      );
      assert.deepEqual(
        table.joinPolicy && rangeOf(table.joinPolicy),
        spanOf(sql, 'JOIN POLICY gov.p.jp ALLOWED JOIN KEYS (id, region)'),
      );
    });

    it('reads column options around masking policies, tags and projection policies', () => {
      const sql =
        'CREATE TABLE t (\n' +
        '  id NUMBER IDENTITY(1, 1) NOT NULL PRIMARY KEY,\n' +
        "  name VARCHAR COLLATE 'en-ci' DEFAULT 'x' WITH PROJECTION POLICY gov.p.pp,\n" +
        "  dob DATE CONSTRAINT fk REFERENCES p (dob) MASKING POLICY m WITH TAG (pii = 'dob')\n" +
        ')';
      const [id, name, dob] = expectKind(parseOne(sql), 'create-table').columns;

      assert.deepEqual([id.dataType, id.maskingPolicy], ['NUMBER', undefined]);
      assert.deepEqual(partsOf(name.projectionPolicy?.policy), ['GOV', 'P', 'PP']);
      assert.deepEqual(
        name.projectionPolicy && rangeOf(name.projectionPolicy),
        spanOf(sql, 'WITH PROJECTION POLICY gov.p.pp'),
      );
      assert.deepEqual(partsOf(dob.maskingPolicy?.policy), ['M']);
      assert.deepEqual(
        dob.tags.map((t) => t.value?.value),
        ['dob'],
      );
      assert.equal(dob.policyInsertAt, sql.indexOf('WITH TAG (pii'));
    });
  });

  describe('ALTER TABLE policy and option actions', () => {
    it('reads SET and UNSET of projection policies on columns', () => {
      const sql =
        'ALTER TABLE t ALTER COLUMN c1 SET PROJECTION POLICY d.s.pp FORCE, COLUMN c2 UNSET PROJECTION POLICY';
      const [set, unset] = expectKind(parseOne(sql), 'alter-table').actions;

      assert.ok(set.type === 'alter-column' && set.action.type === 'set-projection-policy');
      assert.deepEqual(
        [partsOf(set.action.policy.policy), set.action.policy.force],
        [['D', 'S', 'PP'], true],
      );
      assert.deepEqual(
        rangeOf(set.action.policy),
        spanOf(sql, 'SET PROJECTION POLICY d.s.pp FORCE'),
      );
      assert.ok(unset.type === 'alter-column');
      assert.deepEqual(
        [unset.column.value, unset.action],
        ['C2', { type: 'unset-projection-policy' }],
      );
    });

    it('reads SET and UNSET of aggregation and join policies on a table or view', () => {
      const sql =
        'ALTER TABLE t SET AGGREGATION POLICY ap ENTITY KEY (a, b) FORCE;\n' +
        'alter view v set join policy jp;\n' +
        'ALTER DYNAMIC TABLE dt UNSET AGGREGATION POLICY';
      const [aggregation, join, unset] = parseMany(sql).map(
        (s) => expectKind(s, 'alter-table').actions[0],
      );

      assert.ok(aggregation.type === 'set-policy' && join.type === 'set-policy');
      assert.equal(aggregation.policyType, 'AGGREGATION');
      assert.deepEqual(
        aggregation.policy.columns.map((c) => c.value),
        ['A', 'B'],
      );
      assert.equal(aggregation.policy.force, true);
      assert.deepEqual(
        rangeOf(aggregation),
        spanOf(sql, 'SET AGGREGATION POLICY ap ENTITY KEY (a, b) FORCE'),
      );
      assert.deepEqual([join.policyType, partsOf(join.policy.policy)], ['JOIN', ['JP']]);
      assert.deepEqual(unset, {
        type: 'unset-policy',
        policyType: 'AGGREGATION',
        ...spanOf(sql, 'UNSET AGGREGATION POLICY'),
      });
    });

    it('reads SET and UNSET of table options such as retention', () => {
      const sql =
        'ALTER TABLE t SET DATA_RETENTION_TIME_IN_DAYS = 0, CHANGE_TRACKING = TRUE; ALTER TABLE t UNSET COMMENT';
      const [set, unset] = parseMany(sql).map((s) => expectKind(s, 'alter-table').actions[0]);

      assert.ok(set.type === 'set-properties' && unset.type === 'unset-properties');
      assert.deepEqual(
        set.properties.map((p) => [p.key, p.value?.value]),
        [
          ['DATA_RETENTION_TIME_IN_DAYS', '0'],
          ['CHANGE_TRACKING', 'TRUE'],
        ],
      );
      assert.deepEqual(
        unset.keys.map((k) => k.value),
        ['COMMENT'],
      );
    });
  });

  describe('views with policies', () => {
    it('reads a recursive view and the policies and options of a view', () => {
      const sql =
        'CREATE OR REPLACE RECURSIVE VIEW v (a WITH MASKING POLICY m, b) COPY GRANTS\n' +
        "  COMMENT = 'x' WITH ROW ACCESS POLICY rap ON (a) WITH AGGREGATION POLICY ap\n" +
        '  AS SELECT a, b FROM t';
      const view = expectKind(parseOne(sql), 'create-view');

      assert.deepEqual([view.recursive, view.copyGrants], [true, true]);
      assert.deepEqual(partsOf(view.rowAccessPolicy?.policy), ['RAP']);
      assert.deepEqual(partsOf(view.aggregationPolicy?.policy), ['AP']);
      assert.deepEqual(
        view.properties.map((p) => p.key),
        ['COMMENT'],
      );
      assert.equal(view.query?.text, 'SELECT a, b FROM t');
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'CREATE TABLE "My Table" ("Email" VARCHAR WITH MASKING POLICY m USING ("Email", id), id INT) WITH TAG (t = \'v\')',
      'CREATE OR ALTER TABLE t (a NUMBER(38, 0) NOT NULL, b TIMESTAMP WITH TIME ZONE)',
      'ALTER TABLE t MODIFY COLUMN a SET MASKING POLICY m USING (a, b) FORCE, COLUMN b UNSET TAG x',
      'ALTER TABLE t ADD ROW ACCESS POLICY rap ON (a)',
      'ALTER TABLE t DROP ROW ACCESS POLICY rap, ADD ROW ACCESS POLICY rap2 ON (b)',
      'ALTER TABLE t SET JOIN POLICY jp FORCE',
      "CREATE SECURE MATERIALIZED VIEW mv (a COMMENT 'x') AS SELECT a FROM t",
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
