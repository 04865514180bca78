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

describe('parsing policies, network rules and tags', () => {
  describe('policies and tags', () => {
    it('reads CREATE MASKING POLICY arguments, return type and the exact body text', () => {
      const body = "CASE WHEN IS_ROLE_IN_SESSION('PII') THEN val ELSE '***' END";
      const sql =
        'CREATE OR REPLACE MASKING POLICY gov.p.mask_email AS (val VARCHAR, n NUMBER(38, 0)) ' +
        `RETURNS VARCHAR ->\n  ${body}\n  COMMENT = 'masks email'`;
      const policy = expectKind(parseOne(sql), 'create-policy');

      assert.equal(policy.policyType, 'MASKING');
      assert.equal(policy.orReplace, true);
      assert.deepEqual(partsOf(policy.name), ['GOV', 'P', 'MASK_EMAIL']);
      assert.deepEqual(
        policy.arguments.map((a) => [a.name.value, a.dataType]),
        [
          ['VAL', 'VARCHAR'],
          ['N', 'NUMBER(38,0)'],
        ],
      );
      assert.deepEqual(rangeOf(policy.arguments[0]), spanOf(sql, 'val VARCHAR'));
      assert.equal(policy.returnType, 'VARCHAR');
      assert.deepEqual(policy.body, { ...spanOf(sql, body), text: body });
    });

    it('reads CREATE TAG with an ALLOWED_VALUES list', () => {
      const sql = "CREATE TAG gov.t.pii ALLOWED_VALUES 'email', 'ssn' COMMENT = 'x'";
      const tag = expectKind(parseOne(sql), 'create-tag');

      assert.deepEqual(partsOf(tag.name), ['GOV', 'T', 'PII']);
      assert.deepEqual(tag.allowedValues, [
        { value: 'email', kind: 'string', ...spanOf(sql, "'email'") },
        { value: 'ssn', kind: 'string', ...spanOf(sql, "'ssn'") },
      ]);
    });

    it('reads ALTER TAG … SET MASKING POLICY with several policies and FORCE', () => {
      const sql = 'ALTER TAG gov.t.pii SET MASKING POLICY m1, MASKING POLICY gov.p.m2 FORCE';
      const tag = expectKind(parseOne(sql), 'alter-tag');

      assert.deepEqual(partsOf(tag.name), ['GOV', 'T', 'PII']);
      assert.deepEqual(tag.setMaskingPolicies.map(partsOf), [['M1'], ['GOV', 'P', 'M2']]);
      assert.deepEqual(rangeOf(tag.setMaskingPolicies[1]), spanOf(sql, 'gov.p.m2'));
      assert.deepEqual(tag.unsetMaskingPolicies, []);
    });
  });

  describe('policies with properties', () => {
    it('reads a network policy with its IP lists as typed lists with ranges', () => {
      const sql =
        'CREATE OR REPLACE NETWORK POLICY corp\n' +
        "  ALLOWED_IP_LIST = ('10.0.0.0/8', '192.168.1.1')\n" +
        "  BLOCKED_IP_LIST = ('0.0.0.0/0')\n" +
        "  ALLOWED_NETWORK_RULE_LIST = ('gov.net.vpn') COMMENT = 'office'";
      const policy = expectKind(parseOne(sql), 'create-policy');

      assert.deepEqual([policy.policyType, partsOf(policy.name)], ['NETWORK', ['CORP']]);
      assert.deepEqual(policy.arguments, []);
      assert.equal(policy.body, undefined);
      const [allowed, blocked, rules, comment] = policy.properties;
      assert.deepEqual(
        allowed.list?.map((v) => v.value),
        ['10.0.0.0/8', '192.168.1.1'],
      );
      assert.deepEqual(rangeOf(allowed.list?.[1] ?? allowed), spanOf(sql, "'192.168.1.1'"));
      assert.deepEqual(allowed.valueSpan, spanOf(sql, "('10.0.0.0/8', '192.168.1.1')"));
      assert.deepEqual(
        blocked.list?.map((v) => v.value),
        ['0.0.0.0/0'],
      );
      assert.deepEqual(
        [rules.key, rules.list?.[0].value],
        ['ALLOWED_NETWORK_RULE_LIST', 'gov.net.vpn'],
      );
      assert.equal(comment.value?.value, 'office');
    });

    it('reads password, session and authentication policies as properties', () => {
      const sql =
        'CREATE PASSWORD POLICY IF NOT EXISTS d.s.pw PASSWORD_MIN_LENGTH = 14 PASSWORD_MAX_RETRIES = 5;\n' +
        'create session policy d.s.idle session_idle_timeout_mins = 15;\n' +
        "CREATE OR ALTER AUTHENTICATION POLICY d.s.mfa AUTHENTICATION_METHODS = ('PASSWORD', 'SAML') " +
        'MFA_ENROLLMENT = REQUIRED';
      const [password, session, authentication] = parseMany(sql).map((s) =>
        expectKind(s, 'create-policy'),
      );

      assert.deepEqual([password.policyType, password.ifNotExists], ['PASSWORD', true]);
      assert.deepEqual(
        password.properties.map((p) => [p.key, p.value?.value]),
        [
          ['PASSWORD_MIN_LENGTH', '14'],
          ['PASSWORD_MAX_RETRIES', '5'],
        ],
      );
      assert.deepEqual(
        session.properties.map((p) => [p.key, p.value?.value]),
        [['SESSION_IDLE_TIMEOUT_MINS', '15']],
      );
      assert.deepEqual(
        [authentication.policyType, authentication.orAlter],
        ['AUTHENTICATION', true],
      );
      assert.deepEqual(
        authentication.properties[0].list?.map((v) => v.value),
        ['PASSWORD', 'SAML'],
      );
      assert.deepEqual(
        rangeOf(authentication.properties[1]),
        spanOf(sql, 'MFA_ENROLLMENT = REQUIRED'),
      );
    });

    it('reads ALTER of a network policy: SET, ADD and REMOVE of list values', () => {
      const sql =
        "ALTER NETWORK POLICY corp SET ALLOWED_IP_LIST = ('10.0.0.0/8') COMMENT = 'x';\n" +
        "ALTER NETWORK POLICY corp ADD ALLOWED_IP_LIST = ('1.2.3.4');\n" +
        "alter network policy if exists corp remove blocked_ip_list = ('5.6.7.8')";
      const [set, add, remove] = parseMany(sql).map((s) => expectKind(s, 'alter-policy'));

      assert.deepEqual([set.policyType, partsOf(set.name)], ['NETWORK', ['CORP']]);
      const [setAction] = set.actions;
      assert.ok(setAction.type === 'set');
      assert.deepEqual(
        setAction.properties.map((p) => p.key),
        ['ALLOWED_IP_LIST', 'COMMENT'],
      );
      assert.deepEqual(add.actions[0], {
        type: 'add-values',
        key: 'ALLOWED_IP_LIST',
        values: [{ value: '1.2.3.4', kind: 'string', ...spanOf(sql, "'1.2.3.4'") }],
        ...spanOf(sql, "ADD ALLOWED_IP_LIST = ('1.2.3.4')"),
      });
      const [removeAction] = remove.actions;
      assert.ok(removeAction.type === 'remove-values');
      assert.equal(removeAction.key, 'BLOCKED_IP_LIST');
    });

    it('reads ALTER of a masking policy body and a rename in its actions too', () => {
      const body = "CASE WHEN CURRENT_ROLE() = 'A' THEN val ELSE '*' END";
      const sql = `ALTER MASKING POLICY m SET BODY -> ${body};\nALTER ROW ACCESS POLICY r RENAME TO r2`;
      const [setBody, rename] = parseMany(sql).map((s) => expectKind(s, 'alter-policy'));

      assert.deepEqual(setBody.body, { ...spanOf(sql, body), text: body });
      assert.deepEqual(
        setBody.actions.map((a) => a.type),
        ['set-body'],
      );
      assert.equal(rename.policyType, 'ROW ACCESS');
      assert.deepEqual(partsOf(rename.renameTo), ['R2']);
    });

    it('reads a projection policy and a row access policy with their bodies', () => {
      const sql =
        'CREATE PROJECTION POLICY pp AS () RETURNS PROJECTION_CONSTRAINT -> PROJECTION_CONSTRAINT(ALLOW => false);\n' +
        "CREATE ROW ACCESS POLICY rap AS (region VARCHAR) RETURNS BOOLEAN -> region = 'EU'";
      const [projection, rowAccess] = parseMany(sql).map((s) => expectKind(s, 'create-policy'));

      assert.deepEqual([projection.policyType, projection.arguments], ['PROJECTION', []]);
      assert.equal(projection.body?.text, 'PROJECTION_CONSTRAINT(ALLOW => false)');
      assert.deepEqual([rowAccess.policyType, rowAccess.returnType], ['ROW ACCESS', 'BOOLEAN']);
    });
  });

  describe('network rules', () => {
    it('reads CREATE NETWORK RULE with TYPE, VALUE_LIST and MODE, and ALTER of its list', () => {
      const sql =
        "CREATE NETWORK RULE gov.net.egress TYPE = HOST_PORT VALUE_LIST = ('api.example.com:443') MODE = EGRESS;\n" +
        "ALTER NETWORK RULE gov.net.egress SET VALUE_LIST = ('0.0.0.0')";
      const [rule, alter] = parseMany(sql);
      const created = expectKind(rule, 'create-object');

      assert.deepEqual(
        [created.objectType, partsOf(created.name)],
        ['NETWORK RULE', ['GOV', 'NET', 'EGRESS']],
      );
      assert.deepEqual(
        created.properties.map((p) => [p.key, p.value?.value ?? p.list?.map((v) => v.value)]),
        [
          ['TYPE', 'HOST_PORT'],
          ['VALUE_LIST', ['api.example.com:443']],
          ['MODE', 'EGRESS'],
        ],
      );
      const altered = expectKind(alter, 'alter-object');
      assert.equal(altered.objectType, 'NETWORK RULE');
      assert.ok(altered.actions[0].type === 'set');
    });
  });

  describe('tag options', () => {
    it('reads PROPAGATE, ON_CONFLICT and MULTI_VALUE of CREATE TAG', () => {
      const sql =
        "CREATE OR ALTER TAG t ALLOWED_VALUES 'a', 'b' MULTI_VALUE = TRUE " +
        "PROPAGATE = ON_DEPENDENCY_AND_DATA_MOVEMENT ON_CONFLICT = 'conflict' COMMENT = 'c'";
      const tag = expectKind(parseOne(sql), 'create-tag');

      assert.deepEqual([tag.orAlter, tag.multiValue], [true, true]);
      assert.equal(tag.propagate?.value, 'ON_DEPENDENCY_AND_DATA_MOVEMENT');
      assert.deepEqual(
        tag.propagate && rangeOf(tag.propagate),
        spanOf(sql, 'ON_DEPENDENCY_AND_DATA_MOVEMENT'),
      );
      assert.deepEqual([tag.onConflict?.kind, tag.onConflict?.value], ['string', 'conflict']);
      assert.equal(tag.comment?.value, 'c');
    });

    it('reads ALTER TAG UNSET MASKING POLICY, ADD ALLOWED_VALUES and SET PROPAGATE as actions', () => {
      const sql =
        'ALTER TAG t UNSET MASKING POLICY m1, MASKING POLICY m2;\n' +
        "ALTER TAG t ADD ALLOWED_VALUES 'c', 'd';\n" +
        'ALTER TAG t SET PROPAGATE = ON_DEPENDENCY';
      const [unset, add, propagate] = parseMany(sql).map((s) => expectKind(s, 'alter-tag'));

      assert.deepEqual(unset.unsetMaskingPolicies.map(partsOf), [['M1'], ['M2']]);
      assert.deepEqual(
        unset.actions.map((a) => a.type),
        ['unset-policy', 'unset-policy'],
      );
      assert.ok(add.actions[0].type === 'add-values');
      assert.deepEqual(
        add.actions[0].values.map((v) => v.value),
        ['c', 'd'],
      );
      assert.ok(propagate.actions[0].type === 'set');
      assert.equal(propagate.actions[0].properties[0].value?.value, 'ON_DEPENDENCY');
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'CREATE MASKING POLICY "Gov".p.m AS (v STRING, r STRING) RETURNS STRING -> CASE WHEN r = \'x\' THEN v END',
      "CREATE NETWORK POLICY np ALLOWED_IP_LIST = ('1.1.1.1', '2.2.2.2')",
      'ALTER PASSWORD POLICY p SET PASSWORD_MIN_LENGTH = 12',
      'ALTER SESSION POLICY p UNSET SESSION_IDLE_TIMEOUT_MINS',
      "CREATE TAG t ALLOWED_VALUES 'a' PROPAGATE = ON_DEPENDENCY",
      'ALTER TAG t SET MASKING POLICY m1, MASKING POLICY m2 FORCE',
      "CREATE NETWORK RULE r MODE = INGRESS TYPE = IPV4 VALUE_LIST = ('10.0.0.0/8')",
      'DROP MASKING POLICY IF EXISTS gov.p.m',
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
