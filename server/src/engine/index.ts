/**
 * The engine's public surface, shared unchanged by the CLI and the language server. Nothing
 * here knows about LSP or VS Code, and nothing here does I/O.
 */
export { Workspace, type Analysis, type WorkspaceOptions } from './workspace';
export {
  type Finding,
  type Fix,
  type FixSafety,
  type Severity,
  type Suppression,
  type TextEdit,
  INVALID_SUPPRESSION_RULE,
  PARSE_ERROR_RULE,
  UNUSED_SUPPRESSION_RULE,
  compareFindings,
  severityAtLeast,
} from './findings';
export {
  type ConfigProblem,
  type ResolvedConfig,
  type RuleSettings,
  defaultConfig,
  parseConfig,
} from './config';
export { type Logger, silentLogger } from './logger';
export { LineIndex, type Position, type Span } from './source';
export { compareMigrationPaths, sortMigrations } from './model/order';
export { applyEdits, createsFile, lineBreakOf, withLineBreaks } from './fixes';
export {
  type SuppressionEntry,
  type SuppressionScope,
  SUPPRESSION_DAYS,
  isoDate,
  suppressionEdit,
} from './suppressions';
export type { Rule } from './rules/define';
