import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SCHEMA_PATH, renderSchema } from '../scripts/generate-schema';

describe('the shipped JSON Schema of snowgov.yml', () => {
  it('matches the rules as they are (regenerate with npm run schema)', () => {
    assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), renderSchema());
  });

  it('accepts a full example and rejects a misspelt rule', () => {
    const ajv = new Ajv({ strict: false });
    ajv.addFormat('category', true);
    const validate = ajv.compile(JSON.parse(renderSchema()) as object);
    const example = parse(
      [
        'rules:',
        '  grant-to-user:',
        '    severity: warning',
        '    options: { allowedUsers: [breakglass] }',
        '  parse-error: error',
        'classification:',
        '  categories: [{ id: customer_number, namePatterns: ["^cust_no$"] }]',
        'exclude: [legacy/**]',
      ].join('\n'),
    ) as unknown;
    assert.ok(validate(example), JSON.stringify(validate.errors));
    assert.equal(validate({ rules: { 'grant-to-users': 'off' } }), false);
  });
});
