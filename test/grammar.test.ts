/**
 * Tokenizes sample SQL with the TextMate grammar through vscode-textmate and Oniguruma, the
 * engines VS Code itself uses, and asserts the scopes of the constructs the grammar promises.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, Registry, parseRawGrammar } from 'vscode-textmate';

const GRAMMAR = join(__dirname, '..', 'syntaxes', 'snowflake-sql.tmLanguage.json');
const SCOPE = 'source.snowflake-sql';

let grammar: IGrammar;

/** Each token of the text as `[text, innermost scope, all scopes]`, line by line. */
function tokens(text: string): { text: string; scopes: string[] }[] {
  const result: { text: string; scopes: string[] }[] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const lineTokens = grammar.tokenizeLine(line, state);
    for (const token of lineTokens.tokens) {
      result.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = lineTokens.ruleStack;
  }

  return result;
}

/** The scopes of the first token whose text is exactly `text`. */
function scopesOf(text: string, sample: string): string[] {
  const token = tokens(sample).find((candidate) => candidate.text === text);
  assert.ok(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(sample)}`);

  return token.scopes;
}

function assertScope(text: string, sample: string, scope: string): void {
  const scopes = scopesOf(text, sample);
  assert.ok(
    scopes.some((candidate) => candidate.startsWith(scope)),
    `${JSON.stringify(text)} has ${scopes.join(' ')}, not ${scope}`,
  );
}

describe('TextMate grammar', function () {
  before(async function () {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.length));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
    });
    const loaded = await registry.loadGrammar(SCOPE);
    assert.ok(loaded, 'the grammar loads');
    grammar = loaded;
  });

  it('scopes --, // and /* */ comments', function () {
    assertScope('-- note', 'SELECT 1; -- note', 'comment.line.double-dash');
    assertScope('// note', 'SELECT 1; // note', 'comment.line.double-slash');
    assertScope(' block ', 'SELECT /* block */ 1;', 'comment.block');
    assertScope(' still ', '/* one\n still */ SELECT 1;', 'comment.block');
  });

  it('scopes single-quoted strings and their escapes', function () {
    assertScope('abc', "SELECT 'abc';", 'string.quoted.single');
    assertScope("''", "SELECT 'it''s';", 'constant.character.escape');
  });

  it('scopes quoted identifiers apart from strings', function () {
    assertScope('Mixed Case', 'SELECT "Mixed Case" FROM t;', 'variable.other.quoted');
  });

  it('scopes $$ bodies and highlights the SQL inside them', function () {
    const sample =
      'CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$\n  GRANT ROLE r TO USER u;\n$$;';
    const grant = scopesOf('GRANT', sample);
    assert.ok(
      grant.some((scope) => scope.startsWith('meta.embedded.block')),
      grant.join(' '),
    );
    assert.ok(
      grant.some((scope) => scope.startsWith('keyword.other.dcl')),
      grant.join(' '),
    );
  });

  it('scopes stage references as one token', function () {
    assertScope(
      '@crm.core.landing/customers/',
      'COPY INTO t FROM @crm.core.landing/customers/;',
      'string.other.stage',
    );
  });

  it('scopes governance keywords and functions', function () {
    const sample =
      "CREATE MASKING POLICY p AS (v VARCHAR) RETURNS VARCHAR -> CASE WHEN IS_ROLE_IN_SESSION('R') THEN v END;";
    assertScope('MASKING POLICY', sample, 'keyword.other.governance');
    assertScope('IS_ROLE_IN_SESSION', sample, 'support.function.governance');
  });

  it('leaves a comment marker inside a string alone', function () {
    assertScope('-- not a comment', "SELECT '-- not a comment';", 'string.quoted.single');
  });
});
