import assert from 'node:assert/strict';
import { redactSecrets } from '../server/src/cli/redact';

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
