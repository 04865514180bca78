import { pathToFileURL } from 'node:url';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine';

/**
 * Problems of snowgov.yml as diagnostics on the file itself, so that they sit in the Problems
 * panel beside the findings they change, and go away once the file is fixed. The popup alone
 * was gone after a glance.
 */
export class ConfigDiagnostics {
  /** URIs that carry problems now, to be cleared when they have none. */
  private shown = new Set<string>();

  constructor(private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void) {}

  update(problems: readonly ConfigProblem[]): void {
    const byUri = new Map<string, Diagnostic[]>();
    for (const problem of problems) {
      const uri = pathToFileURL(problem.path).href;
      const diagnostics = byUri.get(uri) ?? [];
      diagnostics.push(toDiagnostic(problem));
      byUri.set(uri, diagnostics);
    }
    for (const uri of this.shown) if (!byUri.has(uri)) this.publish(uri, []);
    for (const [uri, diagnostics] of byUri) this.publish(uri, diagnostics);
    this.shown = new Set(byUri.keys());
  }
}

/** The whole line the problem names (the first line when it names none). */
function toDiagnostic(problem: ConfigProblem): Diagnostic {
  const line = Math.max(0, (problem.line ?? 1) - 1);

  return {
    range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: 'snowgov',
    code: 'config',
    message: problem.message,
  };
}
