import type { FixSafety, Severity } from '../findings';
import type { QueryLineage } from '../lineage/types';
import type { Catalog, SessionState } from '../model/catalog';
import type { Classifier } from '../model/classify';
import type { LineIndex, Span } from '../source';
import type { ParsedFile, QueryBody, Statement } from '../syntax/ast';

/** A file as rules see it. */
export interface AnalyzedFile {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedFile;
  readonly lines: LineIndex;
}

export interface EditDraft {
  readonly span: Span;
  readonly newText: string;
  /** Another file of the workspace; the reported statement's file when absent. */
  readonly path?: string;
}

export interface FixDraft {
  readonly title: string;
  readonly edits: readonly EditDraft[];
  /** Overrides the rule's declared safety for this one fix. */
  readonly safety?: FixSafety;
}

export interface Report<MessageId extends string> {
  readonly messageId: MessageId;
  readonly span: Span;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly fixes?: readonly FixDraft[];
  /** Overrides the configured severity, for findings that are less severe by nature. */
  readonly severity?: Severity;
}

export interface RuleContext<Options, MessageId extends string> {
  readonly file: AnalyzedFile;
  readonly files: readonly AnalyzedFile[];
  readonly catalog: Catalog;
  /** Decides which columns hold personal data, with the user's own categories. */
  readonly classifier: Classifier;
  readonly session: SessionState;
  readonly options: Options;
  /** The statement that contains this one when it is nested in a procedure or block. */
  readonly parent?: Statement;
  report(report: Report<MessageId>): void;
  /** Column lineage of a query body, or undefined when it cannot be analysed. Cached. */
  lineage(query: QueryBody): QueryLineage | undefined;
}

export interface RuleDefinition<Options extends object, MessageId extends string> {
  /** Frozen kebab-case id, identical to the rule's folder name. */
  readonly name: string;
  readonly description: string;
  readonly category: 'access-control' | 'data-protection' | 'exfiltration';
  readonly defaultSeverity: Severity;
  /** Message templates by id; `{{key}}` is replaced from the report's data. */
  readonly messages: Readonly<Record<MessageId, string>>;
  readonly fix: {
    readonly availability: 'always' | 'sometimes' | 'never';
    readonly safety: FixSafety;
  };
  /** JSON schema of the options object; every property has a description. */
  readonly optionsSchema: object;
  readonly defaultOptions: Options;
  /**
   * Set for a rule that only `snowgov check` judges, with a live account in view: `statement`
   * findings sit in a migration (the workspace reports them once an account state is set),
   * `account` findings are about the account itself. Such a rule's `check` is never called.
   */
  readonly live?: 'statement' | 'account';
  check(statement: Statement, context: RuleContext<Options, MessageId>): void;
}

// Rules are stored without their option and message types; each is checked against its own
// schema when configured, so the erased form is safe to call with validated options.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rule = RuleDefinition<any, string>;

export function defineRule<Options extends object, MessageId extends string>(
  rule: RuleDefinition<Options, MessageId>,
): RuleDefinition<Options, MessageId> {
  return rule;
}

export function formatMessage(
  template: string,
  data: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in data ? shown(String(data[key])) : whole,
  );
}

/**
 * A value as a message shows it. Names come from the SQL, and a name that swallowed a broken
 * line must not carry the rest of the file (or a secret in it) into a report.
 */
function shown(value: string): string {
  // Names never span lines in SQL; one that does swallowed broken text, so only its first
  // line is shown. Other values (advice, lists) are kept whole.
  const [firstLine] = value.split(/\r?\n/, 1);

  return firstLine.length < value.length ? `${firstLine.trimEnd()}…` : value;
}
