import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { allRules } from '../rules';
import { type Finding, applyEdits } from '../server/src/engine';
import type { AccountState } from '../server/src/engine/account-state';
import { type LintSetup, applyFix, lintFiles } from './helpers/lint';

/**
 * Runs every rule's `cases.yaml`: each case lints its SQL (one file, or several files as one
 * workspace) and compares this rule's findings, with exact 1-based ranges, to `expect`.
 */
interface ExpectedFinding {
  messageId?: string;
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn: number;
  severity?: string;
  /** A fragment the message must contain. */
  message?: string;
  /** Whether a `snowgov-ignore` directive excuses the finding; false when absent. */
  suppressed?: boolean;
}

interface RuleCase {
  name: string;
  sql?: string;
  files?: Record<string, string>;
  options?: object;
  /** A snowgov.yml text for the case, e.g. to define categories. */
  config?: string;
  expect: ExpectedFinding[];
  /** The single file after applying fix `fixIndex` (default 0) of the first expected finding. */
  fixed?: string;
  /**
   * For a fix that edits or creates other files: every file (path → text) after applying fix
   * `fixIndex` of the first expected finding, files the fix leaves alone included.
   */
  fixedFiles?: Record<string, string>;
  fixIndex?: number;
  /** The titles of every fix the first expected finding offers, in order. */
  fixTitles?: string[];
  /** An issue URL: the case pins today's known-wrong output. */
  known?: string;
  /**
   * Lint as `snowgov check` does, with this account state (parts left out are empty); findings
   * about the account itself are in file `<account>` at line 1, column 1.
   */
  account?: Partial<AccountState> | null;
}

const rulesDir = path.resolve(__dirname, '../rules');
const DEFAULT_FILE = 'V1__case.sql';

describe('rule cases', () => {
  for (const folder of readdirSync(rulesDir).filter((name) => isRuleFolder(name))) {
    const document = parse(readFileSync(path.join(rulesDir, folder, 'cases.yaml'), 'utf8')) as {
      rule: string;
      cases: RuleCase[];
    };

    describe(folder, () => {
      it('names the same rule as its folder', () => {
        assert.equal(document.rule, folder);
      });

      for (const ruleCase of document.cases) {
        it(ruleCase.name, () => runCase(folder, ruleCase));
      }
    });
  }
});

function isRuleFolder(name: string): boolean {
  const folder = path.join(rulesDir, name);

  return statSync(folder).isDirectory() && allRules.some((rule) => rule.name === name);
}

function runCase(rule: string, ruleCase: RuleCase): void {
  const files = ruleCase.files ?? { [DEFAULT_FILE]: ruleCase.sql ?? '' };
  const options = {
    rule,
    options: ruleCase.options,
    config: ruleCase.config,
    ...('account' in ruleCase ? { account: ruleCase.account } : {}),
  };
  const findings = lintFiles(files, options);

  const syntaxErrors = [...findings.values()].flat().filter((f) => f.ruleId === 'parse-error');
  assert.deepEqual(
    syntaxErrors.map((f) => f.message),
    [],
    'case SQL must parse cleanly',
  );

  const actual = [...findings.values()].flat().filter((finding) => finding.ruleId === rule);
  assert.deepEqual(
    actual.map((finding) => describeActual(finding, ruleCase)),
    ruleCase.expect.map((expected) => describeExpected(expected, actual, ruleCase)),
  );

  if (ruleCase.fixTitles !== undefined) {
    assert.ok(actual[0], 'a case with `fixTitles` needs a finding');
    assert.deepEqual(
      actual[0].fixes.map((fix) => fix.title),
      ruleCase.fixTitles,
    );
  }
  if (ruleCase.fixed !== undefined) checkFix(rule, ruleCase, files, actual, options);
  if (ruleCase.fixedFiles !== undefined)
    checkFixAcrossFiles(rule, ruleCase, files, actual, options);
}

function describeActual(finding: Finding, ruleCase: RuleCase): Record<string, unknown> {
  return {
    messageId: finding.messageId,
    ...(namesFiles(ruleCase) ? { file: finding.path } : {}),
    line: finding.start.line + 1,
    column: finding.start.character + 1,
    endLine: finding.end.line + 1,
    endColumn: finding.end.character + 1,
    severity: finding.severity,
    ...(finding.suppression ? { suppressed: true } : {}),
  };
}

/** Whether findings are compared with their file: several files, or an account. */
function namesFiles(ruleCase: RuleCase): boolean {
  return ruleCase.files !== undefined || 'account' in ruleCase;
}

/** Fills in what the case leaves out (message text, default end line) from the actual finding. */
function describeExpected(
  expected: ExpectedFinding,
  actual: readonly Finding[],
  ruleCase: RuleCase,
): Record<string, unknown> {
  const at = actual.filter(
    (finding) =>
      finding.start.line + 1 === expected.line && finding.start.character + 1 === expected.column,
  );
  // Findings about the account all sit at 1:1; the message fragment tells them apart.
  const match =
    at.find((finding) => expected.message && finding.message.includes(expected.message)) ?? at[0];
  if (expected.message && match) {
    assert.ok(
      match.message.includes(expected.message),
      `message "${match.message}" lacks "${expected.message}"`,
    );
  }

  return {
    messageId: expected.messageId ?? match?.messageId,
    ...(namesFiles(ruleCase) ? { file: expected.file ?? DEFAULT_FILE } : {}),
    line: expected.line,
    column: expected.column,
    endLine: expected.endLine ?? expected.line,
    endColumn: expected.endColumn,
    severity: expected.severity ?? match?.severity,
    ...(expected.suppressed ? { suppressed: true } : {}),
  };
}

function checkFix(
  rule: string,
  ruleCase: RuleCase,
  files: Record<string, string>,
  findings: readonly Finding[],
  options: LintSetup,
): void {
  const finding = findings[0];
  assert.ok(finding, 'a case with `fixed` needs a finding');
  const fixed = applyFix(files[finding.path], finding, ruleCase.fixIndex ?? 0);
  assert.equal(fixed, ruleCase.fixed);

  assertFixWorks(rule, finding, { ...files, [finding.path]: fixed }, options);
}

/** Applies the fix to every file it edits, creating the ones the case does not have. */
function checkFixAcrossFiles(
  rule: string,
  ruleCase: RuleCase,
  files: Record<string, string>,
  findings: readonly Finding[],
  options: LintSetup,
): void {
  const finding = findings[0];
  assert.ok(finding, 'a case with `fixedFiles` needs a finding');
  const fix = finding.fixes[ruleCase.fixIndex ?? 0];
  assert.ok(fix, `the finding has no fix number ${ruleCase.fixIndex ?? 0}`);
  const fixed = { ...files };
  for (const path of new Set(fix.edits.map((edit) => edit.path))) {
    const edits = fix.edits.filter((edit) => edit.path === path);
    fixed[path] = applyEdits(files[path] ?? '', edits);
  }
  assert.deepEqual(fixed, ruleCase.fixedFiles);
  assertFixWorks(rule, finding, fixed, options);
}

/** The fixed files parse, and the finding the fix was for is gone. */
function assertFixWorks(
  rule: string,
  finding: Finding,
  fixed: Record<string, string>,
  options: LintSetup,
): void {
  const after = lintFiles(fixed, options);
  const remaining = [...after.values()].flat();
  assert.deepEqual(
    remaining.filter((f) => f.ruleId === 'parse-error').map((f) => f.message),
    [],
    'the fixed SQL must parse',
  );
  const same = remaining.filter(
    (f) =>
      f.ruleId === rule &&
      f.path === finding.path &&
      f.messageId === finding.messageId &&
      f.message === finding.message,
  );
  assert.deepEqual(
    same.map((f) => f.message),
    [],
    'the fix must remove its finding',
  );
}
