import assert from 'node:assert/strict';
import { lintFiles } from './helpers/lint';

/** Secrets found in SQL are never echoed, whatever the shape of the surrounding mistake. */
const SECRETS = ['AKIAABCDEFGHIJKLMNOP', 'wJalrSECRETKEY', 'Hunter2Secret!', 'sig=SECRETSIG'];

function messagesOf(text: string): string[] {
  return [...lintFiles({ 'V1__secrets.sql': text }).values()].flat().map((f) => f.message);
}

function assertNoSecret(text: string): void {
  for (const message of messagesOf(text)) {
    for (const secret of SECRETS) assert.ok(!message.includes(secret), `leaked: ${message}`);
  }
}

const STAGE_WITH_KEYS =
  "create stage s url='s3://b/' " +
  "credentials=(aws_key_id='AKIAABCDEFGHIJKLMNOP' aws_secret_key='wJalrSECRETKEY');";

describe('secrets in SQL', () => {
  it('are not echoed when an unclosed quoted user name swallows them', () => {
    assertNoSecret(`GRANT SELECT ON TABLE t TO USER "\n${STAGE_WITH_KEYS}\n`);
    assertNoSecret(`GRANT ROLE r TO USER "\ncreate user u password='Hunter2Secret!';\n`);
  });

  it('are not echoed when a quoted name spans lines up to a later quote', () => {
    assertNoSecret(`GRANT SELECT ON TABLE t TO USER "a\n${STAGE_WITH_KEYS}\n"x";`);
  });

  it('are not echoed by parse errors at a string literal', () => {
    assertNoSecret("CREATE USER u PASSWORD = 'Hunter2Secret!' 'Hunter2Secret!' (;");
    assertNoSecret("GRANT SELECT ON 'Hunter2Secret!' TO;");
  });

  it('are named by property, not value, in stage findings', () => {
    const messages = messagesOf(STAGE_WITH_KEYS);
    assert.ok(messages.some((message) => message.includes('AWS_KEY_ID, AWS_SECRET_KEY')));
    assertNoSecret(STAGE_WITH_KEYS);
  });

  it('keep signed URL query strings out of unload findings', () => {
    assertNoSecret("COPY INTO 'azure://a.blob.core.windows.net/c/x?sv=1&sig=SECRETSIG' FROM t;");
  });
});
