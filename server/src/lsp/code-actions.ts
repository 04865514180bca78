import {
  type ClientCapabilities,
  type CodeAction,
  CodeActionKind,
  CreateFile,
  type Position,
  type Range,
  type SnippetTextEdit,
  TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import {
  type Finding,
  type Fix,
  type FixSafety,
  type Span,
  type TextEdit as EngineEdit,
  createsFile,
  withLineBreaks,
} from '../engine';
import { insertedStatements } from '../engine/fixes';
import { findingRange, toDiagnostic } from './diagnostics';

/**
 * Unsafe fixes and suggestions are still quick fixes, so they show in the light bulb, but their
 * own kinds let a keybinding or `editor.codeActionsOnSave` tell them apart from safe ones.
 */
export const UNSAFE_FIX_KIND = `${CodeActionKind.QuickFix}.snowgov.unsafe`;
export const SUGGESTION_FIX_KIND = `${CodeActionKind.QuickFix}.snowgov.suggestion`;
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.snowgov`;
export const SUPPRESS_KIND = `${CodeActionKind.QuickFix}.snowgov.suppress`;

export const CODE_ACTION_KINDS = [
  CodeActionKind.QuickFix,
  UNSAFE_FIX_KIND,
  SUGGESTION_FIX_KIND,
  SUPPRESS_KIND,
  FIX_ALL_KIND,
];

/** What a code action carries besides its edit, for clients and tests that want the safety. */
export interface FixData {
  readonly ruleId: string;
  readonly safety: FixSafety;
}

/** How engine locations become LSP ones; the caller knows the texts the findings came from. */
export interface EditTarget {
  /** The range of a span in a workspace file, or undefined when the file is not known. */
  rangeOf(path: string, span: Span): Range | undefined;
  uriOf(path: string): string;
  /** How a workspace file breaks its lines, which inserted lines must match; `\n` if unknown. */
  lineBreakOf?(path: string): '\r\n' | '\n';
  /** The edit that writes a `snowgov-ignore` directive for the finding, when one can be placed. */
  suppressionEdit(finding: Finding): EngineEdit | undefined;
  /**
   * False when the client cannot apply CreateFile operations (its `workspace.workspaceEdit.
   * resourceOperations` lacks `create`); fixes that create a file are then left out.
   */
  readonly canCreateFiles?: boolean;
}

/**
 * The quick fixes of the findings of one document whose ranges touch `range`, each followed by
 * the action that suppresses the finding, and the fix-all action for the document. `only` is the
 * client's kind filter.
 */
export function codeActionsFor(
  path: string,
  findings: readonly Finding[],
  range: Range,
  only: readonly string[] | undefined,
  target: EditTarget,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (!intersects(findingRange(finding), range)) continue;
    const diagnostic = toDiagnostic(finding);
    const isPreferred = finding.fixes.length === 1 && finding.fixes[0].safety === 'safe';
    for (const fix of finding.fixes) {
      const kind = fixKind(fix.safety);
      const edit = isWanted(kind, only) ? workspaceEdit(fix.edits, target) : undefined;
      if (!edit) continue;
      const data: FixData = { ruleId: finding.ruleId, safety: fix.safety };
      actions.push({
        title: fix.title,
        kind,
        diagnostics: [diagnostic],
        edit,
        ...(isPreferred ? { isPreferred } : {}),
        data,
      });
    }
    const suppress = isWanted(SUPPRESS_KIND, only) ? suppressAction(finding, target) : undefined;
    if (suppress) actions.push({ ...suppress, diagnostics: [diagnostic] });
  }

  if (isWanted(FIX_ALL_KIND, only)) {
    const fixAll = fixAllAction(path, findings, target);
    if (fixAll) actions.push(fixAll);
  }

  return actions;
}

/**
 * Applies every safe fix of the document at once. Fixes that edit other files are left out:
 * fix-all may run on save, and saving one file should not rewrite another. Statements a fix
 * inserts that an earlier fix already inserts at or before the same place (one masking policy
 * two columns need) are inserted once; any other overlap leaves the fix for a second run.
 */
function fixAllAction(
  path: string,
  findings: readonly Finding[],
  target: EditTarget,
): CodeAction | undefined {
  const taken: EngineEdit[] = [];
  const fixed: Finding[] = [];
  for (const finding of findings) {
    const edits = finding.fixes
      .filter((fix) => fix.safety === 'safe' && fix.edits.every((edit) => edit.path === path))
      .map((fix) => editsBeside(fix, taken))
      .find((candidate) => candidate !== undefined);
    if (!edits) continue;
    taken.push(...edits);
    fixed.push(finding);
  }
  const edit = workspaceEdit(taken, target);
  if (!edit || taken.length === 0) return undefined;

  return {
    title: 'Apply all safe snowgov fixes',
    kind: FIX_ALL_KIND,
    diagnostics: fixed.map(toDiagnostic),
    edit,
  };
}

/**
 * The fix's edits that still need applying beside those already taken, or undefined when one
 * overlaps them. An insertion of the statements an earlier taken edit inserts at or before its
 * place is dropped: those statements already run first.
 */
function editsBeside(fix: Fix, taken: readonly EngineEdit[]): EngineEdit[] | undefined {
  const needed: EngineEdit[] = [];
  for (const edit of fix.edits) {
    const statements = insertedStatements(edit);
    const earlier = taken.find(
      (other) =>
        statements !== undefined &&
        insertedStatements(other) === statements &&
        other.span.start <= edit.span.start,
    );
    if (earlier) continue;
    if (taken.some((other) => overlaps(edit.span, other.span))) return undefined;
    needed.push(edit);
  }

  return needed;
}

/**
 * Writes a directive with an empty reason, which stays an `invalid-suppression` error until the
 * reason is filled in. Clients that take snippet edits get the cursor inside `reason=""`
 * (`placeReasonCursor`); the others get the plain text.
 */
function suppressAction(finding: Finding, target: EditTarget): CodeAction | undefined {
  const engineEdit = target.suppressionEdit(finding);
  const edit = engineEdit && workspaceEdit([engineEdit], target);
  if (!edit) return undefined;

  return { title: `Suppress ${finding.ruleId} with a reason`, kind: SUPPRESS_KIND, edit };
}

const EMPTY_REASON = 'reason="';

/**
 * For clients that apply LSP 3.18 snippet edits (VS Code through vscode-languageclient 11), turns
 * each suppress action's directive into a snippet whose final cursor sits inside `reason=""`, so
 * that the reason can be typed at once. Other clients get the actions unchanged, since a snippet
 * they cannot read would insert `$0` literally or fail.
 */
export function placeReasonCursor(actions: CodeAction[], client: ClientCapabilities): CodeAction[] {
  if (client.workspace?.workspaceEdit?.snippetEditSupport !== true) return actions;

  return actions.map((action) => {
    const files = action.kind === SUPPRESS_KIND ? Object.entries(action.edit?.changes ?? {}) : [];
    if (files.length === 0) return action;
    const documentChanges = files.map(([uri, edits]) => ({
      textDocument: { uri, version: null },
      edits: edits.map(reasonSnippet),
    }));

    return { ...action, edit: { documentChanges } };
  });
}

function reasonSnippet(edit: TextEdit): TextEdit | SnippetTextEdit {
  const text = withoutEditorIndent(edit);
  const at = text.indexOf(`${EMPTY_REASON}"`);
  if (at < 0) return edit;
  const cursor = at + EMPTY_REASON.length;
  // In snippet syntax `$`, `}` and `\` are special; the directive's text must stay literal.
  const literal = (part: string) => part.replace(/[$}\\]/g, '\\$&');

  return {
    range: edit.range,
    snippet: {
      kind: 'snippet',
      value: `${literal(text.slice(0, cursor))}$0${literal(text.slice(cursor))}`,
    },
  };
}

/**
 * Editors indent each line of a snippet after the first with the whitespace that starts the line
 * it goes into (VS Code's adjustWhitespace). A directive inserted mid-line, after another
 * statement, already carries that line's indentation on its own lines, so it is taken off here.
 */
function withoutEditorIndent(edit: TextEdit): string {
  if (edit.range.start.character === 0) return edit.newText;
  const lines = edit.newText.split(/(?<=\n)/);
  const indent = /^[ \t]*/.exec(lines[1] ?? '')?.[0] ?? '';

  return lines
    .map((line, index) => (index > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('');
}

/**
 * The edits by document. An edit to a file the workspace does not hold creates it (`createsFile`,
 * e.g. a policies file named in the config), which plain `changes` cannot say: the edit then
 * becomes `documentChanges`, a CreateFile that leaves an existing file alone, then the text edits.
 */
function workspaceEdit(
  edits: readonly EngineEdit[],
  target: EditTarget,
): WorkspaceEdit | undefined {
  const changes: Record<string, TextEdit[]> = {};
  const created = new Set<string>();
  for (const edit of edits) {
    const uri = target.uriOf(edit.path);
    let range = target.rangeOf(edit.path, edit.span);
    if (!range && createsFile(edit) && target.canCreateFiles !== false) {
      range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      created.add(uri);
    }
    if (!range) return undefined;
    const newText = withLineBreaks(edit.newText, target.lineBreakOf?.(edit.path) ?? '\n');
    (changes[uri] ??= []).push({ range, newText });
  }
  if (created.size === 0) return { changes };

  return {
    documentChanges: [
      ...[...created].map((uri) => CreateFile.create(uri, { ignoreIfExists: true })),
      ...Object.entries(changes).map(([uri, textEdits]) =>
        TextDocumentEdit.create({ uri, version: null }, textEdits),
      ),
    ],
  };
}

function fixKind(safety: FixSafety): string {
  switch (safety) {
    case 'safe':
      return CodeActionKind.QuickFix;
    case 'unsafe':
      return UNSAFE_FIX_KIND;
    case 'suggestion':
      return SUGGESTION_FIX_KIND;
    default:
      return assertNever(safety);
  }
}

/** LSP kinds are hierarchical: asking for `quickfix` also asks for `quickfix.snowgov.unsafe`. */
function isWanted(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;

  return only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

/** Inclusive, so that a cursor just after a finding still offers its fixes. */
function intersects(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Two insertions at one offset conflict too: their order would be a guess. */
function overlaps(a: Span, b: Span): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected fix safety: ${String(value)}`);
}
