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
      'snowgov.yml:4: unmasked-pii-column options.categories.1 names an unknown category. Use a built-in category or define it under classification.categories.',
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
});
