import assert from 'node:assert/strict';
import { redactSecrets } from '../server/src/engine/redact';

describe('code frame redaction', () => {
  it('stars out AWS key ids and private keys wherever they stand, keeping lengths', () => {
    const text = "SELECT 'AKIAPPPPPPPPPPPPPPPP' AS k, 'x' AS y;";
    const redacted = redactSecrets(text);
    assert.equal(redacted, "SELECT '********************' AS k, 'x' AS y;");
    assert.equal(redacted.length, text.length);
    const pem = "'-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'";
    assert.equal(redactSecrets(pem).includes('MIIE'), false);
    assert.equal(redactSecrets(pem).split('\n').length, 3);
  });

  it('stars out credential values and URL query strings', () => {
    assert.equal(
      redactSecrets("PASSWORD = 'Hunter2' URL = 'azure://a/b?sig=abc'"),
      "PASSWORD = '*******' URL = 'azure://a/b?*******'",
    );
  });
});

describe('code frame redaction of every secret form', () => {
  it('stars out $$-quoted values and values set inside procedure bodies', () => {
    assert.equal(
      redactSecrets('CREATE USER u9 PASSWORD = $$dollarPassw0rd$$;'),
      'CREATE USER u9 PASSWORD = $$**************$$;',
    );
    const body = "AS $$ BEGIN ALTER USER b SET PASSWORD = 'Temp#1234'; END $$;";
    assert.equal(
      redactSecrets(body),
      "AS $$ BEGIN ALTER USER b SET PASSWORD = '*********'; END $$;",
    );
    const immediate = "EXECUTE IMMEDIATE 'ALTER USER c SET PASSWORD = ''Inner#Pw1''';";
    assert.equal(redactSecrets(immediate).includes('Inner#Pw1'), false);
  });

  it('stars out the secret access key beside a key id in a comment', () => {
    const comment =
      '-- old key: AKIAQWERTYUIOPZXCVBN / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nSELECT 1;';
    const redacted = redactSecrets(comment);
    assert.equal(redacted, `-- old key: ${'*'.repeat(20)} / ${'*'.repeat(40)}\nSELECT 1;`);
  });

  it('stars out passwords named in comments but leaves prose alone', () => {
    assert.equal(redactSecrets('-- password: Hunter2x'), '-- password: ********');
    const prose = '-- the password policy applies; rotate the key quarterly';
    assert.equal(redactSecrets(prose), prose);
  });

  it('stars out every credential property the rules know, whatever it is called', () => {
    for (const key of ['AWS_SECRET_KEY', 'AZURE_SAS_TOKEN', 'PRIVATE_KEY', 'OAUTH_REFRESH_TOKEN']) {
      assert.equal(redactSecrets(`${key} = 'abcDEF123'`), `${key} = '*********'`);
    }
  });

  it('never throws and keeps the length of any text', () => {
    for (const text of ["PASSWORD = '", 'PASSWORD = $$', "'''", '-- key:', '/* token']) {
      assert.equal(redactSecrets(text).length, text.length);
    }
  });
});
