import { relative } from 'node:path';
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type Hover,
  type Location,
  MarkupKind,
  type ReferenceParams,
  SymbolKind,
  type TextDocumentPositionParams,
  type WorkspaceSymbol,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver';
import type { Analysis, Span } from '../engine';
import { columnFacts } from '../engine/model/catalog';
import { withArticle } from '../engine/model/classify';
import { redactSecrets } from '../engine/redact';
import type { AnalyzedFile } from '../engine/rules/define';
import {
  type OutlineEntry,
  SymbolIndex,
  type SymbolOccurrence,
  completionContext,
} from '../engine/symbols';
import type { ProjectView } from './project';

/**
 * Hover, go to definition, references, symbols and completion over the engine's symbol index.
 * Each handler takes the project's current view, so it answers for the text the editor shows.
 */
export class Navigation {
  private readonly indexes = new WeakMap<Analysis, SymbolIndex>();

  constructor(private readonly view: () => Promise<ProjectView>) {}

  async hover(params: TextDocumentPositionParams): Promise<Hover | null> {
    const found = await this.occurrenceAt(params);
    if (!found) return null;
    const { view, index, file, occurrence } = found;
    const value =
      occurrence.kind === 'column'
        ? describeColumn(view, occurrence)
        : describeDefinition(view, index, occurrence);

    return {
      contents: { kind: MarkupKind.Markdown, value },
      range: rangeOf(file, occurrence.span),
    };
  }

  async definition(params: TextDocumentPositionParams): Promise<Location[]> {
    const found = await this.occurrenceAt(params);
    if (!found) return [];

    return this.locations(found.view, found.index.definitions(found.occurrence));
  }

  async references(params: ReferenceParams): Promise<Location[]> {
    const found = await this.occurrenceAt(params);
    if (!found) return [];
    const all = found.index.references(found.occurrence);
    const wanted = params.context.includeDeclaration ? all : all.filter((o) => !o.isDefinition);

    return this.locations(found.view, wanted);
  }

  async documentSymbols(params: DocumentSymbolParams): Promise<DocumentSymbol[]> {
    const view = await this.view();
    const path = view.pathOf(params.textDocument.uri);
    const file = fileOf(view.analysis, path);
    if (!file) return [];
    const toSymbol = (entry: OutlineEntry): DocumentSymbol => ({
      name: entry.name || '(empty statement)',
      kind: SYMBOL_KINDS[entry.kind],
      range: rangeOf(file, entry.span),
      selectionRange: rangeOf(file, entry.selection),
      children: entry.children.map(toSymbol),
    });

    return this.index(view).outline(path).map(toSymbol);
  }

  async workspaceSymbols(params: WorkspaceSymbolParams): Promise<WorkspaceSymbol[]> {
    const view = await this.view();
    const query = params.query.toUpperCase();

    return this.index(view)
      .allDefinitions()
      .filter((definition) => definition.key.toUpperCase().includes(query))
      .flatMap((definition) => {
        const location = this.locations(view, [definition])[0];

        return location
          ? [{ name: definition.key, kind: SYMBOL_KINDS[definition.kind], location }]
          : [];
      });
  }

  async completion(params: CompletionParams): Promise<CompletionItem[]> {
    const view = await this.view();
    const file = fileOf(view.analysis, view.pathOf(params.textDocument.uri));
    if (!file) return [];
    const offset = file.lines.offsetAt(params.position);
    const lineStart = file.lines.offsetAt({ line: params.position.line, character: 0 });
    const context = completionContext(file.text.slice(lineStart, offset));
    if (!context) return [];

    const kind =
      context.kind === 'role' ? CompletionItemKind.Constant : CompletionItemKind.Reference;

    // A qualified name is replaced whole: editors replace only the word at the cursor, which
    // would leave `hr.core.` in front of `HR.CORE.MASK_EMAIL`.
    const typed = {
      start: {
        line: params.position.line,
        character: params.position.character - context.prefix.length,
      },
      end: params.position,
    };

    // The index lists objects created only by later migrations last; `sortText` keeps that
    // order in the editor, which would otherwise sort by label.
    return this.index(view)
      .completions(context, { path: file.path, offset })
      .map((completion, position) => ({
        label: completion.name,
        textEdit: { range: typed, newText: completion.name },
        filterText: completion.name,
        kind,
        detail:
          completion.createdLaterIn === undefined
            ? context.kind
            : `created later, in ${completion.createdLaterIn}`,
        sortText: String(position).padStart(5, '0'),
      }));
  }

  private async occurrenceAt(params: TextDocumentPositionParams) {
    const view = await this.view();
    const path = view.pathOf(params.textDocument.uri);
    const file = fileOf(view.analysis, path);
    if (!file) return undefined;
    const index = this.index(view);
    const occurrence = index.at(path, file.lines.offsetAt(params.position));

    return occurrence && { view, index, file, occurrence };
  }

  private index(view: ProjectView): SymbolIndex {
    let index = this.indexes.get(view.analysis);
    if (!index) {
      index = new SymbolIndex(view.analysis.files, view.analysis.catalog);
      this.indexes.set(view.analysis, index);
    }

    return index;
  }

  private locations(view: ProjectView, occurrences: readonly SymbolOccurrence[]): Location[] {
    return occurrences.flatMap((occurrence) => {
      const file = fileOf(view.analysis, occurrence.path);

      return file ? [{ uri: view.uriOf(file.path), range: rangeOf(file, occurrence.span) }] : [];
    });
  }
}

const SYMBOL_KINDS: Record<OutlineEntry['kind'], SymbolKind> = {
  policy: SymbolKind.Function,
  tag: SymbolKind.Constant,
  role: SymbolKind.Key,
  stage: SymbolKind.Package,
  table: SymbolKind.Struct,
  column: SymbolKind.Field,
  statement: SymbolKind.Event,
};

function fileOf(analysis: Analysis, path: string): AnalyzedFile | undefined {
  return analysis.files.find((file) => file.path === path);
}

function rangeOf(file: AnalyzedFile, span: Span) {
  return { start: file.lines.positionAt(span.start), end: file.lines.positionAt(span.end) };
}

/** `V1__init.sql:12`, relative to the workspace when it can be. */
function placeOf(path: string, offset: number, analysis: Analysis): string {
  const file = fileOf(analysis, path);
  const line = file ? file.lines.positionAt(offset).line + 1 : 0;
  const shown = relative(process.cwd(), path).startsWith('..')
    ? path
    : relative(process.cwd(), path);

  return `${shown}:${line}`;
}

/** A column's classification, effective masking policy and tags, as the catalog sees them. */
function describeColumn(view: ProjectView, occurrence: SymbolOccurrence) {
  const catalog = view.analysis.catalog;
  const table = occurrence.detail ? catalog.findTable(occurrence.detail) : undefined;
  const name = occurrence.key.slice((occurrence.detail ?? '').length + 1);
  const column = table?.columns.get(name);
  const lines = [`**Column** \`${name}\` of \`${occurrence.detail ?? '?'}\``];
  if (!table || !column)
    return [...lines, '', 'Not in the catalog after all migrations.'].join('\n');
  if (column.dataType) lines.push('', `Type: \`${column.dataType}\``);
  const classification = view.classifier.classify(columnFacts(column));
  lines.push(
    '',
    classification
      ? `Classification: ${withArticle(view.classifier.label(classification.category))} ` +
          `(judged by ${classification.evidence})`
      : 'Classification: no personal data recognised',
  );
  const masking = catalog.effectiveMasking(table, column);
  if (!masking) {
    lines.push('', 'Masking: none after all migrations');
  } else if (masking.via === 'direct' && column.maskingPolicy) {
    const at = column.maskingPolicy.at;
    lines.push(
      '',
      `Masking: \`${masking.policy}\`, attached at ${placeOf(at.path, at.span.start, view.analysis)}`,
    );
  } else {
    const tag = masking.tag ? catalog.findTag(masking.tag) : undefined;
    const where = tag
      ? `, tag defined at ${placeOf(tag.at.path, tag.at.span.start, view.analysis)}`
      : '';
    lines.push(
      '',
      `Masking: \`${masking.policy}\` through tag \`${masking.tag ?? '?'}\` on the ${masking.tagOn ?? 'column'}${where}`,
    );
  }
  if (masking?.failsOpen) lines.push('', `The policy does not hide values: ${masking.failsOpen}`);
  const tags = [...column.tags].map(([key, value]) =>
    value === undefined ? key : `${key} = '${value}'`,
  );
  lines.push('', `Tags: ${tags.length > 0 ? tags.map((tag) => `\`${tag}\``).join(', ') : 'none'}`);
  return lines.join('\n');
}

/**
 * The roles every Snowflake account has, which no migration creates, and what they may do.
 * https://docs.snowflake.com/en/user-guide/security-access-control-overview#system-defined-roles
 */
const SYSTEM_ROLES: Readonly<Record<string, string>> = {
  ORGADMIN:
    'Manages the organization: creates accounts in it and views all its accounts and their usage.',
  ACCOUNTADMIN:
    'The top-level role of the account: holds SYSADMIN and SECURITYADMIN and sets account ' +
    'parameters. Grant it to few people, with MFA, and never use it for objects or scripts.',
  SECURITYADMIN:
    'Manages every grant in the account (global MANAGE GRANTS) and network policies; ' +
    'holds USERADMIN, so it also creates users and roles.',
  USERADMIN: 'Creates users and roles (CREATE USER, CREATE ROLE) and manages those it owns.',
  SYSADMIN:
    'Creates warehouses, databases and the objects in them. Grant custom roles to SYSADMIN so ' +
    'that it can manage what they own.',
  PUBLIC:
    'Granted to every user and every role of the account, so whatever it holds, everyone holds.',
};

/** The statement that defines a policy, tag, role, stage or table, with where it is. */
function describeDefinition(view: ProjectView, index: SymbolIndex, occurrence: SymbolOccurrence) {
  const definition = occurrence.isDefinition ? occurrence : index.definitions(occurrence)[0];
  // Views and tables are one kind of name (relations), but a reader wants to know which it is.
  const kind = definition?.statement.kind === 'create-view' ? 'view' : occurrence.kind;
  const title = `**${kind[0].toUpperCase()}${kind.slice(1)}** \`${occurrence.key}\``;
  const systemRole = occurrence.kind === 'role' ? SYSTEM_ROLES[occurrence.key] : undefined;
  if (!definition && systemRole) return `${title}: a Snowflake system role\n\n${systemRole}`;
  if (!definition) return `${title}\n\nNot defined in the workspace.`;
  const file = fileOf(view.analysis, definition.path);
  // The defining statement is quoted whole, so credentials in it (a stage's keys) are starred.
  const text = file
    ? redactSecrets(file.text.slice(definition.statement.start, definition.statement.end))
    : '';
  const place = placeOf(definition.path, definition.span.start, view.analysis);

  return `${title}, defined at ${place}\n\n\`\`\`sql\n${text.trim()}\n\`\`\``;
}
