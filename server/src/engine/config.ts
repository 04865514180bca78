import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { PARSE_ERROR_RULE, type Severity } from './findings';
import type { Rule } from './rules/define';

/** A rule's settings after defaults and the user's file are merged. */
export interface RuleSettings {
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly options: object;
}

export interface ResolvedConfig {
  readonly rules: ReadonlyMap<string, RuleSettings>;
  /** Glob patterns (relative to the config file) that lint never reads. */
  readonly exclude: readonly string[];
  /** The file the settings came from, or undefined for built-in defaults. */
  readonly source?: string;
}

/** A problem in a configuration file, with the line it is on (1-based) when known. */
export interface ConfigProblem {
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];

const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      description: 'Per-rule settings by rule name.',
      additionalProperties: {
        oneOf: [
          { type: 'string', enum: SEVERITIES },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              severity: { type: 'string', enum: SEVERITIES },
              options: { type: 'object' },
            },
          },
        ],
      },
    },
    exclude: { type: 'array', items: { type: 'string' }, description: 'Globs never linted.' },
  },
};

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateShape = ajv.compile(CONFIG_SCHEMA);

/**
 * Statements the front end cannot read are reported under this id. It is configured like a rule
 * (severity or off) but has no options; a warning by default, since the rest of the file is
 * still checked.
 */
const PARSE_ERROR_SETTINGS: RuleSettings = { enabled: true, severity: 'warning', options: {} };

/** `parse-error` as the option parser sees it: a rule with no options. */
const PARSE_ERROR_PSEUDO_RULE = {
  defaultSeverity: PARSE_ERROR_SETTINGS.severity,
  defaultOptions: {},
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
};

export function defaultConfig(rules: readonly Rule[]): ResolvedConfig {
  const settings = new Map<string, RuleSettings>([[PARSE_ERROR_RULE, PARSE_ERROR_SETTINGS]]);
  for (const rule of rules) {
    settings.set(rule.name, {
      enabled: true,
      severity: rule.defaultSeverity,
      options: structuredClone(rule.defaultOptions) as object,
    });
  }

  return { rules: settings, exclude: [] };
}

/**
 * Reads a `snowgov.yaml` text. Every problem names the file and line and says what to change;
 * the returned config then falls back to defaults for whatever was wrong.
 */
export function parseConfig(
  text: string,
  path: string,
  rules: readonly Rule[],
): { config: ResolvedConfig; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    path,
    line: lineCounter.linePos(error.pos[0]).line,
    message: `${error.message.split('\n')[0]}. Fix the YAML syntax.`,
  }));
  const base = defaultConfig(rules);
  if (problems.length > 0) return { config: { ...base, source: path }, problems };

  const raw: unknown = document.toJS() ?? {};
  const lineOf = (instancePath: string): number | undefined => {
    const keys = instancePath.split('/').filter(Boolean);
    const node = document.getIn(keys, true);
    const range = isNode(node) ? node.range : undefined;

    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  if (!validateShape(raw)) {
    for (const error of validateShape.errors ?? []) {
      problems.push({
        path,
        line: lineOf(error.instancePath),
        message: describe(error, 'snowgov'),
      });
    }

    return { config: { ...base, source: path }, problems };
  }

  const settings = new Map(base.rules);
  const known = new Map(rules.map((rule) => [rule.name, rule]));
  const userRules = (raw as { rules?: Record<string, unknown> }).rules ?? {};
  for (const [name, value] of Object.entries(userRules)) {
    const rule = name === PARSE_ERROR_RULE ? PARSE_ERROR_PSEUDO_RULE : known.get(name);
    if (!rule) {
      const names = [...known.keys(), PARSE_ERROR_RULE].join(', ');
      problems.push({
        path,
        line: lineOf(`/rules/${name}`),
        message: `Unknown rule '${name}'. Known rules: ${names}.`,
      });
      continue;
    }
    const entry =
      typeof value === 'string' ? { severity: value } : (value as Record<string, unknown>);
    const severity = (entry.severity as string | undefined) ?? rule.defaultSeverity;
    const defaults = structuredClone(rule.defaultOptions) as object;
    const options = { ...defaults, ...((entry.options as object) ?? {}) };
    const validateOptions = ajv.compile(rule.optionsSchema);
    if (!validateOptions(options)) {
      for (const error of validateOptions.errors ?? []) {
        const at = `/rules/${name}/options${error.instancePath}`;
        problems.push({ path, line: lineOf(at), message: describe(error, `${name} options`) });
      }
      continue;
    }
    settings.set(name, {
      enabled: severity !== 'off',
      severity: severity === 'off' ? rule.defaultSeverity : (severity as Severity),
      options,
    });
  }
  const exclude = (raw as { exclude?: string[] }).exclude ?? [];

  return { config: { rules: settings, exclude, source: path }, problems };
}

function describe(error: ErrorObject, subject: string): string {
  const where = error.instancePath
    ? `${subject}${error.instancePath.replace(/\//g, '.')}`
    : subject;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;

    return `'${extra}' is not a setting of ${where}. Remove it or check its spelling.`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: string[] }).allowedValues.join(', ');

    return `${where} must be one of: ${allowed}.`;
  }

  return `${where} ${error.message ?? 'is invalid'}.`;
}
