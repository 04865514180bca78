/**
 * Golden files for every `--format`, from one small project linted with the fixture rules:
 * a safe-fixable warning, an unsafe-fixable error, a suppressed error and an info. Run with
 * UPDATE_GOLDEN=1 to rewrite test/fixtures/cli-formats/ after an intended change, then review
 * the diff. JSON goldens end in `.golden` so that Prettier leaves them byte-for-byte as printed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import Ajv from 'ajv';
import { version } from '../package.json';
import { OUTPUT_FORMATS } from '../server/src/cli/formats';
import {
  FIXTURE_RULES,
  FORMAT_PROJECT,
  fixtureRuleDoc,
  removeTempProjects,
  runCli,
  tempProject,
} from './helpers/cli';

const GOLDEN = resolve(__dirname, 'fixtures', 'cli-formats');
const EXTENSIONS: Record<(typeof OUTPUT_FORMATS)[number], string> = {
  stylish: 'stylish.txt',
  text: 'text.txt',
  json: 'json.golden',
  sarif: 'sarif.golden',
  github: 'github.txt',
  gitlab: 'gitlab.golden',
  junit: 'junit.xml',
};

/** Output with what depends on the machine or the release replaced by placeholders. */
function normalise(output: string, root: string): string {
  return output
    .split(pathToFileURL(root).href)
    .join('file:///project')
    .split(`"${version}"`)
    .join('"<version>"');
}

async function lintAs(format: string): Promise<{ status: number; stdout: string; root: string }> {
  const root = tempProject(FORMAT_PROJECT);
  const result = await runCli(root, ['lint', '--format', format, '--include-suppressed'], {
    rules: FIXTURE_RULES,
    readRuleDoc: fixtureRuleDoc,
  });
  assert.equal(result.stderr, '', `stderr of --format ${format}`);

  return { status: result.status, stdout: normalise(result.stdout, root), root };
}

describe('snowgov lint output formats', () => {
  after(removeTempProjects);

  for (const format of OUTPUT_FORMATS) {
    it(`prints the golden ${format} report and exits 1 for an open error`, async () => {
      const { status, stdout } = await lintAs(format);
      const file = join(GOLDEN, `expected.${EXTENSIONS[format]}`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, stdout);
      }

      assert.ok(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to create it`);
      assert.equal(stdout, readFileSync(file, 'utf8'));
      assert.equal(status, 1);
    });
  }

  it('gives a finding the same fingerprint in JSON, SARIF and GitLab output', async () => {
    const json = JSON.parse((await lintAs('json')).stdout) as {
      findings: { ruleId: string; fingerprint: string; suppression?: unknown }[];
    };
    const sarif = JSON.parse((await lintAs('sarif')).stdout) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[];
    };
    const gitlab = JSON.parse((await lintAs('gitlab')).stdout) as { fingerprint: string }[];

    const open = json.findings.filter((finding) => !finding.suppression);
    assert.deepEqual(
      gitlab.map((issue) => issue.fingerprint),
      open.map((finding) => finding.fingerprint),
    );
    const sarifPrints = sarif.runs[0].results.map(
      (result) => result.partialFingerprints['snowgovFingerprint/v2'],
    );
    assert.deepEqual(
      sarifPrints,
      json.findings.map((finding) => finding.fingerprint),
    );
    assert.equal(new Set(sarifPrints).size, sarifPrints.length, 'fingerprints are unique');
  });

  it('writes a GitLab report that the Code Quality schema accepts', async () => {
    const schema = JSON.parse(
      readFileSync(resolve(__dirname, 'fixtures', 'gitlab-code-quality.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);

    const report = JSON.parse((await lintAs('gitlab')).stdout) as unknown;

    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
  });

  it('writes well-formed JUnit XML with escaped messages and one suite per file', async () => {
    const root = tempProject({
      'V1__odd.sql': 'GRANT SELECT ON TABLE t TO USER "a<b>&c";\n',
      'V2__clean.sql': 'SELECT 1;\n',
    });
    const result = await runCli(root, ['lint', '--format', 'junit']);

    assert.match(result.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.equal((result.stdout.match(/<testsuite /g) ?? []).length, 2);
    assert.match(result.stdout, /<testcase classname="V2__clean\.sql" name="no findings"/);
    assert.doesNotMatch(result.stdout.replace(/&(amp|lt|gt|quot|#10);/g, ''), /[<>]\w*&|"a<b>/);
  });

  it('writes stylish output with colour only when asked for', async () => {
    const root = tempProject(FORMAT_PROJECT);
    const plain = await runCli(root, ['lint', '--format', 'stylish']);
    const coloured = await runCli(root, ['lint', '--format', 'stylish', '--color']);

    assert.ok(!plain.stdout.includes('\u001b['), 'no escape sequences without --color');
    assert.ok(coloured.stdout.includes('\u001b[31merror\u001b[39m'), 'severities are coloured');
    assert.equal(stripVTControlCharacters(coloured.stdout), plain.stdout);
  });

  it('defaults to stylish at a terminal and to the plain text lines when piped', async () => {
    const root = tempProject(FORMAT_PROJECT);
    const terminal = await runCli(root, ['lint', '--no-progress'], { isTTY: true });
    const piped = await runCli(root, ['lint']);

    assert.match(terminal.stdout, /^migrations\/V1__roles\.sql\n {2}2:1 {2}warning {2}/);
    assert.match(terminal.stdout, /\n {4}> 2 \| grant select/);
    assert.match(
      piped.stdout,
      /^migrations\/V1__roles\.sql:2:1 {2}warning {2}fixture-lowercase-grant/,
    );
  });

  it('writes the report to --output-file and leaves stdout empty', async () => {
    const root = tempProject(FORMAT_PROJECT);
    const result = await runCli(root, ['lint', '--format', 'sarif', '-o', 'report.sarif']);

    assert.equal(result.stdout, '');
    const written = JSON.parse(readFileSync(join(root, 'report.sarif'), 'utf8')) as {
      version: string;
    };
    assert.equal(written.version, '2.1.0');
    assert.equal(result.status, 1);
  });

  it('stars out credentials in code frames while keeping the caret under the finding', async () => {
    const root = tempProject({
      'V1__stage.sql':
        "CREATE STAGE s URL = 's3://b/?sig=SECRETSIG' CREDENTIALS = (AWS_SECRET_KEY = 'wJalrSECRET') ; GRANT SELECT ON TABLE t TO USER bob;\n",
    });
    const result = await runCli(root, ['lint', '--format', 'stylish']);

    assert.doesNotMatch(result.stdout, /SECRETSIG|wJalrSECRET/);
    assert.match(result.stdout, /AWS_SECRET_KEY = '\*{11}'/);
    const lines = result.stdout.split('\n');
    const source = lines.findIndex((line) => line.includes('> 1 |'));
    const caret = lines[source + 1];
    assert.equal(
      caret.indexOf('^') - caret.indexOf('|'),
      lines[source].indexOf('USER bob') - lines[source].indexOf('|'),
    );
  });

  it('frames a finding on a very long line with a window around it, caret in place', async () => {
    const columns = Array.from({ length: 2000 }, (_, index) => `c${index} INT`).join(', ');
    const root = tempProject({
      'V1__wide.sql': `CREATE TABLE t (${columns}); GRANT SELECT ON TABLE t TO USER bob;\n`,
    });
    const result = await runCli(root, ['lint', '--format', 'stylish']);

    const lines = result.stdout.split('\n');
    const source = lines.findIndex((line) => line.includes('> 1 |'));
    assert.ok(lines[source].length < 200, `the framed line is ${lines[source].length} long`);
    assert.match(lines[source], /\| ….*USER bob;$/);
    const caret = lines[source + 1];
    assert.equal(caret.indexOf('^'), lines[source].indexOf('USER bob'));
  });
});
