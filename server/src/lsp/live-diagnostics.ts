import type { Diagnostic } from 'vscode-languageserver';

type Send = (uri: string, diagnostics: Diagnostic[], version?: number) => void;

/**
 * Keeps the findings of the last live validation for files that are not open. The project
 * publishes open documents itself (with the account state in view, so those stay current as
 * they are edited) and publishes nothing for a closed file; this sits between the project and
 * the connection and shows the validation's findings for closed files instead, as of that run,
 * until the next run or a clear.
 */
export class LiveDiagnostics {
  /** The validation's diagnostics of every file it judged, by URI. */
  private byUri = new Map<string, Diagnostic[]>();

  constructor(
    private readonly send: Send,
    private readonly isOpen: (uri: string) => boolean,
  ) {}

  /** What the project publishes goes through here. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const kept = this.isOpen(uri) ? undefined : this.byUri.get(uri);
    if (kept && diagnostics.length === 0) this.send(uri, kept);
    else this.send(uri, diagnostics, version);
  }

  /** Replaces the last validation's diagnostics; closed files show the new ones at once. */
  replace(byUri: ReadonlyMap<string, Diagnostic[]>): void {
    const previous = this.byUri;
    this.byUri = new Map(byUri);
    for (const uri of new Set([...previous.keys(), ...byUri.keys()])) {
      if (!this.isOpen(uri)) this.send(uri, byUri.get(uri) ?? []);
    }
  }

  clear(): void {
    this.replace(new Map());
  }
}
