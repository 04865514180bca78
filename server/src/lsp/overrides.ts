import type { ResolvedConfig, RuleSettings, Severity } from '../engine';

/** What `snowgov.rules` may set a rule to. */
const OVERRIDE_SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

export type SeverityOverrides = ReadonlyMap<string, Severity | 'off'>;

/**
 * Checks the editor's `snowgov.rules` against the rules the config knows; each entry that names
 * an unknown rule or severity becomes a problem (a log line) and is left out.
 */
export function readOverrides(
  raw: unknown,
  config: ResolvedConfig,
): { overrides: SeverityOverrides; problems: string[] } {
  const overrides = new Map<string, Severity | 'off'>();
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('Setting snowgov.rules is not an object of rule names to severities; ignored');

    return { overrides, problems };
  }
  for (const [name, severity] of Object.entries(raw as Record<string, unknown>)) {
    if (!config.rules.has(name)) {
      problems.push(`Setting snowgov.rules names an unknown rule '${name}'; ignored`);
    } else if (typeof severity !== 'string' || !OVERRIDE_SEVERITIES.has(severity)) {
      problems.push(
        `Setting snowgov.rules gives rule '${name}' the severity ${JSON.stringify(severity)}; ` +
          `use one of ${[...OVERRIDE_SEVERITIES].join(', ')}; ignored`,
      );
    } else {
      overrides.set(name, severity as Severity | 'off');
    }
  }

  return { overrides, problems };
}

/** The config with each overridden rule's severity replaced; `off` disables the rule. */
export function applyOverrides(
  config: ResolvedConfig,
  overrides: SeverityOverrides,
): ResolvedConfig {
  if (overrides.size === 0) return config;
  const rules = new Map<string, RuleSettings>(config.rules);
  for (const [name, severity] of overrides) {
    const current = rules.get(name);
    if (!current) continue;
    rules.set(
      name,
      severity === 'off' ? { ...current, enabled: false } : { ...current, enabled: true, severity },
    );
  }

  return { ...config, rules };
}
