import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { allRules } from '../rules';
import { type Finding, type Rule, PARSE_ERROR_RULE, parseConfig } from '../server/src/engine';
import type { AccountState } from '../server/src/engine/account-state';
import { lintFiles } from './helpers/lint';

/** The outline of every rule's `README.md`, in order (style guide, section 4). */
const HEADINGS = [
  'What it flags',
  'Why it matters',
  'Example',
  'Use instead',
  'Options',
  'Fix safety',
  'Known limitations',
  'References',
];

const rulesDir = path.resolve(__dirname, '../rules');
const HELPER_FOLDERS = new Set(['util']);
const DOC_FILE = 'V1__doc.sql';

interface CodeBlock {
  readonly language: string;
  readonly code: string;
  /** 1-based line of the opening fence in the README. */
  readonly line: number;
}

interface Section {
  readonly heading: string;
  readonly lines: string[];
  readonly blocks: CodeBlock[];
}

interface RuleDoc {
  readonly title: string;
  /** Non-blank lines between the title and the first `##` heading. */
  readonly preamble: string[];
  readonly sections: Section[];
}

/**
 * Holds each rule's `README.md` to the outline and runs its SQL: every block under "Example" must
 * raise the rule, every block under "Use instead" must not, and no block may have syntax errors.
 * Each block is linted as one file on its own, so it carries the CREATE statements it needs.
 */
describe('rule docs', () => {
  it('registers a rule for every folder under rules/ except helper folders', () => {
    const folders = readdirSync(rulesDir).filter(
      (name) => statSync(path.join(rulesDir, name)).isDirectory() && !HELPER_FOLDERS.has(name),
    );
    const names = allRules.map((rule) => rule.name);
    assert.deepEqual(
      folders.filter((folder) => !names.includes(folder)),
      [],
      'these folders hold no registered rule',
    );
    assert.equal(new Set(names).size, names.length, 'rule names must be unique');
  });

  for (const rule of allRules) describeRule(rule);
});

function describeRule(rule: Rule): void {
  const folder = path.join(rulesDir, rule.name);
  const readmePath = path.join(folder, 'README.md');
  const doc = existsSync(readmePath) ? readDoc(readFileSync(readmePath, 'utf8')) : undefined;
  const section = (heading: string): Section | undefined =>
    doc?.sections.find((candidate) => candidate.heading === heading);
  const sqlBlocks = (heading: string): CodeBlock[] =>
    (section(heading)?.blocks ?? []).filter((block) => block.language === 'sql');
  // A rule about the account itself shows account states (YAML) where others show SQL.
  const exampleBlocks = (heading: string): CodeBlock[] =>
    rule.live === 'account'
      ? (section(heading)?.blocks ?? []).filter((block) => block.language === 'yaml')
      : sqlBlocks(heading);

  describe(rule.name, () => {
    it('lives in a folder named exactly like the rule', () => {
      assert.ok(readdirSync(rulesDir).includes(rule.name), `rules/${rule.name}/ is missing`);
      assert.ok(statSync(folder).isDirectory());
    });

    it('has a cases.yaml that names the rule', () => {
      const casesPath = path.join(folder, 'cases.yaml');
      assert.ok(existsSync(casesPath), `rules/${rule.name}/cases.yaml is missing`);
      const cases = parse(readFileSync(casesPath, 'utf8')) as { rule?: unknown };
      assert.equal(cases.rule, rule.name);
    });

    it('has a README titled with the rule name and a one-line summary', () => {
      assert.ok(doc, `rules/${rule.name}/README.md is missing`);
      assert.equal(doc.title, `# ${rule.name}`);
      assert.equal(doc.preamble.length, 1, 'the title is followed by a one-sentence summary');
      assert.match(doc.preamble[0], /^[^#].*[.]$/);
    });

    it('uses the eight section headings in order, spelled exactly', () => {
      assert.deepEqual(
        doc?.sections.map((candidate) => candidate.heading),
        HEADINGS,
      );
    });

    it('shows SQL (an account state for account rules) under "Example" and "Use instead"', () => {
      const kind = rule.live === 'account' ? 'yaml' : 'sql';
      assert.ok(exampleBlocks('Example').length > 0, `no \`\`\`${kind} block under "Example"`);
      assert.ok(
        exampleBlocks('Use instead').length > 0,
        `no \`\`\`${kind} block under "Use instead"`,
      );
    });

    exampleBlocks('Example').forEach((block, index) => {
      it(`raises the rule on Example block ${index + 1} (README line ${block.line})`, () => {
        const own = findingsOf(rule, block);
        assert.ok(own.length > 0, `the block raises no ${rule.name} finding:\n${block.code}`);
      });
    });

    exampleBlocks('Use instead').forEach((block, index) => {
      it(`raises nothing on Use instead block ${index + 1} (README line ${block.line})`, () => {
        assert.deepEqual(
          findingsOf(rule, block).map((finding) => finding.message),
          [],
        );
      });
    });

    it('parses every other SQL block in the README cleanly', () => {
      const shown = new Set([...exampleBlocks('Example'), ...exampleBlocks('Use instead')]);
      const others = (doc?.sections ?? [])
        .flatMap((candidate) => candidate.blocks)
        .filter((block) => block.language === 'sql' && !shown.has(block));
      for (const block of others) findingsOf(rule, block);
    });

    it('raises every message of the rule somewhere under "Example"', () => {
      const raised = new Set(
        exampleBlocks('Example').flatMap((block) =>
          findingsOf(rule, block).map((f) => f.messageId),
        ),
      );
      const missing = Object.keys(rule.messages).filter((messageId) => !raised.has(messageId));
      assert.deepEqual(missing, [], 'no Example block shows these messages');
    });

    it('documents every option of the schema, or says "None."', () => {
      const options = Object.keys(
        (rule.optionsSchema as { properties?: Record<string, unknown> }).properties ?? {},
      );
      const text = (section('Options')?.lines ?? []).join('\n').trim();
      if (options.length === 0) {
        assert.equal(text, 'None.');

        return;
      }
      for (const option of options) {
        assert.ok(text.includes(`\`${option}\``), `option \`${option}\` is not documented`);
      }
      assert.ok(
        section('Options')?.blocks.some((block) => block.language === 'yaml'),
        'no snowgov.yaml example under "Options"',
      );
    });

    it('gives snowgov.yaml examples that configure this rule without problems', () => {
      for (const block of section('Options')?.blocks ?? []) {
        if (block.language !== 'yaml') continue;
        const { problems } = parseConfig(block.code, `README line ${block.line}`, allRules);
        assert.deepEqual(problems, []);
        const config = parse(block.code) as { rules?: Record<string, unknown> };
        assert.ok(config.rules?.[rule.name], `the example does not configure ${rule.name}`);
      }
    });

    it('states the fix safety the rule declares', () => {
      const text = (section('Fix safety')?.lines ?? []).join('\n');
      const expected =
        rule.fix.availability === 'never' ? /\bno fix\b/i : new RegExp(`\\b${rule.fix.safety}\\b`);
      assert.match(text, expected);
    });

    it('links its references to docs.snowflake.com', () => {
      const links = (section('References')?.lines ?? []).flatMap((line) =>
        [...line.matchAll(/\]\((\S+)\)/g)].map((match) => match[1]),
      );
      assert.ok(links.length > 0, 'no links under "References"');
      for (const link of links) assert.match(link, /^https:\/\/docs\.snowflake\.com\/en\//);
    });
  });
}

const lintCache = new Map<string, readonly Finding[]>();

/**
 * This rule's findings for one block, after checking that the block parses cleanly. Rules that
 * only `snowgov check` raises are judged as it does: SQL with an empty account, and a YAML
 * block (an account state) on its own.
 */
function findingsOf(rule: Rule, block: CodeBlock): readonly Finding[] {
  const key = `${rule.live ?? ''}\u0000${block.language}\u0000${block.code}`;
  let findings = lintCache.get(key);
  if (!findings) {
    const files = block.language === 'yaml' ? { [DOC_FILE]: '' } : { [DOC_FILE]: block.code };
    const account =
      block.language === 'yaml'
        ? (parse(block.code) as Partial<AccountState>)
        : rule.live
          ? {}
          : undefined;
    findings = [...lintFiles(files, account === undefined ? {} : { account }).values()].flat();
    lintCache.set(key, findings);
  }
  const syntaxErrors = findings.filter((finding) => finding.ruleId === PARSE_ERROR_RULE);
  assert.deepEqual(
    syntaxErrors.map((finding) => finding.message),
    [],
    `README line ${block.line}: the block must parse cleanly`,
  );

  return findings.filter((finding) => finding.ruleId === rule.name);
}

/** Splits a README into its title, summary and `##` sections, keeping fenced code apart. */
function readDoc(text: string): RuleDoc {
  const lines = text.split(/\r?\n/);
  const preamble: string[] = [];
  const sections: Section[] = [];
  let fence: { language: string; line: number; code: string[] } | undefined;

  lines.slice(1).forEach((line, index) => {
    const current = sections[sections.length - 1];
    if (fence) {
      if (line.trim() === '```') {
        const { language, line: start, code } = fence;
        current?.blocks.push({ language, code: code.join('\n'), line: start });
        fence = undefined;
      } else {
        fence.code.push(line);
      }
    } else if (line.startsWith('```')) {
      fence = { language: line.slice(3).trim(), line: index + 2, code: [] };
    } else if (line.startsWith('## ')) {
      sections.push({ heading: line.slice(3).trim(), lines: [], blocks: [] });
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() !== '') {
      preamble.push(line);
    }
  });

  return { title: lines[0] ?? '', preamble, sections };
}
