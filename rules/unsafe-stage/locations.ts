import type { Catalog, Location } from '../../server/src/engine/model/catalog';

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
export function integrationFor(
  url: string,
  catalog: Catalog,
  existsBefore: (at: Location) => boolean,
): string | undefined {
  // Only an integration for the URL's cloud that an earlier migration already created can serve.
  const provider = providerOf(url);
  const integrations = [...catalog.storageIntegrations.values()].filter(
    (integration) =>
      existsBefore(integration.at) &&
      (integration.provider === undefined || providerOf(`${integration.provider}://`) === provider),
  );
  const covering = integrations.find((integration) =>
    integration.allowedLocations.some((location) => location === '*' || url.startsWith(location)),
  );
  if (covering) return covering.key;

  return integrations.length === 1 ? integrations[0].key : undefined;
}

/** The cloud a URL or STORAGE_PROVIDER names: `s3gov://…` and `S3CHINA` are both S3. */
function providerOf(url: string): string {
  const scheme = /^([a-z0-9]+):\/\//i.exec(url)?.[1]?.toUpperCase() ?? '';
  if (scheme.startsWith('S3')) return 'S3';
  if (scheme === 'AZURE') return 'AZURE';
  if (scheme === 'GCS') return 'GCS';

  return scheme;
}
