import { allRules } from '../../rules';
import { Workspace, applyEdits, defaultConfig } from '../../server/src/engine';
import type { Finding, ResolvedConfig, RuleSettings } from '../../server/src/engine';

/** Lints files (path → text) as one workspace, with optional options for one rule. */
export function lintFiles(
  files: Readonly<Record<string, string>>,
  ruleOptions?: { rule: string; options: object },
): Map<string, readonly Finding[]> {
  const workspace = new Workspace(allRules, configWith(ruleOptions));
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);

  return new Map(workspace.analyze().findings);
}

function configWith(ruleOptions?: { rule: string; options: object }): ResolvedConfig {
  const config = defaultConfig(allRules);
  if (!ruleOptions) return config;
  const rules = new Map<string, RuleSettings>(config.rules);
  const current = rules.get(ruleOptions.rule);
  if (!current) throw new Error(`No rule named ${ruleOptions.rule}`);
  rules.set(ruleOptions.rule, {
    ...current,
    options: { ...current.options, ...ruleOptions.options },
  });

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
