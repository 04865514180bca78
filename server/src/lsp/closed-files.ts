import type { Diagnostic } from 'vscode-languageserver';

type Send = (uri: string, diagnostics: Diagnostic[]) => void;

/**
 * What the editor was last sent for each file, so that the files no editor shows are published
 * only when their diagnostics change: a workspace of a thousand migrations would otherwise send
 * a thousand notifications after every quiet spell in the editor.
 */
export class ClosedFileDiagnostics {
  /** The diagnostics last sent, serialised, by URI; files last sent none are left out. */
  private readonly sent = new Map<string, string>();

  constructor(private readonly send: Send) {}

  /** Records what the project sent an open document, which a later `update` compares against. */
  sentToOpen(uri: string, diagnostics: readonly Diagnostic[]): void {
    this.remember(uri, JSON.stringify(diagnostics));
  }

  /**
   * Sends each closed file's diagnostics that differ from what the editor has, and none to every
   * file that had some but is no longer judged (deleted, excluded, outside the folders, an
   * untitled document that was closed). `open` lists the URIs the project publishes itself.
   * Returns how many files were sent something.
   */
  update(byUri: ReadonlyMap<string, Diagnostic[]>, open: ReadonlySet<string>): number {
    let sent = 0;
    for (const [uri, diagnostics] of byUri) {
      if (open.has(uri)) continue;
      const serialised = JSON.stringify(diagnostics);
      if ((this.sent.get(uri) ?? '[]') === serialised) continue;
      this.send(uri, diagnostics);
      this.remember(uri, serialised);
      sent += 1;
    }
    for (const uri of [...this.sent.keys()]) {
      if (byUri.has(uri) || open.has(uri)) continue;
      this.send(uri, []);
      this.sent.delete(uri);
      sent += 1;
    }

    return sent;
  }

  private remember(uri: string, serialised: string): void {
    if (serialised === '[]') this.sent.delete(uri);
    else this.sent.set(uri, serialised);
  }
}
