/**
 * Tokenizes sample SQL with the TextMate grammar through vscode-textmate and Oniguruma, the
 * engines VS Code itself uses, and asserts the scopes of the constructs the grammar promises.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, Registry, parseRawGrammar } from 'vscode-textmate';

const GRAMMAR = join(__dirname, '..', 'syntaxes', 'snowflake-sql.tmLanguage.json');
const SCOPE = 'source.snowflake-sql';
const INJECTION = join(__dirname, '..', 'syntaxes', 'snowflake-sql.injection.tmLanguage.json');
const INJECTION_SCOPE = 'snowflake-sql.injection';
/** A stand-in for VS Code's built-in `sql` grammar: `--` comments, strings and a few keywords. */
const STAND_IN_SQL = join(__dirname, 'fixtures', 'grammar', 'sql.tmLanguage.json');
/** The real built-in `sql` grammar, from the code-server that the VS Code tests install. */
const VSCODE_SQL = join(
  __dirname,
  '..',
  '.vscode-test/code-server/node_modules/code-server/lib/vscode/extensions/sql/syntaxes/sql.tmLanguage.json',
);

let grammar: IGrammar;

/**
 * A registry that knows the snowflake-sql grammars and the `source.sql` grammar at `sqlPath`,
 * with the injection grammar injected into `source.sql` as package.json contributes it.
 */
function registryWith(sqlPath: string): Registry {
  const files: Record<string, string> = {
    [SCOPE]: GRAMMAR,
    [INJECTION_SCOPE]: INJECTION,
    'source.sql': sqlPath,
  };
  const contributed = (
    JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; injectTo?: string[] }[] };
    }
  ).contributes.grammars;

  return new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];

      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) =>
      contributed
        .filter((entry) => entry.injectTo?.includes(scopeName))
        .map((entry) => entry.scopeName),
  });
}

/** Each token of the text as `[text, innermost scope, all scopes]`, line by line. */
function tokens(text: string, using: IGrammar = grammar): { text: string; scopes: string[] }[] {
  const result: { text: string; scopes: string[] }[] = [];
  let state = INITIAL;
  for (const line of text.split('\n')) {
    const lineTokens = using.tokenizeLine(line, state);
    for (const token of lineTokens.tokens) {
      result.push({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = lineTokens.ruleStack;
  }

  return result;
}

/** The scopes of the first token whose text is exactly `text`. */
function scopesOf(text: string, sample: string, using: IGrammar = grammar): string[] {
  const token = tokens(sample, using).find((candidate) => candidate.text === text);
  assert.ok(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(sample)}`);

  return token.scopes;
}

function assertScope(text: string, sample: string, scope: string, using?: IGrammar): void {
  const scopes = scopesOf(text, sample, using);
  assert.ok(
    scopes.some((candidate) => candidate.startsWith(scope)),
    `${JSON.stringify(text)} has ${scopes.join(' ')}, not ${scope}`,
  );
}

let onigLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  onigLoaded ??= oniguruma.loadWASM(
    wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.length),
  );

  return onigLoaded;
}

describe('TextMate grammar', function () {
  before(async function () {
    await loadOniguruma();
    const loaded = await registryWith(STAND_IN_SQL).loadGrammar(SCOPE);
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

  it('scopes :: casts and the type cast to', function () {
    const sample = 'SELECT amount::NUMBER(10, 2), id::varchar FROM t;';
    assertScope('::', sample, 'keyword.operator.cast');
    assertScope('NUMBER', sample, 'storage.type.cast');
    assertScope('varchar', sample, 'storage.type.cast');
  });

  it('scopes semi-structured paths apart from bind variables and casts', function () {
    const sample = 'SELECT src:customer.address[0], :bind, v::VARIANT FROM t;';
    assertScope('src', sample, 'variable.other.column');
    assertScope('customer.address[0]', sample, 'variable.other.member.path');
    assertScope(':bind', sample, 'variable.other.bind');
    assertScope('VARIANT', sample, 'storage.type.cast');
  });
});

for (const [label, sqlGrammar] of [
  ['a stand-in sql grammar', STAND_IN_SQL],
  ["VS Code's built-in sql grammar", VSCODE_SQL],
] as const) {
  describe(`TextMate injection into ${label}`, function () {
    let sql: IGrammar;

    before(async function () {
      // The built-in grammar comes with code-server (scripts/install-code-server.sh).
      if (!existsSync(sqlGrammar)) this.skip();
      await loadOniguruma();
      const loaded = await registryWith(sqlGrammar).loadGrammar('source.sql');
      assert.ok(loaded, 'the sql grammar loads');
      sql = loaded;
    });

    it('highlights $$ bodies with the full Snowflake grammar inside', function () {
      const sample =
        'CREATE PROCEDURE p() RETURNS VARCHAR LANGUAGE SQL AS $$\n  GRANT ROLE r TO USER u;\n$$;';
      const grant = scopesOf('GRANT', sample, sql);
      assert.ok(grant.includes('source.sql'), grant.join(' '));
      assert.ok(
        grant.some((scope) => scope.startsWith('meta.embedded.block.snowflake-sql')),
        grant.join(' '),
      );
      assert.ok(
        grant.some((scope) => scope.startsWith('keyword.other.dcl.snowflake-sql')),
        grant.join(' '),
      );
    });

    it('scopes // comments, stages, casts, paths and governance keywords', function () {
      assertScope('// note', 'SELECT 1; // note', 'comment.line.double-slash', sql);
      assertScope(
        '@crm.core.landing/customers/',
        'COPY INTO t FROM @crm.core.landing/customers/;',
        'string.other.stage',
        sql,
      );
      assertScope('::', 'SELECT id::varchar FROM t;', 'keyword.operator.cast', sql);
      assertScope('a.b', 'SELECT col:a.b FROM t;', 'variable.other.member.path', sql);
      const policy = 'ALTER TABLE t MODIFY COLUMN c SET MASKING POLICY p;';
      assertScope('MASKING POLICY', policy, 'keyword.other.governance', sql);
    });

    it('leaves strings and comments of the sql grammar alone', function () {
      const string = scopesOf('@not_a_stage', "SELECT '@not_a_stage';", sql);
      assert.ok(
        string.some((scope) => scope.startsWith('string.quoted')),
        string.join(' '),
      );
      assert.ok(!string.some((scope) => scope.startsWith('string.other.stage')), string.join(' '));
      const comment = tokens('SELECT 1; -- MASKING POLICY', sql).flatMap((token) => token.scopes);
      assert.ok(comment.some((scope) => scope.startsWith('comment.line')));
      assert.ok(!comment.some((scope) => scope.startsWith('keyword.other.governance')));
    });
  });
}
