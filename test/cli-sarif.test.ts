/**
 * SARIF output checked by Microsoft's SARIF Multitool (`@microsoft/sarif-multitool`, a
 * devDependency that ships a native binary per platform), with its SARIF rules and the rules
 * for GitHub code scanning ingestion. Any error or warning it reports fails the test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../rules';
import { FORMAT_PROJECT, removeTempProjects, runCli, tempProject } from './helpers/cli';

interface ValidationResult {
  readonly ruleId: string;
  readonly level?: string;
  readonly message: { readonly text?: string; readonly arguments?: readonly string[] };
}

/** The multitool's findings about one SARIF text; its own failures throw. */
function validate(sarif: string): ValidationResult[] {
  const folder = mkdtempSync(join(tmpdir(), 'snowgov-sarif-'));
  const input = join(folder, 'snowgov.sarif');
  const output = join(folder, 'validation.sarif');
  writeFileSync(input, sarif);
  // The package's main export is the path of the binary for this platform; it is run directly
  // because the npm wrapper passes arguments through a shell, which splits "Sarif;Gh".
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const binary = require('@microsoft/sarif-multitool') as string;
  const result = spawnSync(
    binary,
    ['validate', '--rule-kind', 'Sarif;Gh', '--output', output, input],
    { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
  );
  assert.equal(result.status, 0, `the multitool failed:\n${result.stdout}\n${result.stderr}`);
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results?: ValidationResult[] }[];
  };

  return log.runs.flatMap((run) => run.results ?? []);
}

function problems(results: readonly ValidationResult[]): string[] {
  return results
    .filter(
      (result) =>
        result.level === undefined || result.level === 'error' || result.level === 'warning',
    )
    .map(
      (result) => `${result.ruleId}: ${result.message.text ?? result.message.arguments?.join(' ')}`,
    );
}

describe('SARIF output', () => {
  after(removeTempProjects);

  it('passes the SARIF Multitool with suppressed and baselined findings', async () => {
    const root = tempProject(FORMAT_PROJECT);
    await runCli(root, ['baseline', 'migrations/V1__roles.sql']);
    writeFileSync(
      join(root, 'migrations', 'V4__more.sql'),
      'GRANT SELECT ON TABLE sales.orders TO USER carol;\n',
    );
    const result = await runCli(root, [
      'lint',
      '--format',
      'sarif',
      '--baseline',
      '.snowgov-baseline.json',
    ]);
    const log = JSON.parse(result.stdout) as {
      runs: { results: { baselineState: string; suppressions?: { kind: string }[] }[] }[];
    };
    const kinds = log.runs[0].results.map((entry) => [
      entry.baselineState,
      entry.suppressions?.map((suppression) => suppression.kind).join() ?? '',
    ]);

    assert.deepEqual(kinds, [
      ['unchanged', 'external'],
      ['unchanged', 'external'],
      ['new', 'inSource'],
      ['new', ''],
      ['new', ''],
    ]);
    assert.deepEqual(problems(validate(result.stdout)), []);
  });

  it('is checked by a validator that does report a broken log', () => {
    const broken = JSON.stringify({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'snowgov' } }, results: [{ message: {} }] }],
    });

    assert.notDeepEqual(problems(validate(broken)), []);
  });

  it('passes the SARIF Multitool for the example migrations and every real rule', async () => {
    const root = tempProject({});
    const examples = join(__dirname, '..', 'examples');
    const result = await runCli(root, ['lint', '--format', 'sarif', examples], {
      rules: allRules,
    });
    const log = JSON.parse(result.stdout) as {
      runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } } }[];
    };

    for (const rule of allRules) {
      const described = log.runs[0].tool.driver.rules.find((entry) => entry.id === rule.name);
      const readme = readFileSync(join(__dirname, '..', 'rules', rule.name, 'README.md'), 'utf8');
      assert.equal(described?.help.markdown, readme, `${rule.name} carries its README as help`);
    }
    assert.deepEqual(problems(validate(result.stdout)), []);
  });
});
