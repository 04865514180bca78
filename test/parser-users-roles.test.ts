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

describe('parsing users, roles and account settings', () => {
  describe('CREATE and ALTER USER', () => {
    it('reads CREATE USER properties with their key and value ranges', () => {
      const sql =
        "CREATE OR REPLACE USER u1 PASSWORD = 'p@ss' DEFAULT_ROLE = analyst TYPE = SERVICE";
      const user = expectKind(parseOne(sql), 'create-user');

      assert.equal(user.orReplace, true);
      assert.deepEqual(partsOf(user.name), ['U1']);
      assert.deepEqual(
        user.properties.map((p) => [p.key, p.value?.value, p.value?.kind]),
        [
          ['PASSWORD', 'p@ss', 'string'],
          ['DEFAULT_ROLE', 'analyst', 'word'],
          ['TYPE', 'SERVICE', 'word'],
        ],
      );
      assert.deepEqual(rangeOf(user.properties[0]), spanOf(sql, "PASSWORD = 'p@ss'"));
      assert.deepEqual(user.properties[0].keySpan, spanOf(sql, 'PASSWORD'));
      assert.deepEqual(user.properties[0].valueSpan, spanOf(sql, "'p@ss'"));
      assert.deepEqual(user.properties[1].valueSpan, spanOf(sql, 'analyst'));
    });

    it('reads ALTER USER … SET properties and ALTER USER … UNSET names', () => {
      const sql =
        "ALTER USER u1 SET DEFAULT_ROLE = 'SYSADMIN', TYPE = PERSON;\n" +
        'ALTER USER IF EXISTS u1 UNSET PASSWORD, DEFAULT_ROLE';
      const [set, unset] = parseMany(sql).map((s) => expectKind(s, 'alter-user'));

      assert.deepEqual(
        set.properties.map((p) => [p.key, p.value?.value]),
        [
          ['DEFAULT_ROLE', 'SYSADMIN'],
          ['TYPE', 'PERSON'],
        ],
      );
      assert.deepEqual(unset.unset, ['PASSWORD', 'DEFAULT_ROLE']);
      assert.deepEqual(partsOf(unset.name), ['U1']);
    });

    it('reads ALTER USER SET without a name as a change to the current user', () => {
      const user = expectKind(parseOne("ALTER USER SET PASSWORD = 'x'"), 'alter-user');

      assert.equal(user.name.dynamic, true);
      assert.deepEqual(
        user.properties.map((p) => p.key),
        ['PASSWORD'],
      );
    });

    it('reads ALTER USER … RENAME TO without a problem', () => {
      const user = expectKind(parseOne('ALTER USER u1 RENAME TO u2'), 'alter-user');

      assert.deepEqual(partsOf(user.name), ['U1']);
      assert.deepEqual(user.properties, []);
    });
  });

  describe('ALTER USER actions', () => {
    it('reads policies, tags and the long tail of ALTER USER as typed actions', () => {
      const sql =
        'ALTER USER u SET AUTHENTICATION POLICY d.s.mfa FORCE;\n' +
        "ALTER USER u SET TAG gov.t.owner = 'it';\n" +
        'ALTER USER u UNSET PASSWORD POLICY;\n' +
        'alter user u reset password';
      const [policy, tag, unset, reset] = parseMany(sql).map((s) => expectKind(s, 'alter-user'));

      const [setPolicy] = policy.actions;
      assert.ok(setPolicy.type === 'set-policy');
      assert.deepEqual(
        [setPolicy.policyType, partsOf(setPolicy.policy), setPolicy.force],
        ['AUTHENTICATION', ['D', 'S', 'MFA'], true],
      );
      assert.deepEqual(rangeOf(setPolicy), spanOf(sql, 'SET AUTHENTICATION POLICY d.s.mfa FORCE'));
      assert.deepEqual(policy.properties, []);
      assert.deepEqual(
        tag.actions.map((a) => a.type),
        ['set-tags'],
      );
      assert.ok(unset.actions[0].type === 'unset-policy');
      assert.equal(unset.actions[0].policyType, 'PASSWORD');
      assert.deepEqual(reset.actions[0], {
        type: 'other',
        words: ['RESET', 'PASSWORD'],
        ...spanOf(sql, 'reset password'),
      });
    });
  });

  describe('roles and database roles', () => {
    it('reads CREATE ROLE and CREATE DATABASE ROLE with comment and tags', () => {
      const sql =
        "CREATE ROLE IF NOT EXISTS analyst COMMENT = 'reads marts' WITH TAG (gov.t.owner = 'bi');\n" +
        'create or replace database role d.reader';
      const [role, databaseRole] = parseMany(sql).map((s) => expectKind(s, 'create-object'));

      assert.deepEqual(
        [role.objectType, role.ifNotExists, partsOf(role.name)],
        ['ROLE', true, ['ANALYST']],
      );
      assert.deepEqual(rangeOf(role.name), spanOf(sql, 'analyst'));
      assert.deepEqual(
        role.properties.map((p) => [p.key, p.value?.value]),
        [['COMMENT', 'reads marts']],
      );
      assert.deepEqual(
        role.tags.map((t) => partsOf(t.tag)),
        [['GOV', 'T', 'OWNER']],
      );
      assert.deepEqual(rangeOf(role.tags[0]), spanOf(sql, "gov.t.owner = 'bi'"));
      assert.deepEqual(
        [databaseRole.objectType, databaseRole.orReplace, partsOf(databaseRole.name)],
        ['DATABASE ROLE', true, ['D', 'READER']],
      );
    });

    it('reads ALTER ROLE actions: rename, comment, tags', () => {
      const sql =
        'ALTER ROLE IF EXISTS analyst RENAME TO analyst_v2;\n' +
        "ALTER ROLE r SET COMMENT = 'x';\n" +
        "ALTER DATABASE ROLE d.r SET TAG t1 = 'a', t2 = 'b';\n" +
        'ALTER ROLE r UNSET TAG t1, t2';
      const [rename, comment, tags, untag] = parseMany(sql).map((s) =>
        expectKind(s, 'alter-object'),
      );

      assert.deepEqual([rename.objectType, rename.ifExists], ['ROLE', true]);
      const [renameAction] = rename.actions;
      assert.ok(renameAction.type === 'rename');
      assert.deepEqual(partsOf(renameAction.newName), ['ANALYST_V2']);
      assert.deepEqual(rangeOf(renameAction), spanOf(sql, 'RENAME TO analyst_v2'));
      assert.deepEqual(
        comment.actions.map((a) => a.type),
        ['set'],
      );
      assert.equal(tags.objectType, 'DATABASE ROLE');
      const [setTags] = tags.actions;
      assert.ok(setTags.type === 'set-tags');
      assert.deepEqual(
        setTags.tags.map((t) => [partsOf(t.tag), t.value?.value]),
        [
          [['T1'], 'a'],
          [['T2'], 'b'],
        ],
      );
      const [unsetTags] = untag.actions;
      assert.ok(unsetTags.type === 'unset-tags');
      assert.deepEqual(unsetTags.tags.map(partsOf), [['T1'], ['T2']]);
    });

    it('reads DROP ROLE and DROP DATABASE ROLE with IF EXISTS', () => {
      const sql = 'DROP ROLE IF EXISTS analyst; drop database role d.r';
      const [role, databaseRole] = parseMany(sql).map((s) => expectKind(s, 'drop'));

      assert.deepEqual([role.objectType, partsOf(role.name)], ['ROLE', ['ANALYST']]);
      assert.deepEqual(rangeOf(role.name), spanOf(sql, 'analyst'));
      assert.deepEqual(
        [databaseRole.objectType, partsOf(databaseRole.name)],
        ['DATABASE ROLE', ['D', 'R']],
      );
    });
  });

  describe('ALTER ACCOUNT', () => {
    it('reads SET parameters with their values and ranges, several per SET', () => {
      const sql =
        'ALTER ACCOUNT SET PREVENT_UNLOAD_TO_INLINE_URL = TRUE, CLIENT_ENCRYPTION_KEY_SIZE = 256\n' +
        '  NETWORK_POLICY = corp_only';
      const account = expectKind(parseOne(sql), 'alter-object');

      assert.deepEqual([account.objectType, account.name], ['ACCOUNT', undefined]);
      const [set] = account.actions;
      assert.ok(set.type === 'set');
      assert.deepEqual(
        set.properties.map((p) => [p.key, p.value?.value]),
        [
          ['PREVENT_UNLOAD_TO_INLINE_URL', 'TRUE'],
          ['CLIENT_ENCRYPTION_KEY_SIZE', '256'],
          ['NETWORK_POLICY', 'corp_only'],
        ],
      );
      assert.deepEqual(rangeOf(set.properties[2]), spanOf(sql, 'NETWORK_POLICY = corp_only'));
      assert.deepEqual(rangeOf(set), { start: sql.indexOf('SET'), end: sql.length });
    });

    it('reads UNSET of parameters and of policies, and SET of a policy with FORCE', () => {
      const sql =
        'ALTER ACCOUNT UNSET NETWORK_POLICY, PREVENT_UNLOAD_TO_INLINE_URL;\n' +
        'ALTER ACCOUNT SET PASSWORD POLICY d.s.strong FORCE;\n' +
        'alter account unset session policy;\n' +
        'ALTER ACCOUNT SET AUTHENTICATION POLICY d.s.mfa';
      const actions = parseMany(sql).map((s) => expectKind(s, 'alter-object').actions[0]);

      assert.ok(actions[0].type === 'unset');
      assert.deepEqual(
        actions[0].keys.map((k) => k.value),
        ['NETWORK_POLICY', 'PREVENT_UNLOAD_TO_INLINE_URL'],
      );
      assert.ok(actions[1].type === 'set-policy');
      assert.deepEqual(
        [actions[1].policyType, partsOf(actions[1].policy), actions[1].force],
        ['PASSWORD', ['D', 'S', 'STRONG'], true],
      );
      assert.deepEqual(rangeOf(actions[1].policy), spanOf(sql, 'd.s.strong'));
      assert.deepEqual(actions[2], {
        type: 'unset-policy',
        policyType: 'SESSION',
        policy: undefined,
        ...spanOf(sql, 'unset session policy'),
      });
      assert.ok(actions[3].type === 'set-policy' && actions[3].policyType === 'AUTHENTICATION');
    });

    it('reads ALTER ACCOUNT of a named account and ALTER SESSION', () => {
      const sql =
        "ALTER ACCOUNT acme SET SAML_IDENTITY_PROVIDER = x; ALTER SESSION SET TIMEZONE = 'UTC'";
      const [named, session] = parseMany(sql).map((s) => expectKind(s, 'alter-object'));

      assert.deepEqual(partsOf(named.name), ['ACME']);
      assert.deepEqual([session.objectType, session.name], ['SESSION', undefined]);
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      "CREATE USER svc TYPE = SERVICE RSA_PUBLIC_KEY = 'MIIB' DEFAULT_SECONDARY_ROLES = ('ALL')",
      'ALTER USER u SET DEFAULT_ROLE = analyst MINS_TO_BYPASS_MFA = 10',
      "CREATE ROLE r COMMENT = 'x'",
      'ALTER DATABASE ROLE d.r RENAME TO d.r2',
      'ALTER ACCOUNT SET PASSWORD POLICY d.s.p FORCE',
      'ALTER ACCOUNT SET DISABLE_USER_PRIVILEGE_GRANTS = TRUE',
      'DROP DATABASE ROLE IF EXISTS d.r',
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
