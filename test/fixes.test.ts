import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine';

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
});
