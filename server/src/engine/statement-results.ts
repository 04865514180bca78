import { type MoveSpan, catalogChanges, sameValue } from './catalog-changes';
import type { Finding, Fix, TextEdit } from './findings';
import type { Catalog } from './model/catalog';
import { withPositions } from './moved-findings';
import { EVERY_KEY, Fact, type ReadLog, derivedRead, derivedSourceOf, derivedValue } from './reads';
import type { AnalyzedFile } from './rules/define';
import type { Span } from './source';
import type { Statement } from './syntax/ast';
import { changedRange } from './syntax/incremental';

/** One rule's findings on a top-level statement (nested ones included) and what it read. */
export interface RuleResult {
  readonly rule: string;
  readonly findings: readonly Finding[];
  readonly reads?: ReadLog;
}

/**
 * A top-level statement's rule results from the analysis numbered `generation`. A rule with no
 * entry reported nothing and read nothing beyond the statement, so it reports nothing again
 * while the statement is unchanged.
 */
interface StatementRecord {
  /** Advanced in place when every result held unchanged. */
  generation: number;
  readonly results: readonly RuleResult[];
  /** What `kept` gives while every result holds unchanged, made once per record. */
  readonly unchanged: KeptResults;
}

/** The results of a statement that still hold, and the rules that must run on it again. */
export interface KeptResults {
  readonly results: readonly RuleResult[];
  readonly stale: ReadonlySet<string>;
}

/** What an analysis was made from, to tell the next one what changed since. */
interface Basis {
  readonly generation: number;
  readonly texts: ReadonlyMap<string, string>;
  readonly paths: readonly string[];
  /** The files as rules saw them, which derived facts of the files are cached on. */
  readonly files: readonly AnalyzedFile[];
  readonly catalog: Catalog;
  readonly sensitive: ReadonlySet<string>;
}

/** The one changed range of a file since the basis; `replaced` when it is new or re-read. */
type FileEdit =
  { readonly start: number; readonly oldEnd: number; readonly newEnd: number } | 'replaced';

/**
 * Rule results kept per statement across analyses, so that an edit runs the rules only where it
 * can change their findings: on the statements near the edit, and for the rules whose recorded
 * reads (see `reads.ts`) saw a fact that changed. Everything else keeps its findings, moved with
 * the text. A statement is known by its object, which the incremental parse keeps while its
 * text is unchanged.
 *
 * Rules may read the file's text around their statement without recording it: its lines, the
 * comments above it (fixes keep them with the statement) and the semicolon after it. So a
 * statement is judged again when an edit lies within a line of it or in the text between it and
 * the statement before.
 */
export class StatementResults {
  private records = new WeakMap<Statement, StatementRecord>();
  private basis?: Basis;
  private generation = 0;

  /** Forgets every result, for changes reads do not describe (config, account state). */
  clear(): void {
    this.records = new WeakMap();
    this.basis = undefined;
  }

  /** Starts an analysis of `files` against `catalog`; `finish` must follow it. */
  begin(
    files: readonly AnalyzedFile[],
    catalog: Catalog,
    sensitive: ReadonlySet<string>,
  ): ResultsRun {
    this.generation++;
    return new ResultsRun(this.records, this.generation, this.basis, files, catalog, sensitive);
  }

  finish(run: ResultsRun): void {
    this.basis = run.asBasis();
  }
}

/** One analysis's view of the kept results: which still hold, and the new ones. */
export class ResultsRun {
  private readonly edits = new Map<string, FileEdit>();
  /** Per edited file, the text within a line of its edit, where every statement runs again. */
  private readonly windows = new Map<string, Span>();
  private readonly changes: Map<Fact, Set<string>>;
  /** A bit for each fact that may have changed; reads of other facts hold without a look. */
  private readonly changedMask: number;
  private readonly filesChanged: boolean;
  private readonly sensitiveChanged: boolean;
  private readonly moveSpan: MoveSpan;
  /** The statement `kept` is judging, and whether its sessions are as they were. */
  private judged!: Statement;
  private judgedSessionsKept?: boolean;
  /** The last pair of session states compared, and whether they were the same. */
  private lastSessions?: { before: unknown; after: unknown; same: boolean };
  /** Derived facts compared so far, by name: true when changed. */
  private readonly derivedChanges = new Map<string, boolean>();

  constructor(
    private readonly records: WeakMap<Statement, StatementRecord>,
    private readonly generation: number,
    private readonly basis: Basis | undefined,
    private readonly files: readonly AnalyzedFile[],
    private readonly catalog: Catalog,
    private readonly sensitive: ReadonlySet<string>,
  ) {
    const paths = files.map((file) => file.path);
    this.filesChanged =
      !basis || basis.paths.length !== paths.length || basis.paths.some((p, i) => p !== paths[i]);
    for (const file of files) {
      const old = basis?.texts.get(file.path);
      if (old === file.text) continue;
      if (old === undefined) {
        this.edits.set(file.path, 'replaced');
        continue;
      }
      const { start, oldEnd } = changedRange(old, file.text);
      const newEnd = oldEnd + file.text.length - old.length;
      this.edits.set(file.path, { start, oldEnd, newEnd });
      this.windows.set(file.path, linesAround(file.text, start, newEnd));
    }
    if (this.filesChanged) {
      const present = new Set(paths);
      for (const path of basis?.paths ?? []) {
        if (!present.has(path)) this.edits.set(path, 'replaced');
      }
    }
    this.moveSpan = (path, span) => {
      const edit = this.edits.get(path);
      if (edit === undefined) return span;

      return edit === 'replaced' ? undefined : moveSpan(span, edit);
    };
    this.changes = basis ? catalogChanges(basis.catalog, catalog, this.moveSpan) : new Map();
    this.sensitiveChanged = !basis || !sameMembers(basis.sensitive, sensitive);
    // Sessions and derived facts are compared only when a result that read them is looked at.
    let mask = (1 << Fact.session) | (1 << Fact.derived);
    for (const fact of this.changes.keys()) mask |= 1 << fact;
    if (this.edits.size > 0) mask |= (1 << Fact.statements) | (1 << Fact.lines);
    if (this.filesChanged) mask |= 1 << Fact.files;
    if (this.sensitiveChanged) mask |= 1 << Fact.sensitive;
    this.changedMask = mask;
  }

  /**
   * The kept results of a statement of `file` that still hold, moved to where the statement is
   * now, and the rules that must run on it again; every rule runs when nothing is kept.
   * `previousEnd` is where the statement before it ends (0 for the first).
   */
  kept(statement: Statement, file: AnalyzedFile, previousEnd: number): KeptResults | undefined {
    const record = this.records.get(statement);
    if (!record || !this.basis || record.generation !== this.basis.generation) return undefined;
    const window = this.windows.get(file.path);
    if (window && previousEnd <= window.end && statement.end >= window.start) return undefined;
    this.judged = statement;
    this.judgedSessionsKept = undefined;
    let results: RuleResult[] | undefined;
    let stale: Set<string> | undefined;
    const kept = record.results;
    for (let index = 0; index < kept.length; index++) {
      const result = kept[index];
      const moved = this.holds(result) ? this.moved(result, file) : undefined;
      if (moved === result && !results) continue;
      // Copied from the first result that differs, so that an unchanged record is kept as is.
      results ??= record.results.slice(0, index);
      if (moved) results.push(moved);
      else (stale ??= new Set()).add(result.rule);
    }
    if (!results) {
      record.generation = this.generation;

      return record.unchanged;
    }

    return { results, stale: stale ?? NOTHING_STALE };
  }

  /** Keeps a statement's results for the next analysis. */
  keep(statement: Statement, results: readonly RuleResult[]): void {
    const record = this.records.get(statement);
    if (record?.generation === this.generation && record.results === results) return;
    const unchanged = { results, stale: NOTHING_STALE };
    this.records.set(statement, { generation: this.generation, results, unchanged });
  }

  asBasis(): Basis {
    return {
      generation: this.generation,
      texts: new Map(this.files.map((file) => [file.path, file.text])),
      paths: this.files.map((file) => file.path),
      files: this.files,
      catalog: this.catalog,
      sensitive: this.sensitive,
    };
  }

  /** True when nothing the rule read changed since it ran. */
  private holds(result: RuleResult): boolean {
    const reads = result.reads;
    if (!reads || (reads.mask & this.changedMask) === 0) return true;
    for (let i = 0; i < reads.facts.length; i++) {
      if (!this.unchanged(reads.facts[i], reads.keys[i])) return false;
    }

    return true;
  }

  private unchanged(fact: Fact, key: string): boolean {
    switch (fact) {
      case Fact.statements:
      case Fact.lines:
        return !this.edits.has(key);
      case Fact.files:
        return !this.filesChanged;
      case Fact.sensitive:
        return !this.sensitiveChanged;
      case Fact.session:
        // Most rules read the session, so it is compared once per statement.
        this.judgedSessionsKept ??= this.sameSessions(this.judged);

        return this.judgedSessionsKept;
      case Fact.derived:
        return !this.derivedChanged(key);
      default: {
        const changed = this.changes.get(fact);

        return !changed || (key !== EVERY_KEY && !changed.has(key));
      }
    }
  }

  /** `readKey` names a derived fact, or an entry of one (see `derivedEntry`). */
  private derivedChanged(readKey: string): boolean {
    let changed = this.derivedChanges.get(readKey);
    if (changed === undefined) {
      const { name, entry } = derivedRead(readKey);
      const source = derivedSourceOf(name);
      const basis = this.basis;
      if (!basis || !source) changed = true;
      // A value derived from the catalog's collections is the same while none of them changed.
      else if (source === 'catalog' && this.changes.size === 0) changed = false;
      else {
        const before = derivedValue(name, source === 'catalog' ? basis.catalog : basis.files);
        const after = derivedValue(name, source === 'catalog' ? this.catalog : this.files);
        changed =
          entry === undefined
            ? !sameValue(before, after, this.moveSpan)
            : !sameValue(entryOf(before, entry), entryOf(after, entry), this.moveSpan);
      }
      this.derivedChanges.set(readKey, changed);
    }

    return changed;
  }

  /** The session state of the statement and of each statement nested in it is as it was. */
  private sameSessions(statement: Statement): boolean {
    const before = this.basis?.catalog.sessionOf(statement);
    const after = this.catalog.sessionOf(statement);
    // Statements between two USE statements share one session object: compare each pair once.
    const last = this.lastSessions;
    if (!last || last.before !== before || last.after !== after) {
      this.lastSessions = { before, after, same: sameValue(before, after, this.moveSpan) };
    }
    if (!this.lastSessions?.same) return false;

    return (statement.nested ?? []).every((nested) => this.sameSessions(nested));
  }

  /**
   * The result moved across the edits: the same object when nothing of it moved, undefined when
   * an offset lay in edited text.
   */
  private moved(result: RuleResult, file: AnalyzedFile): RuleResult | undefined {
    if (result.findings.length === 0 || this.edits.size === 0) return result;
    const edit = this.edits.get(file.path);
    // Made only once a finding moved: most results lie before the edit and stand as they are.
    let findings: Finding[] | undefined;
    for (let index = 0; index < result.findings.length; index++) {
      const finding = result.findings[index];
      let moved = this.movedFinding(finding);
      if (!moved) return undefined;
      // Lines and characters after the edit's start may differ even where offsets do not (a
      // space replaced by a line break); before it they stand.
      if (edit && edit !== 'replaced' && moved.span.end >= edit.start) {
        moved = withPositions(moved, file.lines);
      }
      if (moved !== finding) (findings ??= result.findings.slice(0, index)).push(moved);
      else findings?.push(finding);
    }

    return findings ? { ...result, findings } : result;
  }

  private movedFinding(finding: Finding): Finding | undefined {
    const span = this.moveSpan(finding.path, finding.span);
    if (!span) return undefined;
    let fixes: Fix[] | undefined;
    for (const [index, fix] of finding.fixes.entries()) {
      const moved = this.movedFix(fix);
      if (!moved) return undefined;
      if (moved !== fix) (fixes ??= finding.fixes.slice(0, index)).push(moved);
      else fixes?.push(fix);
    }
    if (span === finding.span && !fixes) return finding;

    return { ...finding, span, fixes: fixes ?? finding.fixes };
  }

  private movedFix(fix: Fix): Fix | undefined {
    let edits: TextEdit[] | undefined;
    for (const [index, edit] of fix.edits.entries()) {
      const span = this.moveSpan(edit.path, edit.span);
      if (!span) return undefined;
      if (span !== edit.span) (edits ??= fix.edits.slice(0, index)).push({ ...edit, span });
      else edits?.push(edit);
    }

    return edits ? { ...fix, edits } : fix;
  }
}

const NOTHING_STALE: ReadonlySet<string> = new Set();

/**
 * A location's span moved across an edit; undefined when an end lies inside the edited text, or
 * the start is where text was inserted (it may or may not belong to what is located).
 */
function moveSpan(
  span: Span,
  edit: { readonly start: number; readonly oldEnd: number; readonly newEnd: number },
): Span | undefined {
  const delta = edit.newEnd - edit.oldEnd;
  const startsAfter = span.start >= edit.oldEnd && span.start !== edit.start;
  const start = span.start < edit.start ? span.start : startsAfter ? span.start + delta : undefined;
  const end =
    span.end === span.start
      ? start
      : span.end <= edit.start
        ? span.end
        : span.end >= edit.oldEnd
          ? span.end + delta
          : undefined;
  if (start === undefined || end === undefined) return undefined;

  return start === span.start && end === span.end ? span : { start, end };
}

/** From the start of the line before `from`'s to the end of the line after `to`'s. */
function linesAround(text: string, from: number, to: number): Span {
  let start = from;
  for (let breaks = 0; start > 0; start--) {
    if (endsLine(text, start - 1) && ++breaks === 2) break;
  }
  let end = to;
  for (let breaks = 0; end < text.length; end++) {
    if (endsLine(text, end) && ++breaks === 2) break;
  }

  return { start, end };
}

/** True when the character at `at` ends a line: LF, or CR not followed by LF. */
function endsLine(text: string, at: number): boolean {
  const c = text.charCodeAt(at);

  return c === 10 || (c === 13 && text.charCodeAt(at + 1) !== 10);
}

function entryOf(map: unknown, key: string): unknown {
  return map instanceof Map ? map.get(key) : undefined;
}

function sameMembers(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}
