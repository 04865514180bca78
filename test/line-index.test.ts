/**
 * A line index made from the last one across an edit must equal one built from the new text,
 * whatever mix of LF, CR and CRLF the edit joins or splits.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../server/src/engine/source';

const RUNS = Math.max(200, Number(process.env.SNOWGOV_FUZZ_RUNS ?? 2000));
const piece = fc.constantFrom('a', 'bc', '\n', '\r', '\r\n', '\n\r');
const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

function lineStartsOf(index: LineIndex, text: string): number[] {
  return Array.from({ length: index.lineCount }, (_, line) => index.lineStart(line)).concat(
    text.length,
  );
}

describe('LineIndex.edited', () => {
  it('equals the index of the edited text', () => {
    fc.assert(
      fc.property(text, text, fc.nat(), fc.nat(), (before, inserted, at, length) => {
        const start = at % (before.length + 1);
        const oldEnd = start + (length % (before.length - start + 1));
        const after = before.slice(0, start) + inserted + before.slice(oldEnd);
        const edited = new LineIndex(before).edited(after, {
          start,
          oldEnd,
          newEnd: start + inserted.length,
        });

        assert.deepEqual(lineStartsOf(edited, after), lineStartsOf(new LineIndex(after), after));
      }),
      { numRuns: RUNS },
    );
  });
});
