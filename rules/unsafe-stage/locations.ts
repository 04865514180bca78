import type { Catalog } from '../../server/src/engine/model/catalog';

/**
 * A URL as messages show it: the query string is dropped, because Azure SAS tokens and signed
 * URLs carry their secret there.
 */
export function shownUrl(url: string): string {
  return `'${url.replace(/[?#].*$/, '')}'`;
}

/** `@db.s.stage/path` → `db.s.stage` in canonical form; undefined for user and table stages. */
export function stageNameOf(reference: string): string | undefined {
  const body = reference.slice(1);
  if (body.startsWith('~') || body.startsWith('%')) return undefined;
  const name = body.split('/')[0];
  if (!name) return undefined;

  return name
    .split('.')
    .map((part) => (part.startsWith('"') ? part : part.toUpperCase()))
    .join('.');
}

/**
 * A storage integration for the fix: one whose allowed locations cover the URL, else the only one
 * the workspace defines. Undefined when there is no sensible choice.
 */
export function integrationFor(url: string, catalog: Catalog): string | undefined {
  const integrations = [...catalog.storageIntegrations.values()];
  const covering = integrations.find((integration) =>
    integration.allowedLocations.some((location) => location === '*' || url.startsWith(location)),
  );
  if (covering) return covering.key;

  return integrations.length === 1 ? integrations[0].key : undefined;
}
