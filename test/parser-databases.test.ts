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

describe('parsing databases, schemas and shares', () => {
  describe('CREATE DATABASE and SCHEMA', () => {
    it('reads a transient managed-access schema with its retention and tags', () => {
      const sql =
        'CREATE OR REPLACE TRANSIENT SCHEMA d.s WITH MANAGED ACCESS DATA_RETENTION_TIME_IN_DAYS = 0\n' +
        "  MAX_DATA_EXTENSION_TIME_IN_DAYS = 1 WITH TAG (gov.t.tier = 'raw') COMMENT = 'landing'";
      const schema = expectKind(parseOne(sql), 'create-object');

      assert.deepEqual(
        [schema.objectType, schema.orReplace, schema.modifiers, schema.managedAccess],
        ['SCHEMA', true, ['TRANSIENT'], true],
      );
      assert.deepEqual(partsOf(schema.name), ['D', 'S']);
      assert.deepEqual(rangeOf(schema.name), spanOf(sql, 'd.s'));
      assert.deepEqual(
        schema.properties.map((p) => [p.key, p.value?.value]),
        [
          ['DATA_RETENTION_TIME_IN_DAYS', '0'],
          ['MAX_DATA_EXTENSION_TIME_IN_DAYS', '1'],
          ['COMMENT', 'landing'],
        ],
      );
      assert.deepEqual(
        rangeOf(schema.properties[0]),
        spanOf(sql, 'DATA_RETENTION_TIME_IN_DAYS = 0'),
      );
      assert.deepEqual(
        schema.tags.map((t) => partsOf(t.tag)),
        [['GOV', 'T', 'TIER']],
      );
    });

    it('reads CLONE of a database, with a time travel clause, and IF NOT EXISTS', () => {
      const sql =
        "CREATE DATABASE IF NOT EXISTS dev CLONE prod AT (TIMESTAMP => '2026-01-01'::TIMESTAMP);\n" +
        'create schema d.s2 clone d.s';
      const [database, schema] = parseMany(sql).map((s) => expectKind(s, 'create-object'));

      assert.deepEqual([database.objectType, database.ifNotExists], ['DATABASE', true]);
      assert.deepEqual(partsOf(database.cloneOf), ['PROD']);
      assert.deepEqual(database.cloneOf && rangeOf(database.cloneOf), spanOf(sql, 'prod'));
      assert.equal(database.managedAccess, false);
      assert.deepEqual(partsOf(schema.cloneOf), ['D', 'S']);
    });

    it('reads CREATE SHARE and a native app VERSIONED SCHEMA', () => {
      const sql = "CREATE SHARE sales_share COMMENT = 'x'; CREATE OR ALTER VERSIONED SCHEMA core";
      const [share, versioned] = parseMany(sql).map((s) => expectKind(s, 'create-object'));

      assert.deepEqual([share.objectType, partsOf(share.name)], ['SHARE', ['SALES_SHARE']]);
      assert.deepEqual(
        [versioned.objectType, versioned.orAlter, versioned.modifiers],
        ['SCHEMA', true, ['VERSIONED']],
      );
    });
  });

  describe('ALTER DATABASE, SCHEMA and SHARE', () => {
    it('reads ENABLE and DISABLE MANAGED ACCESS as typed actions', () => {
      const sql =
        'ALTER SCHEMA d.s ENABLE MANAGED ACCESS; alter schema if exists s disable managed access';
      const [enable, disable] = parseMany(sql).map((s) => expectKind(s, 'alter-object'));

      assert.deepEqual(enable.actions, [
        { type: 'managed-access', enabled: true, ...spanOf(sql, 'ENABLE MANAGED ACCESS') },
      ]);
      assert.deepEqual([disable.ifExists, disable.actions[0].type], [true, 'managed-access']);
      assert.ok(disable.actions[0].type === 'managed-access' && !disable.actions[0].enabled);
    });

    it('reads retention settings, renames and the long tail of database actions', () => {
      const sql =
        'ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 90;\n' +
        'ALTER DATABASE d RENAME TO d2;\n' +
        'ALTER DATABASE d SWAP WITH d_old;\n' +
        'ALTER DATABASE d UNSET DATA_RETENTION_TIME_IN_DAYS';
      const actions = parseMany(sql).map((s) => expectKind(s, 'alter-object').actions[0]);

      assert.ok(actions[0].type === 'set');
      assert.deepEqual(
        rangeOf(actions[0].properties[0]),
        spanOf(sql, 'DATA_RETENTION_TIME_IN_DAYS = 90'),
      );
      assert.ok(actions[1].type === 'rename');
      assert.deepEqual(actions[2], {
        type: 'other',
        words: ['SWAP', 'WITH', 'D_OLD'],
        ...spanOf(sql, 'SWAP WITH d_old'),
      });
      assert.ok(actions[3].type === 'unset');
    });

    it('reads ALTER SHARE ADD ACCOUNTS as added values', () => {
      const sql = 'ALTER SHARE s ADD ACCOUNTS = org1.acct1, org2.acct2';
      const [add] = expectKind(parseOne(sql), 'alter-object').actions;

      assert.ok(add.type === 'add-values');
      assert.deepEqual(
        [add.key, add.values.map((v) => v.value)],
        ['ACCOUNTS', ['org1.acct1', 'org2.acct2']],
      );
    });
  });

  describe('DROP and names in the PUBLIC schema', () => {
    it('reads DROP SCHEMA … CASCADE and DROP of a kind with several unknown words', () => {
      const sql =
        'DROP SCHEMA IF EXISTS d.s CASCADE; DROP MODEL MONITOR mm; DROP WIDGET FACTORY IF EXISTS x';
      const drops = parseMany(sql).map((s) => expectKind(s, 'drop'));

      assert.deepEqual(
        drops.map((d) => [d.objectType, partsOf(d.name)]),
        [
          ['SCHEMA', ['D', 'S']],
          ['MODEL MONITOR', ['MM']],
          ['WIDGET FACTORY', ['X']],
        ],
      );
    });

    it('reads db..table as a name in the PUBLIC schema, with an empty part at the gap', () => {
      const sql = 'DROP TABLE d..t';
      const drop = expectKind(parseOne(sql), 'drop');

      assert.deepEqual(partsOf(drop.name), ['D', 'PUBLIC', 'T']);
      assert.deepEqual(rangeOf(drop.name.parts[1]), { start: 13, end: 13 });
      assert.deepEqual(rangeOf(drop.name), spanOf(sql, 'd..t'));
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'CREATE TRANSIENT DATABASE IF NOT EXISTS "Raw" DATA_RETENTION_TIME_IN_DAYS = 0',
      'CREATE SCHEMA s WITH MANAGED ACCESS',
      'ALTER SCHEMA s ENABLE MANAGED ACCESS',
      'ALTER DATABASE d SET DATA_RETENTION_TIME_IN_DAYS = 1',
      'CREATE DATABASE d2 CLONE d1',
      'DROP DATABASE IF EXISTS d RESTRICT',
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
