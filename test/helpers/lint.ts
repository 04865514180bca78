import { allRules } from '../../rules';
import { Workspace, applyEdits, defaultConfig, parseConfig } from '../../server/src/engine';
import type { Finding, ResolvedConfig, RuleSettings } from '../../server/src/engine';
import type { AccountState } from '../../server/src/engine/account-state';
import { ACCOUNT_PATH, judgeWithAccount } from '../../server/src/node/live-validation';
import { accountStateOf } from './account';

export interface LintSetup {
  /** Options for one rule, merged over its defaults. */
  readonly rule?: string;
  readonly options?: object;
  /** A whole snowgov.yml text; its problems fail the test. */
  readonly config?: string;
  /**
   * Lint as `snowgov check` does, with this account state (missing parts empty); findings about
   * the account itself are then under `ACCOUNT_PATH`.
   */
  readonly account?: Partial<AccountState> | null;
}

/** Lints files (path → text) as one workspace, with an optional config. */
export function lintFiles(
  files: Readonly<Record<string, string>>,
  setup: LintSetup = {},
): Map<string, readonly Finding[]> {
  const config = configFor(setup);
  const workspace = new Workspace(allRules, config);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  if (setup.account === undefined) return new Map(workspace.analyze().findings);

  const state = accountStateOf(setup.account);
  workspace.setAccountState(state);
  const analysis = workspace.analyze();
  const judged = judgeWithAccount(analysis, state, config.classifier, config.rules);

  return new Map([...analysis.findings, [ACCOUNT_PATH, judged.accountFindings]]);
}

function configFor(setup: LintSetup): ResolvedConfig {
  let config = defaultConfig(allRules);
  if (setup.config !== undefined) {
    const parsed = parseConfig(setup.config, 'snowgov.yml', allRules);
    if (parsed.problems.length > 0) throw new Error(JSON.stringify(parsed.problems));
    config = parsed.config;
  }
  if (!setup.rule || !setup.options) return config;
  const rules = new Map<string, RuleSettings>(config.rules);
  const current = rules.get(setup.rule);
  if (!current) throw new Error(`No rule named ${setup.rule}`);
  rules.set(setup.rule, { ...current, options: { ...current.options, ...setup.options } });

  return { ...config, rules };
}

/** Applies a finding's fix to the text of its file (single-file fixes only). */
export function applyFix(text: string, finding: Finding, index = 0): string {
  const fix = finding.fixes[index];
  if (!fix) throw new Error(`Finding ${finding.ruleId} has no fix number ${index}`);

  return applyEdits(
    text,
    fix.edits.filter((edit) => edit.path === finding.path),
  );
}
