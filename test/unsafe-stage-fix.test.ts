import assert from 'node:assert/strict';
import { lintFiles } from './helpers/lint';

describe('unsafe-stage fix', () => {
  it('offers only an integration for the same cloud that an earlier migration creates', () => {
    const findings = lintFiles({
      'V1__stage.sql': [
        "CREATE STORAGE INTEGRATION s3_int TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3'",
        "  ENABLED = TRUE STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::001234567890:role/x'",
        "  STORAGE_ALLOWED_LOCATIONS = ('s3://acme/');",
        "CREATE STAGE raw.landing.az URL = 'azure://acme.blob.core.windows.net/in/' CREDENTIALS = (AZURE_SAS_TOKEN = 'sv=x');",
        "CREATE STAGE raw.landing.s3 URL = 's3://other/' CREDENTIALS = (AWS_KEY_ID = 'a' AWS_SECRET_KEY = 'b');",
      ].join('\n'),
      'V2__later.sql': [
        "CREATE STORAGE INTEGRATION az_int TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'AZURE'",
        "  ENABLED = TRUE AZURE_TENANT_ID = 'tenant'",
        "  STORAGE_ALLOWED_LOCATIONS = ('azure://acme.blob.core.windows.net/');",
      ].join('\n'),
    });
    const stage = (findings.get('V1__stage.sql') ?? []).filter((f) => f.ruleId === 'unsafe-stage');
    assert.deepEqual(
      stage.map((finding) => finding.fixes.map((fix) => fix.title)),
      [[], ['Use storage integration S3_INT instead of inline credentials']],
    );
  });
});
