import { defineRule } from '../../server/src/engine/rules/define';
import {
  type Options,
  checkColumn,
  checkLikeColumns,
  checkPolicyType,
  type MessageId,
} from './checks';
import { checkCopies } from './copies';

export default defineRule<Options, MessageId>({
  name: 'unmasked-pii-column',
  description: 'Columns holding personal data that no masking policy protects',
  category: 'data-protection',
  defaultSeverity: 'error',
  messages: {
    unmasked:
      'Column {{column}} of {{table}} holds {{category}} (judged by {{evidence}}), and after ' +
      'all migrations no masking policy protects it, directly or through a tag. Every role that ' +
      'can read the table sees clear values.',
    failsOpen:
      'Column {{column}} of {{table}} holds {{category}} (judged by {{evidence}}), but its ' +
      'masking policy {{policy}} does not hide it: {{reason}}. Make the policy return a masked ' +
      'value unless IS_ROLE_IN_SESSION grants access.',
    policyTypeMismatch:
      'Masking policy {{policy}} takes {{policyType}}, but column {{column}} is {{columnType}}; ' +
      'Snowflake refuses to attach it. Attach a policy whose first argument is {{columnType}}.',
    copiesPii:
      'This {{what}} copies {{sources}} into {{target}}, which no masking policy protects, so ' +
      'every role that can read the copy sees clear values. Mask the target column too.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      categories: {
        type: 'array',
        items: { type: 'string', format: 'category' },
        description:
          'Categories of personal data that must be masked, by id (built-in or defined under ' +
          'classification.categories); every known category when left out.',
      },
      unmaskedRoles: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Roles that see clear values in masking policies the fix creates; overrides ' +
          'access.unmaskedRoles for this rule.',
      },
      approvedPolicies: {
        type: 'object',
        additionalProperties: { type: 'string' },
        propertyNames: { format: 'category' },
        description:
          'Category id → fully qualified masking policy approved for it; the quick-fix attaches ' +
          'it instead of looking for or creating one.',
      },
      policiesFile: {
        type: 'string',
        minLength: 1,
        format: 'path',
        description:
          'File where the quick-fix creates new masking policies, e.g. ' +
          'migrations/R__masking_policies.sql, relative to the folder of snowgov.yml; created ' +
          'when absent. The policy is attached where it exists in migration order: in the ' +
          "column's file when the policies file runs first, else in the policies file itself.",
      },
      quasiIdentifierSeverity: {
        type: 'string',
        enum: ['error', 'warning', 'info'],
        description:
          'Severity for date of birth, postal code and gender, which identify people only in ' +
          'combination.',
      },
    },
  },
  defaultOptions: {
    unmaskedRoles: ['PII_READER'],
    quasiIdentifierSeverity: 'warning',
  },

  check(statement, context) {
    if (statement.kind === 'create-table') {
      // Under the name it has after all migrations: a RENAME TO or SWAP WITH keeps its findings.
      const table = context.catalog.tableDefinedBy(statement);
      if (table) {
        for (const definition of statement.columns) {
          checkColumn(definition, table, statement, context);
          checkPolicyType(definition.maskingPolicy, definition.name, table, context);
        }
        if (statement.likeOf) checkLikeColumns(table, statement.likeOf, context);
      }
      checkCopies(statement, context);
    } else if (statement.kind === 'alter-table') {
      // A table no linted file creates is judged by what the migrations and the account say.
      const table =
        context.catalog.findTableByName(statement.name, context.session) ??
        (statement.objectType === 'TABLE'
          ? context.catalog.findExternalTableByName(statement.name, context.session)
          : undefined);
      if (!table || table.kind === 'view') return;
      for (const action of statement.actions) {
        if (action.type === 'add-column') checkColumn(action.column, table, statement, context);
        if (action.type === 'alter-column' && action.action.type === 'set-masking-policy') {
          checkPolicyType(action.action.policy, action.column, table, context);
        }
      }
    } else if (statement.kind === 'insert') {
      checkCopies(statement, context);
    }
  },
});
