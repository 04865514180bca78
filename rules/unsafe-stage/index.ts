import type { Classifier } from '../../server/src/engine/model/classify';
import type { LineageSource } from '../../server/src/engine/lineage/types';
import { sourceCategories } from '../util/exposure';
import {
  type Catalog,
  type Location,
  type SessionState,
  propertyValue,
} from '../../server/src/engine/model/catalog';
import { type FixDraft, type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import type {
  CopyIntoStatement,
  CreateStageStatement,
  Property,
} from '../../server/src/engine/syntax/ast';
import { splitKey } from '../../server/src/engine/model/names';
import { shownName } from '../util/names';
import { integrationFor, shownUrl, stageNameOf } from './locations';

type MessageId = 'inlineCredentials' | 'noIntegration' | 'unloadToUrl' | 'piiToExternalStage';

export default defineRule<Record<string, never>, MessageId>({
  name: 'unsafe-stage',
  description: 'Stages and unloads that embed cloud credentials or send data to outside storage',
  category: 'exfiltration',
  defaultSeverity: 'error',
  messages: {
    inlineCredentials:
      '{{what}} embeds cloud credentials ({{keys}}) in SQL. They end up in the migration ' +
      'history, query history and every clone of this repository. Use a storage integration.',
    noIntegration:
      'External stage {{stage}} reads {{url}} without a storage integration, so access to the ' +
      'bucket is not governed by Snowflake. Create the stage with STORAGE_INTEGRATION = <name>.',
    unloadToUrl:
      'COPY INTO {{url}} unloads data to a storage location named inline{{how}}. Unload to a ' +
      'named stage with a storage integration, and set PREVENT_UNLOAD_TO_INLINE_URL.',
    piiToExternalStage:
      'COPY INTO {{stage}} unloads {{source}}, which holds personal data ({{columns}}), to ' +
      'external storage at {{url}}. Unload only masked or aggregated data.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'create-stage') checkStage(statement, context);
    if (statement.kind === 'copy-into') checkCopy(statement, context);
  },
});

type Context = RuleContext<Record<string, never>, MessageId>;

function checkStage(statement: CreateStageStatement, context: Context): void {
  const url = propertyValue(statement.properties, 'URL')?.value;
  const integration = propertyValue(statement.properties, 'STORAGE_INTEGRATION');
  const credentials = secretCredentials(statement.properties);
  if (credentials) {
    // Keys in the SQL are a leak whatever else the stage names.
    const fixes =
      url?.kind === 'string' && !integration
        ? integrationFix(credentials, url.value, context.catalog, (at) =>
            isBefore(at, statement, context),
          )
        : [];
    context.report({
      messageId: 'inlineCredentials',
      span: credentials,
      data: { what: `Stage ${shownName(statement.name)}`, keys: credentialKeys(credentials) },
      fixes,
    });

    return;
  }
  // A URL or integration given as a session variable cannot be judged before run time.
  if (!url || url.kind !== 'string' || integration) return;
  context.report({
    messageId: 'noIntegration',
    span: statement.name,
    data: { stage: shownName(statement.name), url: shownUrl(url.value) },
  });
}

function checkCopy(statement: CopyIntoStatement, context: Context): void {
  const credentials = secretCredentials(statement.properties);
  if (credentials) {
    context.report({
      messageId: 'inlineCredentials',
      span: credentials,
      data: { what: 'This COPY INTO', keys: credentialKeys(credentials) },
    });
  }
  const target = statement.target;
  if (target.type === 'url') {
    context.report({
      messageId: 'unloadToUrl',
      span: target,
      data: {
        url: shownUrl(target.url.value),
        // An integration bounds where the unload may write, but the statement still picks it.
        how: propertyValue(statement.properties, 'STORAGE_INTEGRATION')
          ? ', so each statement chooses where the data goes within what the integration allows'
          : ', outside any stage or integration the account controls',
      },
    });

    return;
  }
  if (target.type !== 'stage') return;
  const stageName = stageNameOf(target.stage);
  if (!stageName) return;
  const stage = context.catalog.findStage(qualify(stageName, context.session));
  if (!stage?.url) return;
  const pii = piiColumnsOf(
    statement,
    context.classifier,
    context.catalog,
    context.session,
    context.lineage,
  );
  if (pii.length === 0) return;
  context.report({
    messageId: 'piiToExternalStage',
    span: target,
    data: {
      stage: target.stage,
      source: statement.source.type === 'table' ? shownName(statement.source.name) : 'a query',
      columns: pii.join(', '),
      url: shownUrl(stage.url),
    },
  });
}

/**
 * `CREDENTIALS = (…)` when it holds a secret. `AWS_ROLE` alone names a role ARN, which is
 * deprecated in favour of integrations but is no secret.
 */
function secretCredentials(properties: readonly Property[]): Property | undefined {
  const credentials = propertyValue(properties, 'CREDENTIALS');
  const keys = credentials?.nested?.map((property) => property.key) ?? [];

  return keys.length > 0 && keys.every((key) => key === 'AWS_ROLE') ? undefined : credentials;
}

/** Only the property names: the values are secrets and never appear in a message. */
function credentialKeys(credentials: Property): string {
  const keys = (credentials.nested ?? []).map((property) => property.key);

  return keys.length > 0 ? keys.join(', ') : 'CREDENTIALS';
}

function integrationFix(
  credentials: Property,
  url: string,
  catalog: Catalog,
  existsBefore: (at: Location) => boolean,
): FixDraft[] {
  const integration = integrationFor(url, catalog, existsBefore);
  if (!integration) return [];

  return [
    {
      title: `Use storage integration ${integration} instead of inline credentials`,
      edits: [{ span: credentials, newText: `STORAGE_INTEGRATION = ${integration}` }],
    },
  ];
}

/** True when `at` comes before the statement in migration order (files are in that order). */
function isBefore(at: Location, statement: CreateStageStatement, context: Context): boolean {
  const order = (path: string): number => context.files.findIndex((file) => file.path === path);
  const here = order(context.file.path);
  const there = order(at.path);

  return there < here || (there === here && at.span.start < statement.start);
}

function qualify(name: string, session: SessionState): string {
  const parts = splitKey(name);
  if (parts.length === 1 && session.schema) parts.unshift(session.schema);
  if (parts.length === 2 && session.database) parts.unshift(session.database);

  return parts.join('.');
}

/** Personal-data columns (unmasked, traced through views) that the COPY reads. */
function piiColumnsOf(
  statement: CopyIntoStatement,
  classifier: Classifier,
  catalog: Catalog,
  session: SessionState,
  lineage: Context['lineage'],
): string[] {
  const sources: LineageSource[] = [];
  const source = statement.source;
  if (source.type === 'table') {
    const table = catalog.findTableByName(source.name, session);
    for (const column of table?.columns.keys() ?? [])
      sources.push({ table: table?.key ?? '', column });
    if (table?.kind === 'view' && table.statement.kind === 'create-view' && table.statement.query) {
      for (const output of lineage(table.statement.query)?.outputs ?? [])
        sources.push(...output.sources);
    }
  } else if (source.type === 'query') {
    for (const output of lineage(source.query)?.outputs ?? []) sources.push(...output.sources);
  }
  const found = new Set<string>();
  for (const item of sources) {
    for (const category of sourceCategories(item, {
      classifier,
      catalog,
      session,
      analyze: lineage,
    })) {
      found.add(`${item.column} (${classifier.label(category)})`);
    }
  }

  return [...found];
}
