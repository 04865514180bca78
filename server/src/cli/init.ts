import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE_NAMES } from '../node/config-file';
import type { CliEnvironment } from './environment';

const SCHEMA_URL =
  'https://raw.githubusercontent.com/snowgov/snowgov/main/schemas/snowgov.schema.json';

/** A commented starter file: every section present, the defaults spelled out or explained. */
export const STARTER_CONFIG = `# yaml-language-server: $schema=${SCHEMA_URL}
# snowgov settings. Every key is optional; delete what you do not need.
# Rule documentation: https://github.com/snowgov/snowgov/tree/main/rules

rules:
  # A severity alone (error, warning, info, off), or a severity with options.
  grant-to-user:
    severity: error
    options:
      # Break-glass and service users that may receive roles in migrations.
      allowedUsers: []
  accountadmin-use: error
  unmasked-pii-column:
    severity: error
    options:
      # Policies your governance team approved, by category; the quick-fix attaches them.
      # approvedPolicies:
      #   email: GOVERNANCE.POLICIES.MASK_EMAIL
      quasiIdentifierSeverity: warning
  forbidden-projection:
    options:
      combinations:
        - name: date of birth, postal code and gender
          categories: [date_of_birth, postal_code, gender]
  unsafe-stage: error
  # Statements snowgov cannot parse; the rest of the file is still checked.
  parse-error: warning

# Who may see personal data in clear: the masking the quick-fixes write shows these roles clear
# values, and outputs masked for everyone else do not count. A rule's own unmaskedRoles option
# overrides this for that rule.
access:
  unmaskedRoles: [PII_READER]

# What counts as personal data, beyond the built-in categories (email, phone, person_name,
# national_id, date_of_birth, street_address, postal_code, ip_address, mac_address,
# payment_card, bank_account, passport, drivers_license, gender).
classification:
  categories: []
  #  - id: customer_number
  #    label: customer number
  #    namePatterns: ['^cust(omer)?_?(no|num|number)$']
  # Tags whose value names a category (PII, PII_TYPE and SEMANTIC_CATEGORY are built in).
  tagNames: []
  # Columns that are never personal data, whatever else matches: a plain name (email) means
  # that column alone; anything else is a regular expression over the snake_case name,
  # matched anywhere unless anchored (^support_.*_email$).
  ignoreColumns: []

# Globs relative to this file.
exclude: []
`;

/** `snowgov init [dir]`: writes a starter snowgov.yml, never over an existing config. */
export function addInitCommand(
  program: Command,
  environment: CliEnvironment,
  setStatus: (status: number) => void,
): void {
  program
    .command('init')
    .description('Write a commented starter snowgov.yml.')
    .argument('[dir]', 'the folder to write it in', '.')
    .option('--force', 'overwrite an existing snowgov.yml')
    .action((dir: string, options: { force?: boolean }) => {
      const folder = resolve(environment.cwd, dir);
      const existing = CONFIG_FILE_NAMES.map((name) => resolve(folder, name)).find((path) =>
        existsSync(path),
      );
      if (existing && !options.force) {
        environment.stderr.write(
          `snowgov: ${existing} already exists; edit it, or run 'snowgov init --force' to ` +
            'replace it.\n',
        );
        setStatus(2);

        return;
      }
      const target = existing ?? resolve(folder, 'snowgov.yml');
      try {
        writeFileSync(target, STARTER_CONFIG);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        environment.stderr.write(`snowgov: cannot write ${target}: ${reason}\n`);
        setStatus(2);

        return;
      }
      environment.stdout.write(`Wrote ${target}\n`);
      setStatus(0);
    });
}
