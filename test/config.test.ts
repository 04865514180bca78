import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { parseConfig } from '../server/src/engine';

/** snowgov.yml problems name the file, the line and what to change. */
function problems(text: string): string[] {
  return parseConfig(text, 'snowgov.yml', allRules).problems.map(
    (problem) => `${problem.path}:${problem.line ?? '?'}: ${problem.message}`,
  );
}

describe('snowgov.yml', () => {
  it('accepts an empty file and serves the defaults', () => {
    const { config, problems: found } = parseConfig('', 'snowgov.yml', allRules);
    assert.deepEqual(found, []);
    assert.equal(config.rules.get('grant-to-user')?.severity, 'error');
    assert.equal(config.rules.get('parse-error')?.severity, 'warning');
  });

  it('names an unknown rule with its line and lists the known ones', () => {
    const [problem] = problems('rules:\n  grant-to-users: off\n');
    assert.equal(
      problem,
      "snowgov.yml:2: Unknown rule 'grant-to-users'. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every rule.",
    );
  });

  it('lists the accepted severities for a wrong one', () => {
    assert.deepEqual(problems('rules:\n  grant-to-user:\n    severity: fatal\n'), [
      'snowgov.yml:3: snowgov.rules.grant-to-user.severity must be one of: error, warning, info, off.',
    ]);
  });

  it('reports an unknown rule beside a wrong severity, in line order', () => {
    assert.deepEqual(
      problems('rules:\n  grant-to-user:\n    severity: eror\n  grant-to-users: off\n'),
      [
        'snowgov.yml:3: snowgov.rules.grant-to-user.severity must be one of: error, warning, info, off.',
        "snowgov.yml:4: Unknown rule 'grant-to-users'. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every rule.",
      ],
    );
  });

  it('reports a misspelt option with its line', () => {
    assert.deepEqual(problems('rules:\n  grant-to-user:\n    options:\n      allowUsers: [a]\n'), [
      "snowgov.yml:4: 'allowUsers' is not a setting of grant-to-user options. Remove it or check its spelling.",
    ]);
  });

  it('reports an option of the wrong type', () => {
    assert.deepEqual(
      problems('rules:\n  grant-to-user:\n    options:\n      allowedUsers: alice\n'),
      ['snowgov.yml:4: grant-to-user options.allowedUsers must be array.'],
    );
  });

  it('reports a category no classifier defines', () => {
    const text =
      'rules:\n  unmasked-pii-column:\n    options:\n      categories: [email, shoe_size]\n';
    assert.deepEqual(problems(text), [
      "snowgov.yml:4: unmasked-pii-column options.categories.1 names an unknown category 'shoe_size'. Use a built-in category or define it under classification.categories.",
    ]);
  });

  it('accepts a category the file defines itself', () => {
    const text = [
      'classification:',
      '  categories:',
      '    - id: shoe_size',
      "      namePatterns: ['^shoe_size$']",
      'rules:',
      '  unmasked-pii-column:',
      '    options:',
      '      categories: [shoe_size]',
    ].join('\n');
    assert.deepEqual(problems(text), []);
  });

  it('reports a name pattern that is not a regular expression', () => {
    const text = "classification:\n  categories:\n    - id: x\n      namePatterns: ['(']\n";
    const [problem] = problems(text);
    assert.match(
      problem,
      /^snowgov\.yml:4: '\(' is not a valid regular expression \(.*\)\. Fix or remove it\.$/,
    );
  });

  it('reports YAML syntax errors with their line', () => {
    const [problem] = problems('rules:\n  grant-to-user: [\n');
    assert.match(problem, /^snowgov\.yml:\d+: .*Fix the YAML syntax\.$/);
  });

  it('reports a top-level key it does not know', () => {
    assert.deepEqual(problems('rule:\n  grant-to-user: off\n'), [
      "snowgov.yml:1: 'rule' is not a setting of snowgov. Remove it or check its spelling.",
    ]);
  });

  it('reports a misspelt key at its own line, not at the first line or its first child', () => {
    // Found by a helper trying the product: these were reported at line 1 and a line too low.
    const text = [
      'rules:',
      '  grant-to-usr:',
      '    severity: warning',
      '  unmasked-pii-column:',
      '    options:',
      '      approvedPolicies:',
      '        emial: a.b.mask_email',
      'exclud:',
      '  - legacy',
    ].join('\n');
    assert.deepEqual(problems(text), [
      "snowgov.yml:2: Unknown rule 'grant-to-usr'. Did you mean 'grant-to-user'? Run 'snowgov rules' to list every rule.",
      "snowgov.yml:8: 'exclud' is not a setting of snowgov. Remove it or check its spelling.",
    ]);
    assert.deepEqual(
      problems(text.replace(/grant-to-usr/, 'grant-to-user').replace(/exclud/, 'exclude')),
      [
        "snowgov.yml:7: unmasked-pii-column options.approvedPolicies names an unknown category 'emial'. Use a built-in category or define it under classification.categories.",
      ],
    );
  });

  describe('access.unmaskedRoles', () => {
    const RULES = ['unmasked-pii-column', 'forbidden-projection'];
    const rolesOf = (text: string) => {
      const { config, problems: found } = parseConfig(text, 'snowgov.yml', allRules);
      assert.deepEqual(found, []);

      return RULES.map(
        (rule) => (config.rules.get(rule)?.options as { unmaskedRoles?: string[] }).unmaskedRoles,
      );
    };

    it('gives both rules PII_READER when nothing is set', () => {
      assert.deepEqual(rolesOf(''), [['PII_READER'], ['PII_READER']]);
    });

    it('sets the roles that see clear values once for every rule that uses them', () => {
      assert.deepEqual(rolesOf('access:\n  unmaskedRoles: [SUPPORT_LEAD, AUDITOR]\n'), [
        ['SUPPORT_LEAD', 'AUDITOR'],
        ['SUPPORT_LEAD', 'AUDITOR'],
      ]);
    });

    it("keeps a rule's own unmaskedRoles as an override, and the other rule's options apart", () => {
      const text = [
        'access:',
        '  unmaskedRoles: [SUPPORT_LEAD]',
        'rules:',
        '  forbidden-projection:',
        '    options:',
        '      unmaskedRoles: [ANALYST]',
        '  unmasked-pii-column:',
        '    options:',
        '      quasiIdentifierSeverity: info',
        '',
      ].join('\n');
      assert.deepEqual(rolesOf(text), [['SUPPORT_LEAD'], ['ANALYST']]);
    });

    it('gives no unmaskedRoles to a rule that has no such option', () => {
      const { config } = parseConfig('access:\n  unmaskedRoles: [A]\n', 'snowgov.yml', allRules);
      assert.equal('unmaskedRoles' in (config.rules.get('grant-to-user')?.options ?? {}), false);
    });

    it('reports a misspelt access setting with its line', () => {
      assert.deepEqual(problems('access:\n  unmaskRoles: [A]\n'), [
        "snowgov.yml:2: 'unmaskRoles' is not a setting of snowgov.access. Remove it or check its spelling.",
      ]);
    });
  });
});
