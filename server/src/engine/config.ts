import { unknownRuleHint } from './names-hint';
import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import {
  INVALID_SUPPRESSION_RULE,
  PARSE_ERROR_RULE,
  type Severity,
  UNUSED_SUPPRESSION_RULE,
} from './findings';
import type { Rule } from './rules/define';
import { type ClassificationSettings, Classifier, defaultClassifier } from './model/classify';
import { PATH_FORMAT, type ResolvePath, resolvePathOptions } from './config-paths';

/** A rule's settings after defaults and the user's file are merged. */
export interface RuleSettings {
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly options: object;
}

export interface ResolvedConfig {
  readonly rules: ReadonlyMap<string, RuleSettings>;
  /** Glob patterns (relative to the config file) that lint reads; every `*.sql` when empty. */
  readonly include: readonly string[];
  /** Glob patterns (relative to the config file) that lint never reads. */
  readonly exclude: readonly string[];
  /** The user's definition of personal data. */
  readonly classifier: Classifier;
  /** How the migrations are run; the defaults are schemachange's. */
  readonly migrations?: MigrationSettings;
  /** The file the settings came from, or undefined for built-in defaults. */
  readonly source?: string;
}

export interface MigrationSettings {
  /**
   * True when the runner keeps one session from migration to migration, so a `USE ROLE` or
   * `USE SCHEMA` reaches the next one. schemachange resets the session before every script and
   * Flyway restores the role after every migration, so it is false unless the user says so.
   */
  readonly sessionCarriesOver: boolean;
}

/** A problem in a configuration file, with the line it is on (1-based) when known. */
export interface ConfigProblem {
  readonly path: string;
  readonly line?: number;
  readonly message: string;
}

const SEVERITIES = ['error', 'warning', 'info', 'off'];

const CLASSIFICATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'What counts as personal data, beyond the built-in categories.',
  properties: {
    categories: {
      type: 'array',
      description: 'New categories, or extra patterns for a built-in one (same id).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: {
          id: {
            type: 'string',
            pattern: '^[a-z][a-z0-9_]*$',
            description: 'Category id, snake_case, e.g. email or customer_number.',
          },
          label: { type: 'string', description: 'How messages name the category.' },
          namePatterns: {
            type: 'array',
            items: { type: 'string' },
            description: 'Regular expressions matched against the snake_case column name.',
          },
          tagValues: {
            type: 'array',
            items: { type: 'string' },
            description: 'Values of a PII tag that name this category.',
          },
          quasiIdentifier: {
            type: 'boolean',
            description: 'Identifies people only in combination, like date of birth.',
          },
        },
      },
    },
    tagNames: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Tag names (last part) whose value names a category or whose presence means PII.',
    },
    ignoreColumns: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Columns that are never personal data: a plain name (email) means that column alone; ' +
        'anything else is a regular expression matched anywhere in the snake_case name ' +
        '(^support_.*_email$).',
    },
  },
};

/**
 * Who may see personal data, set once for the organisation rather than per rule. A rule whose
 * options have a property of the same name takes it from here unless its own option is set.
 */
const ACCESS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description:
    'Who may see personal data in clear, used by every rule that judges or writes masking.',
  properties: {
    unmaskedRoles: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Roles that may see clear values of personal data (default [PII_READER]): masking ' +
        'policies and masking expressions the quick-fixes write show clear values to these ' +
        "roles, and outputs masked for every other role do not count as exposed. A rule's own " +
        'unmaskedRoles option overrides it for that rule.',
    },
  },
};

/** The `access` settings, as rules' options of the same names take them. */
interface AccessSettings {
  readonly unmaskedRoles?: readonly string[];
}

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
    include: {
      type: 'array',
      items: { type: 'string' },
      description: 'Globs of files to lint, relative to this file; every *.sql file when absent.',
    },
    exclude: {
      type: 'array',
      items: { type: 'string' },
      description: 'Globs never linted, relative to this file.',
    },
    classification: CLASSIFICATION_SCHEMA,
    access: ACCESS_SCHEMA,
    migrations: {
      type: 'object',
      additionalProperties: false,
      description: 'How the migrations are run.',
      properties: {
        sessionCarriesOver: {
          type: 'boolean',
          default: false,
          description:
            'True when one session runs every migration in turn, so USE ROLE, USE DATABASE and ' +
            'USE SCHEMA carry into the next migration script. False (the default) as in ' +
            'schemachange, which resets the session before every script, and Flyway, which ' +
            'restores the role after every migration.',
        },
      },
    },
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

/**
 * Problems with `snowgov-ignore` directives are configured the same way: a directive that cannot
 * be trusted (no reason, unknown rule, bad or past date) is an error, one that excuses nothing
 * is a warning.
 */
const PSEUDO_RULE_SETTINGS = new Map<string, RuleSettings>([
  [PARSE_ERROR_RULE, PARSE_ERROR_SETTINGS],
  [INVALID_SUPPRESSION_RULE, { enabled: true, severity: 'error', options: {} }],
  [UNUSED_SUPPRESSION_RULE, { enabled: true, severity: 'warning', options: {} }],
]);

/** A pseudo-rule as the option parser sees it: a rule with no options. */
function pseudoRule(settings: RuleSettings) {
  return {
    defaultSeverity: settings.severity,
    defaultOptions: {},
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  };
}

export function defaultConfig(rules: readonly Rule[]): ResolvedConfig {
  const settings = new Map<string, RuleSettings>(PSEUDO_RULE_SETTINGS);
  for (const rule of rules) {
    settings.set(rule.name, {
      enabled: true,
      severity: rule.defaultSeverity,
      options: structuredClone(rule.defaultOptions) as object,
    });
  }

  return { rules: settings, include: [], exclude: [], classifier: defaultClassifier };
}

/**
 * Reads a `snowgov.yaml` text. Every problem names the file and line and says what to change;
 * the returned config then falls back to defaults for whatever was wrong. Rule options marked
 * `format: 'path'` go through `resolvePath` (see `config-paths.ts`); without it they stay as
 * written, which suits a config whose folder is where the workspace paths start.
 */
export function parseConfig(
  text: string,
  path: string,
  rules: readonly Rule[],
  resolvePath?: ResolvePath,
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
  const lineAt = (node: unknown): number | undefined => {
    const range = isNode(node) ? node.range : undefined;

    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const lineOf = (instancePath: string): number | undefined =>
    lineAt(document.getIn(instancePath.split('/').filter(Boolean), true));
  // The line of a key rather than of its value, which for a mapping starts a line lower.
  const lineOfKey = (instancePath: string, key: string): number | undefined => {
    const parent = document.getIn(instancePath.split('/').filter(Boolean), true);
    const pair = isMap(parent)
      ? parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key)
      : undefined;

    return lineAt(pair?.key) ?? lineOf(instancePath);
  };
  const lineOfError = (error: ErrorObject, base = ''): number | undefined =>
    error.keyword === 'additionalProperties'
      ? lineOfKey(`${base}${error.instancePath}`, additionalProperty(error))
      : lineOf(`${base}${error.instancePath}`);
  const valueAt = (instancePath: string): unknown =>
    document.getIn(instancePath.split('/').filter(Boolean));
  const known = new Map(rules.map((rule) => [rule.name, rule]));
  const unknownRule = (name: string): ConfigProblem => ({
    path,
    line: lineOfKey('/rules', name),
    message: `Unknown rule '${name}'. ${unknownRuleHint(name, [...known.keys(), ...PSEUDO_RULE_SETTINGS.keys()])}`,
  });
  if (!validateShape(raw)) {
    for (const error of relevantErrors(validateShape.errors ?? [])) {
      problems.push({
        path,
        line: lineOfError(error),
        message: describe(error, 'snowgov', valueAt(error.instancePath)),
      });
    }
    // A misspelt rule name is worth knowing in the same run as a shape error elsewhere.
    const named = (raw as { rules?: unknown }).rules;
    if (named !== null && typeof named === 'object' && !Array.isArray(named)) {
      for (const name of Object.keys(named)) {
        if (!known.has(name) && !PSEUDO_RULE_SETTINGS.has(name)) problems.push(unknownRule(name));
      }
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

    return { config: { ...base, source: path }, problems };
  }

  const classification = (raw as { classification?: ClassificationSettings }).classification ?? {};
  const classifier = buildClassifier(classification, path, lineOf, problems);
  const validator = optionValidator(classifier);
  const access = (raw as { access?: AccessSettings }).access ?? {};
  const settings = new Map(base.rules);
  for (const rule of rules) {
    const current = settings.get(rule.name);
    const shared = accessOptions(rule, access);
    if (current && Object.keys(shared).length > 0) {
      settings.set(rule.name, { ...current, options: { ...current.options, ...shared } });
    }
  }
  const userRules = (raw as { rules?: Record<string, unknown> }).rules ?? {};
  for (const [name, value] of Object.entries(userRules)) {
    const pseudo = PSEUDO_RULE_SETTINGS.get(name);
    const rule = pseudo ? pseudoRule(pseudo) : known.get(name);
    if (!rule) {
      problems.push(unknownRule(name));
      continue;
    }
    const entry =
      typeof value === 'string' ? { severity: value } : (value as Record<string, unknown>);
    const severity = (entry.severity as string | undefined) ?? rule.defaultSeverity;
    const defaults = structuredClone(rule.defaultOptions) as object;
    const shared = accessOptions(rule, access);
    const options = { ...defaults, ...shared, ...((entry.options as object) ?? {}) };
    const validateOptions = validator.compile(rule.optionsSchema);
    if (!validateOptions(options)) {
      for (const error of relevantErrors(validateOptions.errors ?? [])) {
        const at = `/rules/${name}/options${error.instancePath}`;
        const message = describe(error, `${name} options`, valueAt(at));
        problems.push({ path, line: lineOfError(error, `/rules/${name}/options`), message });
      }
      continue;
    }
    settings.set(name, {
      enabled: severity !== 'off',
      severity: severity === 'off' ? rule.defaultSeverity : (severity as Severity),
      options: resolvePath
        ? (resolvePathOptions(rule.optionsSchema, options, resolvePath) as object)
        : options,
    });
  }
  const { include = [], exclude = [] } = raw as { include?: string[]; exclude?: string[] };
  const sessionCarriesOver =
    (raw as { migrations?: { sessionCarriesOver?: boolean } }).migrations?.sessionCarriesOver ===
    true;
  const migrations = { sessionCarriesOver };

  return {
    config: { rules: settings, include, exclude, classifier, migrations, source: path },
    problems,
  };
}

/**
 * The `access` settings a rule takes as options: those its options schema names, so that a rule
 * opts in by declaring the option (and its own setting still wins).
 */
function accessOptions(rule: Pick<Rule, 'optionsSchema'>, access: AccessSettings): object {
  const properties = (rule.optionsSchema as { properties?: Record<string, unknown> }).properties;
  const shared: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(access)) {
    if (value !== undefined && properties && key in properties)
      shared[key] = structuredClone(value);
  }

  return shared;
}

/** Compiles the user's categories, reporting each pattern that is not a valid regular expression. */
function buildClassifier(
  settings: ClassificationSettings,
  path: string,
  lineOf: (instancePath: string) => number | undefined,
  problems: ConfigProblem[],
): Classifier {
  const check = (patterns: readonly string[] | undefined, at: string): string[] =>
    (patterns ?? []).filter((pattern, index) => {
      try {
        new RegExp(pattern, 'i');

        return true;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push({
          path,
          line: lineOf(`${at}/${index}`),
          message: `'${pattern}' is not a valid regular expression (${reason}). Fix or remove it.`,
        });

        return false;
      }
    });
  const categories = (settings.categories ?? []).map((category, index) => ({
    ...category,
    namePatterns: check(category.namePatterns, `/classification/categories/${index}/namePatterns`),
  }));
  const ignoreColumns = check(settings.ignoreColumns, '/classification/ignoreColumns');

  return new Classifier({ ...settings, categories, ignoreColumns });
}

/**
 * Validates rule options. Option schemas mark category ids with `format: 'category'`, checked
 * against the built-in categories and the user's own, and files with `format: 'path'`, which
 * any string may name.
 */
function optionValidator(classifier: Classifier): Ajv {
  const validator = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  validator.addFormat('category', (value: string) => classifier.has(value));
  validator.addFormat(PATH_FORMAT, true);

  return validator;
}

/**
 * A `oneOf` failure reports every branch; keep what the user meant. Errors about a value are
 * dropped when a nested value has its own error, `oneOf` summaries go, and a "wrong type" error
 * goes when the same value has a more specific one.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  // A propertyNames summary ("property name must be valid") repeats the error on the name.
  const summaries = new Set(['oneOf', 'anyOf', 'propertyNames']);
  const specific = errors.filter((error) => !summaries.has(error.keyword));
  const deepest = specific.filter(
    (error) =>
      !specific.some(
        (other) => other.instancePath.startsWith(`${error.instancePath}/`) && other !== error,
      ),
  );

  return deepest.filter(
    (error) =>
      error.keyword !== 'type' ||
      !deepest.some(
        (other) => other.instancePath === error.instancePath && other.keyword !== 'type',
      ),
  );
}

function additionalProperty(error: ErrorObject): string {
  return (error.params as { additionalProperty: string }).additionalProperty;
}

/** What is wrong and what to do; `value` is the value at the error's path, when there is one. */
function describe(error: ErrorObject, subject: string, value?: unknown): string {
  const where = error.instancePath
    ? `${subject}${error.instancePath.replace(/\//g, '.')}`
    : subject;
  if (error.keyword === 'additionalProperties') {
    const extra = additionalProperty(error);

    return `'${extra}' is not a setting of ${where}. Remove it or check its spelling.`;
  }
  if (error.keyword === 'format' && error.params.format === 'category') {
    // A key checked through propertyNames is named in the error; a list item is the value.
    const named = (error as { propertyName?: string }).propertyName ?? value;
    const category = typeof named === 'string' ? ` '${named}'` : '';

    return (
      `${where} names an unknown category${category}. ` +
      'Use a built-in category or define it under classification.categories.'
    );
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: string[] }).allowedValues.join(', ');

    return `${where} must be one of: ${allowed}.`;
  }

  return `${where} ${error.message ?? 'is invalid'}.`;
}

const PSEUDO_RULE_DESCRIPTIONS: Record<string, string> = {
  [PARSE_ERROR_RULE]: 'Statements snowgov cannot parse (a warning by default).',
  [INVALID_SUPPRESSION_RULE]:
    'snowgov-ignore comments without a reason, or with an unknown rule or an expired date.',
  [UNUSED_SUPPRESSION_RULE]: 'snowgov-ignore comments that suppress nothing.',
};

/**
 * The JSON Schema of snowgov.yml with every rule's options, shipped as
 * schemas/snowgov.schema.json so that YAML editors complete and check the file.
 */
export function configSchema(rules: readonly Rule[]): object {
  const ruleEntry = (description: string, options: object): object => ({
    description,
    oneOf: [
      { type: 'string', enum: SEVERITIES },
      {
        type: 'object',
        additionalProperties: false,
        properties: { severity: { type: 'string', enum: SEVERITIES }, options },
      },
    ],
  });
  const ruleProperties: Record<string, object> = {};
  for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
    ruleProperties[rule.name] = ruleEntry(
      rule.description,
      withoutCustomFormats(rule.optionsSchema),
    );
  }
  for (const name of [...PSEUDO_RULE_SETTINGS.keys()].sort()) {
    ruleProperties[name] = ruleEntry(PSEUDO_RULE_DESCRIPTIONS[name] ?? name, {
      type: 'object',
      additionalProperties: false,
    });
  }

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://raw.githubusercontent.com/snowgov/snowgov/main/schemas/snowgov.schema.json',
    title: 'snowgov.yml',
    description: 'Settings of snowgov, the Snowflake governance linter.',
    ...CONFIG_SCHEMA,
    properties: {
      ...CONFIG_SCHEMA.properties,
      rules: {
        type: 'object',
        description: 'Per-rule settings by rule name: a severity, or severity and options.',
        additionalProperties: false,
        properties: ruleProperties,
      },
    },
  };
}

/**
 * `format: 'category'` and `format: 'path'` are ours (checked against the user's categories,
 * and resolved against the config's folder, when the file loads); editors' validators do not
 * know them and warn, so the shipped schema leaves them out.
 */
function withoutCustomFormats(schema: object): object {
  const custom = new Set(['category', PATH_FORMAT]);

  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) =>
      key === 'format' && typeof value === 'string' && custom.has(value) ? undefined : value,
    ),
  ) as object;
}
