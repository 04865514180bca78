import type { Diagnostic } from 'vscode-languageserver';

type Send = (uri: string, diagnostics: Diagnostic[], version?: number) => void;

/**
 * Keeps the findings of the last live validation for files that are not open. The project
 * publishes open documents itself (with the account state in view, so those stay current as
 * they are edited). With the diagnostics scope `openFiles` it publishes nothing for a closed
 * file; this sits between the project and the connection and shows the validation's findings
 * for closed files instead, as of that run, until the next run or a clear. With the scope
 * `workspace` the project publishes closed files too, judged with the account state like the
 * validation, and stays current as files change, so this passes everything through.
 */
export class LiveDiagnostics {
  /** The validation's diagnostics of every file it judged, by URI. */
  private byUri = new Map<string, Diagnostic[]>();

  constructor(
    private readonly send: Send,
    private readonly isOpen: (uri: string) => boolean,
    /** Whether the project publishes closed files itself (the `workspace` scope). */
    private readonly projectPublishesClosedFiles: () => boolean = () => false,
  ) {}

  /** What the project publishes goes through here. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const kept =
      this.isOpen(uri) || this.projectPublishesClosedFiles() ? undefined : this.byUri.get(uri);
    if (kept && diagnostics.length === 0) this.send(uri, kept);
    else this.send(uri, diagnostics, version);
  }

  /** Replaces the last validation's diagnostics; closed files show the new ones at once. */
  replace(byUri: ReadonlyMap<string, Diagnostic[]>): void {
    const previous = this.byUri;
    this.byUri = new Map(byUri);
    // The project judges closed files again once the account state changes, and sends only
    // what differs from what it last sent; sending here behind its back would defeat that.
    if (this.projectPublishesClosedFiles()) return;
    for (const uri of new Set([...previous.keys(), ...byUri.keys()])) {
      if (!this.isOpen(uri)) this.send(uri, byUri.get(uri) ?? []);
    }
  }

  clear(): void {
    this.replace(new Map());
  }
}
