/**
 * Secrets in the linted SQL never reach the output, in any format, in code frames or in
 * `--fix-dry-run` diffs; and a dry-run diff that would show one is withheld rather than starred,
 * so that what is printed still applies with `git apply`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';
import { FIXTURE_RULES, removeTempProjects, runCli, tempProject } from './helpers/cli';

/** Every secret of the file below; none may appear in any output. */
const SECRETS = [
  'dollarPassw0rd',
  'AKIAQWERTYUIOPZXCVBN',
  'qZ7rXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEYSX',
  'AKIAABCDEFGHIJKLMNOP',
  'awsSecretKey123',
  'sasSIG123',
  'crmPass#42',
  'genericS3cret',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDx',
  'procPassw0rd',
  'innerPassw0rd',
  'urlSIG987',
  'oauthClientS3cret',
  'commentPassw0rd',
  'zY8sYVuoGFNJ/L8NEOH+cQySgjDZTFDSFULFZTAB',
];

const SECRET_FILE = [
  'grant select on table db.s.t to role analyst;',
  'CREATE USER u9 PASSWORD = $$dollarPassw0rd$$;',
  '-- old key: AKIAQWERTYUIOPZXCVBN secret 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',
  "CREATE STAGE db.s.st URL = 's3://b/p/' CREDENTIALS = (AWS_KEY_ID = 'AKIAABCDEFGHIJKLMNOP' AWS_SECRET_KEY = 'awsSecretKey123');",
  "CREATE STAGE db.s.az URL = 'azure://a.blob.core.windows.net/c/' CREDENTIALS = (AZURE_SAS_TOKEN = 'sv=2024&sig=sasSIG123');",
  "CREATE SECRET db.s.crm TYPE = PASSWORD USERNAME = 'crm' PASSWORD = 'crmPass#42';",
  "CREATE SECRET db.s.gen TYPE = GENERIC_STRING SECRET_STRING = 'genericS3cret';",
  "ALTER USER svc_etl SET RSA_PUBLIC_KEY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDx';",
  'CREATE OR REPLACE PROCEDURE db.s.reset_pw()',
  '  RETURNS STRING',
  '  LANGUAGE SQL',
  '  AS',
  '  $$',
  '  BEGIN',
  "    ALTER USER bob SET PASSWORD = 'procPassw0rd';",
  "    EXECUTE IMMEDIATE 'ALTER USER carol SET PASSWORD = ''innerPassw0rd''';",
  "    RETURN 'ok';",
  '  END;',
  '  $$;',
  "COPY INTO 'azure://a.blob.core.windows.net/c/x?sv=1&sig=urlSIG987' FROM db.s.t;",
  'CREATE SECURITY INTEGRATION oauth_app TYPE = OAUTH OAUTH_CLIENT = CUSTOM',
  "  OAUTH_CLIENT_SECRET = 'oauthClientS3cret';",
  '-- password: commentPassw0rd',
  '/* rotated AKIAZXCVBNMASDFGHJKL / zY8sYVuoGFNJ/L8NEOH+cQySgjDZTFDSFULFZTAB */',
  '',
].join('\n');

/** A file whose fix is far from any secret: its diff is shown, and applies. */
const CLEAN_FILE = 'CREATE TABLE db.s.t (id INT);\ngrant select on table db.s.t to role reader;\n';

const RULES = [...allRules, ...FIXTURE_RULES];

function assertNoSecret(output: string, label: string): void {
  for (const secret of SECRETS) {
    assert.ok(!output.includes(secret), `${label} shows '${secret}':\n${output}`);
  }
}

describe('secrets in CLI output', () => {
  after(removeTempProjects);

  const formats = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit', 'stylish'];
  for (const format of formats) {
    it(`are never shown by --format ${format}`, async () => {
      const root = tempProject({ 'V1__secrets.sql': SECRET_FILE });

      const result = await runCli(root, ['lint', '--format', format, '--color'], {
        rules: RULES,
        isTTY: true,
        env: { FORCE_COLOR: '1' },
      });

      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /static-credential/);
      assertNoSecret(result.stdout, format);
      assertNoSecret(result.stderr, `${format} (stderr)`);
    });
  }

  it('are starred in stylish code frames, $$ values and comments included', async () => {
    const root = tempProject({ 'V1__secrets.sql': SECRET_FILE });

    const result = await runCli(root, ['lint', '--format', 'stylish'], { rules: RULES });

    assert.match(result.stdout, /PASSWORD = \$\$\*{14}\$\$/);
    assert.match(result.stdout, /-- old key: \*{20} secret \*{40}/);
  });

  it('withhold the dry-run diff of a file whose hunks would show one', async () => {
    const root = tempProject(
      { 'V1__secrets.sql': SECRET_FILE, 'V2__clean.sql': CLEAN_FILE },
      { git: true },
    );

    const result = await runCli(root, ['lint', '--fix-dry-run', '--unsafe-fixes'], {
      rules: RULES,
    });

    assertNoSecret(result.stdout, 'dry-run diff');
    assertNoSecret(result.stderr, 'dry-run messages');
    assert.match(
      result.stderr,
      /the diff for 'V1__secrets\.sql' is withheld because it would show a secret\. To see the change, run snowgov lint --fix in a scratch copy/,
    );
    assert.doesNotMatch(result.stdout, /V1__secrets\.sql/);
    assert.match(result.stdout, /^\+GRANT select on table db\.s\.t to role reader;$/m);
    const applied = spawnSync('git', ['apply', '-'], {
      cwd: root,
      input: result.stdout,
      encoding: 'utf8',
    });
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(
      readFileSync(join(root, 'V2__clean.sql'), 'utf8'),
      CLEAN_FILE.replace('grant', 'GRANT'),
    );
    assert.equal(readFileSync(join(root, 'V1__secrets.sql'), 'utf8'), SECRET_FILE);
  });
});
