/**
 * Soak: random incremental edits against the running server, then its diagnostics must equal a
 * fresh analysis of the final text, and once the document is back to its first text the server's
 * heap is back near where it was before the edits. 300 edits here; SNOWGOV_SOAK_EDITS=10000
 * (`npm run soak`) runs the full soak. Also: malformed JSON-RPC and unknown methods do not stop
 * the server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Diagnostic,
  Position,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { allRules } from '../rules';
import { generateMigration } from '../scripts/bench/generate';
import { LineIndex, Workspace } from '../server/src/engine';
import { shownFindings, toDiagnostic } from '../server/src/lsp/diagnostics';
import { MEMORY_USAGE_METHOD, type MemoryUsage } from '../server/src/lsp/protocol';
import { TestClient } from './lsp-client';

const EDITS = Number(process.env.SNOWGOV_SOAK_EDITS ?? 300);
const FILE = 'V1.0.0__soak.sql';
const SNIPPETS = [
  'x',
  ' ',
  '\n',
  ';',
  "'",
  '$$',
  '(',
  'GRANT SELECT ON TABLE t TO USER u;\n',
  'email VARCHAR,',
  '-- c\n',
];

/** A small deterministic generator, so that a failing soak can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;

  return () => {
    state = (state * 48271) % 2147483647;

    return state / 2147483647;
  };
}

function expectedDiagnostics(text: string): Diagnostic[] {
  const workspace = new Workspace(allRules);
  workspace.setFile(FILE, text);

  return shownFindings(workspace.analyze().findings.get(FILE) ?? []).map(toDiagnostic);
}

/**
 * How far the heap may end above where it started: compiled code and caches of bounded size
 * add about 1.6 MiB however many edits there were. A lexer cache that held on to every version
 * of the document grew the heap by 3.9 MiB over the full soak's 10,000 edits.
 */
const HEAP_SLACK_BYTES = 3 * 1024 * 1024;

const comparable = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map((d) => ({
    range: d.range,
    message: d.message,
    code: d.code,
    severity: d.severity,
  }));

describe('language server soak', function () {
  this.timeout(Math.max(60_000, EDITS * 100));
  let folder: string;
  let client: TestClient | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'snowgov-soak-'));
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && client) console.log(client.transcript());
    client?.kill();
    client = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  it('ends with the diagnostics of a fresh analysis after random incremental edits', async () => {
    client = await TestClient.start(folder, { nodeOptions: ['--expose-gc'] });
    const first = generateMigration(3, 2);
    let text = first;
    await client.open(FILE, text);
    // Analysing the same text again warms the caches that live as long as the server.
    await client.change(FILE, [{ text: first }]);
    const before = await client.request<MemoryUsage>(MEMORY_USAGE_METHOD, {});
    const random = lcg(20260801);
    const undo: { start: number; removed: string; insertedLength: number }[] = [];
    let version = 1;
    for (let i = 0; i < EDITS; i++) {
      const lines = new LineIndex(text);
      const roll = random();
      let start: number;
      let end: number;
      let insert: string;
      if (roll < 0.15 && undo.length > 0) {
        // Undo-like reversal of the last edit.
        const last = undo.pop()!;
        start = last.start;
        end = last.start + last.insertedLength;
        insert = last.removed;
      } else {
        start = Math.floor(random() * (text.length + 1));
        end = roll < 0.45 ? Math.min(text.length, start + Math.floor(random() * 40)) : start;
        insert = roll < 0.8 ? SNIPPETS[Math.floor(random() * SNIPPETS.length)] : '';
        if (roll > 0.95) insert = text.slice(0, Math.floor(random() * 400)); // a paste
        undo.push({ start, removed: text.slice(start, end), insertedLength: insert.length });
      }
      const range = {
        start: lines.positionAt(start) as Position,
        end: lines.positionAt(end) as Position,
      };
      const change: TextDocumentContentChangeEvent = { range, text: insert };
      text = text.slice(0, start) + insert + text.slice(end);
      version = await client.sendChanges(FILE, [change]);
    }
    // A no-op edit makes sure the diagnostics awaited are those of the final version.
    const final = client.nextDiagnostics(FILE, version + 1);
    await client.sendChanges(FILE, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' },
    ]);
    const diagnostics = await final;

    assert.deepEqual(comparable(diagnostics), comparable(expectedDiagnostics(text)));

    await client.change(FILE, [{ text: first }]);
    const after = await client.request<MemoryUsage>(MEMORY_USAGE_METHOD, {});
    assert.ok(before.collected && after.collected, 'the server runs with --expose-gc');
    const grown = after.heapUsed - before.heapUsed;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    if (EDITS >= 1000) {
      console.log(
        `      heap after GC: ${mib(before.heapUsed)} before, ${mib(after.heapUsed)} after`,
      );
    }
    assert.ok(
      grown <= HEAP_SLACK_BYTES,
      `heap grew ${mib(grown)} over ${EDITS} edits (${mib(before.heapUsed)} to ` +
        `${mib(after.heapUsed)}), more than ${mib(HEAP_SLACK_BYTES)}`,
    );
  });

  it('answers unknown methods and malformed messages with errors and keeps serving', async () => {
    client = await TestClient.start(folder);
    await assert.rejects(client.request('snowgov/noSuchMethod', {}), (error: { code?: number }) => {
      assert.equal(error.code, -32601);

      return true;
    });

    const garbage = [
      '{not json',
      '{"jsonrpc":"2.0","id":"x","method":42}',
      '[]',
      'null',
      '{"jsonrpc":"2.0"}',
    ];
    for (const body of garbage) {
      client.writeRaw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    await assert.rejects(client.request('snowgov/stillThere', {}), (error: { code?: number }) => {
      assert.equal(error.code, -32601);

      return true;
    });

    const text = 'GRANT SELECT ON TABLE crm.core.orders TO USER alice;\n';
    const diagnostics = await client.open(FILE, text);
    assert.deepEqual(comparable(diagnostics), comparable(expectedDiagnostics(text)));
  });
});
