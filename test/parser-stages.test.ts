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

describe('parsing stages, integrations, COPY, PUT and GET', () => {
  describe('stages and integrations', () => {
    it('reads CREATE STAGE URL, nested CREDENTIALS and ENCRYPTION properties', () => {
      const sql =
        "CREATE OR REPLACE STAGE d.s.stg URL = 's3://bucket/path/' " +
        "CREDENTIALS = (AWS_KEY_ID = 'AKIA' AWS_SECRET_KEY = 'sec') " +
        "ENCRYPTION = (TYPE = 'AWS_SSE_KMS' KMS_KEY_ID = 'k')";
      const stage = expectKind(parseOne(sql), 'create-stage');

      assert.deepEqual(partsOf(stage.name), ['D', 'S', 'STG']);
      assert.equal(stage.temporary, false);
      const [url, credentials, encryption] = stage.properties;
      assert.deepEqual([url.key, url.value?.value], ['URL', 's3://bucket/path/']);
      assert.deepEqual(url.valueSpan, spanOf(sql, "'s3://bucket/path/'"));
      assert.equal(credentials.key, 'CREDENTIALS');
      assert.deepEqual(
        credentials.nested?.map((p) => [p.key, p.value?.value]),
        [
          ['AWS_KEY_ID', 'AKIA'],
          ['AWS_SECRET_KEY', 'sec'],
        ],
      );
      assert.deepEqual(
        credentials.valueSpan,
        spanOf(sql, "(AWS_KEY_ID = 'AKIA' AWS_SECRET_KEY = 'sec')"),
      );
      assert.deepEqual(
        credentials.nested && rangeOf(credentials.nested[1]),
        spanOf(sql, "AWS_SECRET_KEY = 'sec'"),
      );
      assert.deepEqual(
        encryption.nested?.map((p) => [p.key, p.value?.value]),
        [
          ['TYPE', 'AWS_SSE_KMS'],
          ['KMS_KEY_ID', 'k'],
        ],
      );
    });

    it('reads a temporary stage with a STORAGE_INTEGRATION', () => {
      const sql = "CREATE TEMPORARY STAGE st STORAGE_INTEGRATION = int1 URL = 'azure://x/y'";
      const stage = expectKind(parseOne(sql), 'create-stage');

      assert.equal(stage.temporary, true);
      assert.deepEqual(
        stage.properties.map((p) => [p.key, p.value?.value, p.value?.kind]),
        [
          ['STORAGE_INTEGRATION', 'int1', 'word'],
          ['URL', 'azure://x/y', 'string'],
        ],
      );
    });

    it('reads CREATE STORAGE INTEGRATION with a list property', () => {
      const sql =
        "CREATE STORAGE INTEGRATION s3_int TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' " +
        "ENABLED = TRUE STORAGE_ALLOWED_LOCATIONS = ('s3://a/', 's3://b/')";
      const integration = expectKind(parseOne(sql), 'create-integration');

      assert.equal(integration.integrationType, 'STORAGE');
      assert.deepEqual(partsOf(integration.name), ['S3_INT']);
      assert.deepEqual(
        integration.properties.map((p) => p.key),
        ['TYPE', 'STORAGE_PROVIDER', 'ENABLED', 'STORAGE_ALLOWED_LOCATIONS'],
      );
      const locations = integration.properties[3];
      assert.deepEqual(
        locations.list?.map((l) => l.value),
        ['s3://a/', 's3://b/'],
      );
      assert.deepEqual(locations.valueSpan, spanOf(sql, "('s3://a/', 's3://b/')"));
    });
  });

  describe('COPY INTO', () => {
    it('reads an unload into a stage from a query, with the exact query span', () => {
      const query = 'SELECT a, b FROM t WHERE c = 1';
      const sql =
        `COPY INTO @d.s.stg/out/ FROM (${query}) ` + 'FILE_FORMAT = (TYPE = CSV) OVERWRITE = 1';
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.deepEqual(copy.target, {
        type: 'stage',
        stage: '@d.s.stg/out/',
        ...spanOf(sql, '@d.s.stg/out/'),
      });
      assert.ok(copy.source.type === 'query');
      assert.deepEqual(copy.source.query, { ...spanOf(sql, query), text: query });
      assert.deepEqual(rangeOf(copy.source), spanOf(sql, `(${query})`));
      assert.deepEqual(
        copy.properties.map((p) => p.key),
        ['FILE_FORMAT', 'OVERWRITE'],
      );
    });

    it('reads an unload into a quoted URL from a table', () => {
      const sql = "COPY INTO 's3://bucket/unload/' FROM d.s.t CREDENTIALS = (AWS_KEY_ID = 'x')";
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.ok(copy.target.type === 'url' && copy.source.type === 'table');
      assert.equal(copy.target.url.value, 's3://bucket/unload/');
      assert.deepEqual(rangeOf(copy.target), spanOf(sql, "'s3://bucket/unload/'"));
      assert.deepEqual(partsOf(copy.source.name), ['D', 'S', 'T']);
      assert.deepEqual(rangeOf(copy.source), spanOf(sql, 'd.s.t'));
    });

    it('reads a load into a table with a column list from a stage', () => {
      const sql = "COPY INTO d.s.t (a, b) FROM @stg/in/ PATTERN = '.*csv'";
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.ok(copy.target.type === 'table');
      assert.deepEqual(partsOf(copy.target.name), ['D', 'S', 'T']);
      assert.deepEqual(copy.source, {
        type: 'stage',
        stage: '@stg/in/',
        ...spanOf(sql, '@stg/in/'),
      });
      assert.deepEqual(
        copy.properties.map((p) => [p.key, p.value?.value]),
        [['PATTERN', '.*csv']],
      );
    });
  });

  describe('more integrations', () => {
    it('reads external access, security and API integrations with their lists', () => {
      const sql =
        'CREATE EXTERNAL ACCESS INTEGRATION eai ALLOWED_NETWORK_RULES = (gov.net.r1, gov.net.r2)\n' +
        '  ALLOWED_AUTHENTICATION_SECRETS = (gov.sec.key) ENABLED = TRUE;\n' +
        "CREATE SECURITY INTEGRATION okta TYPE = SAML2 SAML2_ISSUER = 'https://idp' " +
        "BLOCKED_ROLES_LIST = ('ACCOUNTADMIN', 'SECURITYADMIN') ENABLED = TRUE;\n" +
        'CREATE OR REPLACE API INTEGRATION git TYPE = git_https_api ' +
        "API_PROVIDER = git_https_api API_ALLOWED_PREFIXES = ('https://github.com/org') ENABLED = TRUE";
      const [access, security, api] = parseMany(sql).map((s) =>
        expectKind(s, 'create-integration'),
      );

      assert.equal(access.integrationType, 'EXTERNAL ACCESS');
      assert.deepEqual(
        access.properties[0].list?.map((v) => v.name && partsOf(v.name)),
        [
          ['GOV', 'NET', 'R1'],
          ['GOV', 'NET', 'R2'],
        ],
      );
      assert.deepEqual(
        rangeOf(access.properties[1]),
        spanOf(sql, 'ALLOWED_AUTHENTICATION_SECRETS = (gov.sec.key)'),
      );
      assert.deepEqual([security.integrationType, partsOf(security.name)], ['SECURITY', ['OKTA']]);
      assert.deepEqual(
        security.properties.find((p) => p.key === 'BLOCKED_ROLES_LIST')?.list?.map((v) => v.value),
        ['ACCOUNTADMIN', 'SECURITYADMIN'],
      );
      assert.equal(api.integrationType, 'API');
      assert.deepEqual(
        api.properties.find((p) => p.key === 'API_ALLOWED_PREFIXES')?.list?.map((v) => v.value),
        ['https://github.com/org'],
      );
    });

    it('reads ALTER of a stage and of a storage integration as SET actions', () => {
      const sql =
        "ALTER STAGE d.s.st SET URL = 's3://b/p/' CREDENTIALS = (AWS_KEY_ID = 'k' AWS_SECRET_KEY = 's');\n" +
        "ALTER STORAGE INTEGRATION si SET STORAGE_ALLOWED_LOCATIONS = ('*');\n" +
        'ALTER STAGE IF EXISTS st REFRESH';
      const [stage, integration, refresh] = parseMany(sql).map((s) =>
        expectKind(s, 'alter-object'),
      );

      assert.deepEqual([stage.objectType, partsOf(stage.name)], ['STAGE', ['D', 'S', 'ST']]);
      const [set] = stage.actions;
      assert.ok(set.type === 'set');
      assert.deepEqual(
        set.properties.map((p) => p.key),
        ['URL', 'CREDENTIALS'],
      );
      assert.deepEqual(
        set.properties[1].nested?.map((p) => p.key),
        ['AWS_KEY_ID', 'AWS_SECRET_KEY'],
      );
      assert.equal(integration.objectType, 'STORAGE INTEGRATION');
      assert.deepEqual([refresh.ifExists, refresh.actions.map((a) => a.type)], [true, ['other']]);
    });
  });

  describe('COPY options', () => {
    it('reads PARTITION BY, FILE_FORMAT and HEADER of an unload', () => {
      const partition = "('date=' || TO_VARCHAR(d))";
      const sql =
        `COPY INTO @st/out/ FROM (SELECT * FROM t) PARTITION BY ${partition}\n` +
        '  FILE_FORMAT = (TYPE = PARQUET COMPRESSION = SNAPPY) HEADER = TRUE MAX_FILE_SIZE = 32000000';
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.deepEqual(copy.partitionBy, { ...spanOf(sql, partition), text: partition });
      assert.deepEqual(
        copy.properties.map((p) => p.key),
        ['FILE_FORMAT', 'HEADER', 'MAX_FILE_SIZE'],
      );
      assert.deepEqual(
        copy.properties[0].nested?.map((p) => [p.key, p.value?.value]),
        [
          ['TYPE', 'PARQUET'],
          ['COMPRESSION', 'SNAPPY'],
        ],
      );
      assert.deepEqual(rangeOf(copy.properties[1]), spanOf(sql, 'HEADER = TRUE'));
    });

    it('reads the target columns of a load and a named file format', () => {
      const sql = 'copy into d.s.t (a, "B") from @%t file_format = (format_name = \'d.s.csv\')';
      const copy = expectKind(parseOne(sql), 'copy-into');

      assert.deepEqual(
        copy.columns.map((c) => c.value),
        ['A', 'B'],
      );
      assert.deepEqual(copy.source, { type: 'stage', stage: '@%t', ...spanOf(sql, '@%t') });
    });
  });

  describe('PUT and GET', () => {
    it('reads PUT of a local file to a stage, with options', () => {
      const sql = 'PUT file:///tmp/data/*.csv @d.s.st/in/ AUTO_COMPRESS = FALSE OVERWRITE = TRUE';
      const put = expectKind(parseOne(sql), 'file-transfer');

      assert.equal(put.direction, 'PUT');
      assert.deepEqual(put.localPath, {
        value: 'file:///tmp/data/*.csv',
        kind: 'string',
        ...spanOf(sql, 'file:///tmp/data/*.csv'),
      });
      assert.deepEqual(put.stage, {
        type: 'stage',
        stage: '@d.s.st/in/',
        ...spanOf(sql, '@d.s.st/in/'),
      });
      assert.deepEqual(
        put.properties.map((p) => p.key),
        ['AUTO_COMPRESS', 'OVERWRITE'],
      );
    });

    it('reads GET from a table stage to a quoted path with a space, and from a user stage', () => {
      const sql = "GET @%t 'file://C:/temp dir/'; get @~/out file:///tmp/ PATTERN = '.*csv'";
      const [quoted, plain] = parseMany(sql).map((s) => expectKind(s, 'file-transfer'));

      assert.deepEqual([quoted.direction, quoted.localPath.value], ['GET', 'file://C:/temp dir/']);
      assert.deepEqual(rangeOf(quoted.localPath), spanOf(sql, "'file://C:/temp dir/'"));
      assert.ok(plain.stage.type === 'stage');
      assert.equal(plain.stage.stage, '@~/out');
      assert.equal(plain.localPath.value, 'file:///tmp/');
    });
  });

  describe('tricky forms', () => {
    for (const sql of [
      'CREATE STAGE "Raw Stage" URL = \'s3://b/\' STORAGE_INTEGRATION = si DIRECTORY = (ENABLE = TRUE)',
      "CREATE STORAGE INTEGRATION si TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' STORAGE_ALLOWED_LOCATIONS = ('s3://a/')",
      "COPY INTO 's3://b/u/' FROM t STORAGE_INTEGRATION = si FILE_FORMAT = (TYPE = CSV) HEADER = TRUE",
      'COPY INTO @s/p FROM (SELECT a FROM t) PARTITION BY (a) HEADER = TRUE',
      'PUT file:///tmp/x.csv @s',
      'GET @s/x.csv file:///tmp/',
    ]) {
      it(`reads ${sql} alike in mixed case and with comments between its tokens`, () => {
        parseInEveryForm(sql);
      });
    }
  });
});
