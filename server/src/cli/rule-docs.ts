import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  INVALID_SUPPRESSION_RULE,
  PARSE_ERROR_RULE,
  type Rule,
  type Severity,
  UNUSED_SUPPRESSION_RULE,
} from '../engine';

const REPOSITORY_URL = 'https://github.com/snowgov/snowgov';

/** What the CLI knows about a rule or a built-in check, for `rules`, `explain` and SARIF. */
export interface RuleInfo {
  readonly name: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** `never`, or how often a fix is offered and how far it may be trusted. */
  readonly fix: Rule['fix'];
  readonly category: Rule['category'] | 'syntax' | 'suppressions';
  /** Where the documentation lives online. */
  readonly helpUri: string;
}

/**
 * The checks built into the engine rather than registered as rules. They are documented in the
 * README, so their help points there.
 */
const BUILT_IN: readonly RuleInfo[] = [
  {
    name: PARSE_ERROR_RULE,
    description: 'Statements snowgov cannot parse; the rest of the file is still checked.',
    defaultSeverity: 'warning',
    fix: { availability: 'never', safety: 'suggestion' },
    category: 'syntax',
    helpUri: `${REPOSITORY_URL}/blob/main/README.md#what-it-finds`,
  },
  {
    name: INVALID_SUPPRESSION_RULE,
    description:
      'snowgov-ignore directives with no reason, an unknown rule, a malformed or a past date.',
    defaultSeverity: 'error',
    fix: { availability: 'never', safety: 'suggestion' },
    category: 'suppressions',
    helpUri: `${REPOSITORY_URL}/blob/main/README.md#suppressions`,
  },
  {
    name: UNUSED_SUPPRESSION_RULE,
    description: 'snowgov-ignore directives that excuse nothing.',
    defaultSeverity: 'warning',
    // Removing the idle rule names, or the whole directive, changes no finding.
    fix: { availability: 'sometimes', safety: 'safe' },
    category: 'suppressions',
    helpUri: `${REPOSITORY_URL}/blob/main/README.md#suppressions`,
  },
];

/** The registered rules, by name, then the built-in checks. */
export function ruleInfos(rules: readonly Rule[]): RuleInfo[] {
  const registered = [...rules]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((rule) => ({
      name: rule.name,
      description: rule.description,
      defaultSeverity: rule.defaultSeverity,
      fix: rule.fix,
      category: rule.category,
      helpUri: ruleDocUrl(rule.name),
    }));

  return [...registered, ...BUILT_IN];
}

/** The online README of a rule, the `helpUri` of SARIF. */
export function ruleDocUrl(name: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/${name}/README.md`;
}

/**
 * The rule's README as shipped beside the CLI: `rules/<name>/README.md` in the package, found by
 * walking up from this module (the bundle sits in `out/`, the sources in `server/src/cli/`).
 * Built-in checks get a short text of their own. Undefined when nothing is found.
 */
export function readRuleDoc(name: string): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const builtIn = BUILT_IN.find((info) => info.name === name);
  if (builtIn) return builtInDoc(builtIn);

  let directory = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(directory, 'rules', name, 'README.md');
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }

  return undefined;
}

function builtInDoc(info: RuleInfo): string {
  return [
    `# ${info.name}`,
    '',
    info.description,
    '',
    'This check is built into snowgov rather than registered as a rule; it is configured like ' +
      `one under \`rules\` in snowgov.yml (default: ${info.defaultSeverity}).`,
    `See ${info.helpUri}.`,
    '',
  ].join('\n');
}
