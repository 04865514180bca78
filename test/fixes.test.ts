import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type TextEdit, applyEdits } from '../server/src/engine';

describe('applyEdits', () => {
  it('keeps the CRLF line breaks of a file that uses them', () => {
    const text = 'SELECT 1;\r\nSELECT 2;\r\n';
    const fixed = applyEdits(text, [
      { path: 'a.sql', span: { start: 11, end: 11 }, newText: 'CREATE ROLE r;\n' },
    ]);
    assert.equal(fixed, 'SELECT 1;\r\nCREATE ROLE r;\r\nSELECT 2;\r\n');
  });

  it('leaves LF files and overlapping edits alone', () => {
    const text = 'SELECT 1;\nSELECT 2;\n';
    const fixed = applyEdits(text, [
      { path: 'a.sql', span: { start: 0, end: 6 }, newText: 'select' },
      { path: 'a.sql', span: { start: 3, end: 8 }, newText: 'x' },
    ]);
    // The later edit is applied; the one overlapping it is dropped rather than corrupting text.
    assert.equal(fixed, 'SELx;\nSELECT 2;\n');
  });

  it('gives what applying the edits one by one from the end gives', () => {
    // The definition applyEdits is held to: the edit starting last first, each edit dropped when
    // it reaches into text an edit applied before it replaced.
    const oneByOne = (text: string, edits: readonly TextEdit[]): string => {
      const sorted = [...edits].sort(
        (a, b) => b.span.start - a.span.start || b.span.end - a.span.end,
      );
      let result = text;
      let limit = Number.POSITIVE_INFINITY;
      for (const { span, newText } of sorted) {
        if (span.end > limit || span.start < 0 || span.end > text.length) continue;
        result = result.slice(0, span.start) + newText + result.slice(span.end);
        limit = span.start;
      }

      return result;
    };
    const edit = fc
      .tuple(fc.nat({ max: 40 }), fc.nat({ max: 6 }), fc.constantFrom('', 'x', 'yz\n', ';'))
      .map(([start, length, newText]): TextEdit => ({
        path: 'a.sql',
        span: { start, end: start + length },
        newText,
      }));
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(edit, { maxLength: 8 }), (text, edits) => {
        const plain = text.replace(/\r/g, '');
        assert.equal(applyEdits(plain, edits), oneByOne(plain, edits));
      }),
      { numRuns: 500 },
    );
  });
});
