/**
 * The account snapshot read right, with the unmodified snowflake-sdk against the emulator:
 * tag-based masking counted on the tagged columns, stages that exist nowhere reported, a cache
 * that others could have written refused, a server that keeps hanging up named as such, and
 * the one-line messages for a missing key file, a missing connections.toml, and a default role
 * that holds ACCOUNTADMIN through a custom role.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { untrustedCache, writeCachedSnapshot } from '../server/src/live/cache';
import { ConnectionError, resolveConnection } from '../server/src/live/connections';
import { SNAPSHOT_FALLBACK_QUERIES } from '../server/src/live/snapshot';
import {
  type JsonReport,
  PASSWORD,
  USAGE,
  accountViews,
  check,
  failureLine,
  linesOf,
  removeProjects,
  setup,
} from './support/live-account';
import { POLICY_REFERENCES_COLUMNS, TAG_REFERENCES_COLUMNS } from './support/account-usage-columns';
import { type Emulator, type Table, startEmulator, tableOf } from './support/sf-emulator';

/** MASK_PII (for `signature`) set on tag GOV.TAGS.PII, and PII set where `placed` says. */
function tagMasking(
  signature: string,
  placed: readonly Record<string, string>[],
  withDomain = true,
): Partial<Record<string, Table>> {
  const columns = withDomain
    ? POLICY_REFERENCES_COLUMNS
    : POLICY_REFERENCES_COLUMNS.filter((c) => !/DOMAIN/.test(c));

  return {
    POLICY_REFERENCES: tableOf(columns, [
      {
        POLICY_DB: 'GOV',
        POLICY_SCHEMA: 'POLICIES',
        POLICY_NAME: 'MASK_PII',
        POLICY_KIND: 'MASKING_POLICY',
        REF_DATABASE_NAME: 'GOV',
        REF_SCHEMA_NAME: 'TAGS',
        REF_ENTITY_NAME: 'PII',
        REF_ENTITY_DOMAIN: 'TAG',
      },
    ]),
    MASKING_POLICIES: tableOf(
      ['POLICY_CATALOG', 'POLICY_SCHEMA', 'POLICY_NAME', 'POLICY_SIGNATURE', 'DELETED'],
      [
        {
          POLICY_CATALOG: 'GOV',
          POLICY_SCHEMA: 'POLICIES',
          POLICY_NAME: 'MASK_PII',
          POLICY_SIGNATURE: signature,
        },
      ],
    ),
    TAGS: tableOf(
      ['TAG_DATABASE', 'TAG_SCHEMA', 'TAG_NAME', 'DELETED'],
      [{ TAG_DATABASE: 'GOV', TAG_SCHEMA: 'TAGS', TAG_NAME: 'PII' }],
    ),
    TAG_REFERENCES: tableOf(
      TAG_REFERENCES_COLUMNS,
      placed.map((where) => ({
        TAG_DATABASE: 'GOV',
        TAG_SCHEMA: 'TAGS',
        TAG_NAME: 'PII',
        TAG_VALUE: 'pii',
        ...where,
      })),
    ),
  };
}

const ON_EMAIL = {
  OBJECT_DATABASE: 'DB',
  OBJECT_SCHEMA: 'S',
  OBJECT_NAME: 'CUSTOMERS',
  DOMAIN: 'COLUMN',
  COLUMN_NAME: 'EMAIL',
};
const ON_LEADS = {
  OBJECT_DATABASE: 'DB',
  OBJECT_SCHEMA: 'S',
  OBJECT_NAME: 'LEADS',
  DOMAIN: 'TABLE',
};

describe('snowgov check: what the account snapshot says', () => {
  const started: Emulator[] = [];
  const start = async (
    extra: Partial<Record<string, Table>> = {},
    options: { without?: readonly string[]; dieAfterQueries?: number } = {},
  ): Promise<Emulator> => {
    const { views, tables } = accountViews(false, extra);
    for (const name of options.without ?? []) views.delete(`${USAGE}.${name}`);
    const emulator = await startEmulator({
      user: 'AUDITOR',
      password: PASSWORD,
      views,
      tables,
      dieAfterQueries: options.dieAfterQueries,
    });
    started.push(emulator);

    return emulator;
  };
  const run = async (
    emulator: Emulator,
    migrations?: Readonly<Record<string, string>>,
    ...args: string[]
  ): Promise<{ report: JsonReport; stderr: string; env: Record<string, string> }> => {
    const { cwd, env } = setup(emulator.url, PASSWORD, migrations);
    const result = await check(cwd, env, '--format', 'json', ...args);
    assert.ok(result.stdout.startsWith('{'), result.stderr);

    return { report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr, env };
  };
  const unmasked = (report: JsonReport): string[] =>
    linesOf(report, 'account-unmasked-pii').map((line) => line.split(' ')[2]);

  after(async () => {
    for (const emulator of started) await emulator.close();
    removeProjects();
  });

  describe('tag-based masking', () => {
    it('counts a masking policy set on a tag as masking the columns the tag is on', async () => {
      const emulator = await start(tagMasking('(VAL VARCHAR)', [ON_EMAIL, ON_LEADS]));
      const { report, env } = await run(emulator);
      // EMAIL carries the tag; LEADS carries it as a table, so PHONE_NUMBER inherits it.
      assert.deepEqual(unmasked(report), []);
      // The migration that creates CUSTOMERS is judged with EMAIL masked in the account.
      assert.deepEqual(linesOf(report, 'unmasked-pii-column'), []);
      // The tag is not stored as if it were a table.
      const folder = join(env.XDG_CACHE_HOME, 'snowgov');
      const cached = JSON.parse(readFileSync(join(folder, readdirSync(folder)[0]), 'utf8')) as {
        state: { policyReferences: { table: string; column?: string; policy: string }[] };
      };
      assert.deepEqual(
        cached.state.policyReferences.map((r) => `${r.policy} ${r.table}.${r.column ?? ''}`),
        [
          'GOV.POLICIES.MASK_PII DB.S.CUSTOMERS.EMAIL',
          'GOV.POLICIES.MASK_PII DB.S.LEADS.PHONE_NUMBER',
        ],
      );
    });

    it('leaves columns of another data type unmasked, as Snowflake does', async () => {
      const emulator = await start(tagMasking('(VAL NUMBER(38,0))', [ON_EMAIL, ON_LEADS]));
      const { report } = await run(emulator);
      assert.deepEqual(unmasked(report), ['DB.S.CUSTOMERS.EMAIL', 'DB.S.LEADS.PHONE_NUMBER']);
    });

    it('without the tag policy the tagged column is still reported', async () => {
      const extra = tagMasking('(VAL VARCHAR)', [ON_EMAIL]);
      const emulator = await start({
        ...extra,
        POLICY_REFERENCES: tableOf(POLICY_REFERENCES_COLUMNS),
      });
      const { report } = await run(emulator);
      assert.deepEqual(unmasked(report), ['DB.S.CUSTOMERS.EMAIL', 'DB.S.LEADS.PHONE_NUMBER']);
    });

    it('reads a view without REF_ENTITY_DOMAIN or DATA_TYPE by asking again without them', async () => {
      const extra = tagMasking('(VAL VARCHAR)', [ON_EMAIL], false);
      const emulator = await start({
        ...extra,
        COLUMNS: tableOf(
          ['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME', 'DELETED'],
          [
            {
              TABLE_CATALOG: 'DB',
              TABLE_SCHEMA: 'S',
              TABLE_NAME: 'CUSTOMERS',
              COLUMN_NAME: 'EMAIL',
            },
            { TABLE_CATALOG: 'DB', TABLE_SCHEMA: 'S', TABLE_NAME: 'LEADS', COLUMN_NAME: 'PHONE' },
          ],
        ),
      });
      const { report, stderr } = await run(emulator);
      assert.doesNotMatch(stderr, /could not read/);
      assert.deepEqual(unmasked(report), ['DB.S.LEADS.PHONE']);
      assert.ok(emulator.received.includes(SNAPSHOT_FALLBACK_QUERIES.policyReferences ?? ''));
      assert.ok(emulator.received.includes(SNAPSHOT_FALLBACK_QUERIES.columns ?? ''));
    });
  });

  describe('stages', () => {
    const migrations = {
      'V1__stages.sql': [
        'GRANT USAGE ON STAGE hr.people.no_stage TO ROLE analyst;',
        "ALTER STAGE hr.people.no_stage2 SET COMMENT = 'x';",
        "COPY INTO db.s.leads FROM @hr.people.no_stage3/ FILE_FORMAT = (TYPE = 'CSV');",
        'COPY INTO @hr.people.no_stage4/out/ FROM db.s.leads;',
        'LIST @hr.people.no_stage5;',
        'COPY INTO db.s.leads FROM @~/staged/;',
        'COPY INTO db.s.leads FROM @%leads;',
        'LIST @hr.people.made_here;',
        'LIST @hr.people.in_account/x;',
        "ALTER STAGE IF EXISTS hr.people.maybe SET COMMENT = 'x';",
        'COPY INTO db.s.leads FROM \'@"HR"."PEOPLE"."Quoted"/p\';',
        '',
      ].join('\n'),
      'V2__later.sql': 'CREATE STAGE hr.people.made_here;\n',
    };
    const stages = tableOf(
      ['STAGE_CATALOG', 'STAGE_SCHEMA', 'STAGE_NAME', 'DELETED'],
      [{ STAGE_CATALOG: 'HR', STAGE_SCHEMA: 'PEOPLE', STAGE_NAME: 'IN_ACCOUNT' }],
    );

    it('reports stages that neither the migrations nor the account define', async () => {
      const emulator = await start({ STAGES: stages });
      const { report } = await run(emulator, migrations);
      const lines = linesOf(report, 'unresolved-reference', 'V1__stages.sql').filter((line) =>
        /: Stage /.test(line),
      );
      assert.deepEqual(
        lines.map((line) => line.split(' is ')[0]),
        [
          '1: Stage HR.PEOPLE.NO_STAGE',
          '2: Stage HR.PEOPLE.NO_STAGE2',
          '3: Stage HR.PEOPLE.NO_STAGE3',
          '4: Stage HR.PEOPLE.NO_STAGE4',
          '5: Stage HR.PEOPLE.NO_STAGE5',
          '11: Stage HR.PEOPLE."Quoted"',
        ],
      );
      assert.match(
        lines[0],
        /defined neither by the migrations nor in the account; the statement will fail there\./,
      );
    });

    it('judges no stage when the role may not read STAGES', async () => {
      const emulator = await start({}, { without: ['STAGES'] });
      const { report } = await run(emulator, migrations);
      assert.deepEqual(
        linesOf(report, 'unresolved-reference').filter((line) => /: Stage /.test(line)),
        [],
      );
    });
  });

  describe('the cache', () => {
    const forge = (env: Record<string, string>, folderMode: number, fileMode: number): void => {
      const folder = join(env.XDG_CACHE_HOME, 'snowgov');
      const file = join(folder, readdirSync(folder)[0]);
      // An empty account: nothing unmasked, nobody administers it.
      const empty = JSON.parse(readFileSync(file, 'utf8')) as { state: Record<string, unknown> };
      writeCachedSnapshot(file, {
        state: { ...empty.state, columns: [], users: [], accountAdmins: [], userRoles: [] },
        gaps: [],
      } as never);
      chmodSync(file, fileMode);
      chmodSync(folder, folderMode);
    };

    it('creates the folder 0700 and says in one line when it uses a fresh snapshot', async () => {
      const emulator = await start();
      const { cwd, env } = setup(emulator.url);
      await check(cwd, env, '--format', 'json');
      if (process.platform !== 'win32') {
        assert.equal(statSync(join(env.XDG_CACHE_HOME, 'snowgov')).mode & 0o777, 0o700);
      }
      const warm = await check(cwd, env, '--format', 'json');
      assert.match(
        warm.stderr,
        /^snowgov: Using the account snapshot cached \d+ s ago, without signing in \(--no-cache reads the account again\)\.$/m,
      );
    });

    for (const [what, folderMode, fileMode] of [
      ['a folder others can write to', 0o777, 0o600],
      ['a file others can write to', 0o700, 0o666],
    ] as const) {
      it(`refuses ${what}, with one line, and reads the account instead`, async function () {
        if (process.platform === 'win32') this.skip();
        const emulator = await start();
        const { cwd, env } = setup(emulator.url);
        const cold = await check(cwd, env, '--format', 'json');
        forge(env, folderMode, fileMode);
        const sent = emulator.received.length;
        const next = await check(cwd, env, '--format', 'json');
        assert.ok(emulator.received.length > sent, 'the account is read again');
        assert.equal(next.stdout, cold.stdout, 'the forged snapshot drops no finding');
        const warnings = next.stderr.split('\n').filter((line) => /cache/.test(line));
        assert.equal(warnings.length, 1, next.stderr);
        assert.match(
          warnings[0],
          /^snowgov: Ignoring the account snapshot cache: \S+ can be written by other users, so it could hold a forged snapshot\. Run: chmod 0[67]00 \S+$/,
        );
      });
    }

    it('refuses a cache file that another user owns', () => {
      const { env } = setup('http://127.0.0.1:9');
      const folder = join(env.XDG_CACHE_HOME, 'snowgov');
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, 'account-x.json');
      writeCachedSnapshot(file, { state: {}, gaps: [] } as never);
      const mine = statSync(file).uid;
      assert.equal(untrustedCache(file, false, 'linux', mine), undefined);
      assert.match(untrustedCache(file, false, 'linux', mine + 1) ?? '', /belongs to another user/);
      assert.equal(untrustedCache(file, false, 'win32', mine + 1), undefined);
    });
  });

  describe('failures and advice', () => {
    it('fails fast when the account closes the connection on every statement from the first', async () => {
      const emulator = await start({}, { dieAfterQueries: 0 });
      const { cwd, env } = setup(emulator.url);
      const begun = Date.now();
      const result = await check(cwd, env, '--timeout', '120');
      assert.ok(Date.now() - begun < 15_000, `took ${Date.now() - begun} ms`);
      assert.match(
        failureLine(result.stderr),
        /^snowgov: Connection 'emu' was closed by the account while reading account state: .*hung up on every retry \(ECONNRESET\)\./,
      );
    });

    it('names a private key file that does not exist, and what to do', async () => {
      const emulator = await start();
      const { cwd, env } = setup(emulator.url);
      env.SNOWFLAKE_CONNECTIONS_EMU_AUTHENTICATOR = 'SNOWFLAKE_JWT';
      env.SNOWFLAKE_CONNECTIONS_EMU_PRIVATE_KEY_FILE = join(cwd, 'missing.p8');
      const sent = emulator.received.length;
      const result = await check(cwd, env);
      assert.equal(result.status, 2);
      assert.equal(
        failureLine(result.stderr),
        `snowgov: Connection 'emu' sets private_key_file to ${join(cwd, 'missing.p8')}, which ` +
          'does not exist. Point private_key_file at the right file (an absolute path), or ' +
          'create it and run again.',
      );
      assert.doesNotMatch(result.stderr, /ENOENT/);
      assert.equal(emulator.received.length, sent);
    });

    it('says where it looked for connections when there is no file at all', () => {
      const { cwd } = setup('http://127.0.0.1:9');
      const home = join(cwd, 'nowhere');
      assert.throws(
        () => resolveConnection({ env: { SNOWFLAKE_HOME: home }, platform: 'linux' }),
        (error: unknown) =>
          error instanceof ConnectionError &&
          error.message ===
            `No connection named 'default': neither ${join(home, 'connections.toml')} nor ` +
              `${join(home, 'config.toml')} exists (looked in $SNOWFLAKE_HOME, else ` +
              '~/.snowflake, else the configuration folder). Create ' +
              `${join(home, 'connections.toml')} (mode 0600) with a [default] section holding ` +
              'account, user and authenticator, or set SNOWFLAKE_CONNECTIONS_DEFAULT_ACCOUNT and ' +
              'the other settings.',
      );
    });

    it('flags a user whose default role holds ACCOUNTADMIN through a custom role', async () => {
      const emulator = await start({
        USERS: tableOf(
          ['NAME', 'DEFAULT_ROLE', 'HAS_PASSWORD', 'HAS_MFA', 'DISABLED', 'DELETED_ON'],
          [
            { NAME: 'DAVE', DEFAULT_ROLE: 'PLATFORM_ADMIN', HAS_PASSWORD: 'false' },
            // Not granted the role it defaults to: the default does not take effect.
            { NAME: 'EVE', DEFAULT_ROLE: 'PLATFORM_ADMIN', HAS_PASSWORD: 'false' },
            { NAME: 'OLD', DEFAULT_ROLE: 'PLATFORM_ADMIN', DISABLED: 'true' },
            { NAME: 'BOB', DEFAULT_ROLE: 'ANALYST', HAS_PASSWORD: 'false' },
          ],
        ),
        GRANTS_TO_USERS: tableOf(
          ['ROLE', 'GRANTEE_NAME', 'DELETED_ON'],
          [
            { ROLE: 'PLATFORM_ADMIN', GRANTEE_NAME: 'DAVE' },
            { ROLE: 'PLATFORM_ADMIN', GRANTEE_NAME: 'OLD' },
            { ROLE: 'ANALYST', GRANTEE_NAME: 'BOB' },
          ],
        ),
        GRANTS_TO_ROLES: tableOf(
          ['PRIVILEGE', 'GRANTED_ON', 'NAME', 'GRANTEE_NAME', 'GRANTED_TO', 'DELETED_ON'],
          [
            {
              PRIVILEGE: 'USAGE',
              GRANTED_ON: 'ROLE',
              NAME: 'ACCOUNTADMIN',
              GRANTEE_NAME: 'OPS',
              GRANTED_TO: 'ROLE',
            },
            {
              PRIVILEGE: 'USAGE',
              GRANTED_ON: 'ROLE',
              NAME: 'OPS',
              GRANTEE_NAME: 'PLATFORM_ADMIN',
              GRANTED_TO: 'ROLE',
            },
          ],
        ),
      });
      const { report } = await run(emulator);
      assert.deepEqual(
        linesOf(report, 'account-posture').filter((line) => /default role/.test(line)),
        [
          '1: User DAVE has default role PLATFORM_ADMIN, which holds ACCOUNTADMIN, so every ' +
            'session starts as an account administrator; set a less privileged default role.',
        ],
      );
    });
  });
});
