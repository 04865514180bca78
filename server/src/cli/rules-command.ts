import type { Command } from 'commander';
import type { CliEnvironment } from './environment';
import { UsageError } from './lint-options';
import { type RuleInfo, readRuleDoc, ruleInfos } from './rule-docs';

/** Registers `snowgov rules` and `snowgov explain`; `done` receives the exit status. */
export function addRuleCommands(
  program: Command,
  environment: CliEnvironment,
  done: (status: number) => void,
): void {
  program
    .command('rules')
    .description('List the rules with their default severity, fix safety and summary.')
    .action(() => {
      const readDoc = environment.readRuleDoc ?? readRuleDoc;
      environment.stdout.write(rulesTable(ruleInfos(environment.rules), readDoc));
      done(0);
    });

  program
    .command('explain')
    .description("Print a rule's documentation: what it flags, why, examples and fix safety.")
    .argument('<rule>', 'the rule name, as `snowgov rules` lists it')
    .action((name: string) => {
      const infos = ruleInfos(environment.rules);
      if (!infos.some((info) => info.name === name)) {
        const known = infos.map((info) => info.name).join(', ');
        throw new UsageError(`there is no rule '${name}'. Known rules: ${known}.`);
      }
      const doc = (environment.readRuleDoc ?? readRuleDoc)(name);
      const info = infos.find((candidate) => candidate.name === name);
      environment.stdout.write(doc ?? `${name}: ${info?.description}\nSee ${info?.helpUri}\n`);
      done(0);
    });
}

/**
 * Columns padded to their widest cell, the description last. FIX says how far a fix may be
 * trusted (safe, unsafe, suggestion) and how often one is offered, or `-` for never. CIS names
 * the CIS Snowflake Foundations recommendations the rule's documentation cites.
 */
function rulesTable(
  infos: readonly RuleInfo[],
  readDoc: (name: string) => string | undefined,
): string {
  const rows = [
    ['RULE', 'SEVERITY', 'FIX', 'CIS', 'DESCRIPTION'],
    ...infos.map((info) => [
      info.name,
      info.defaultSeverity,
      info.fix.availability === 'never' ? '-' : `${info.fix.safety} (${info.fix.availability})`,
      cisReferences(readDoc(info.name) ?? ''),
      info.description,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));

  return rows
    .map(
      (row) =>
        `${row
          .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
          .join('  ')}\n`,
    )
    .join('');
}

/** `1.12, 1.13` from the `CIS 1.12` and `CIS 1.13, 1.14` mentions of a rule's README, or `-`. */
function cisReferences(doc: string): string {
  const ids = new Set<string>();
  for (const match of doc.matchAll(
    /\bCIS(?: Snowflake Foundations)?(?: v\d[\d.]*)?\s+((?:\d+\.\d+(?:\s*(?:,|and|–|-)\s*)?)+)/g,
  )) {
    for (const id of match[1].match(/\d+\.\d+/g) ?? []) ids.add(id);
  }
  const sorted = [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  return sorted.length > 0 ? sorted.join(', ') : '-';
}
