/**
 * Code frames quote the user's SQL, and CI logs are read by many; so, like the engine's
 * messages, they never show a secret. Values of credential-like properties and the query
 * strings of URLs (where SAS tokens and signatures live) are starred out. Lengths are kept,
 * so that columns and carets still line up with the file.
 */
const CREDENTIAL_VALUE =
  /\b(\w*(?:KEY|SECRET|TOKEN|PASSWORD|PASSPHRASE|CREDENTIALS?)\w*\s*=>?\s*)'((?:[^'\\]|\\.|'')*)'/gi;
const URL_QUERY = /'([a-z][a-z0-9+.-]*:\/\/[^'?\s]*)\?((?:[^'\\]|\\.|'')*)'/gi;
/** Secrets recognisable by their shape wherever they stand: AWS access key ids, PEM keys. */
const SHAPED_SECRET =
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

export function redactSecrets(text: string): string {
  return text
    .replace(CREDENTIAL_VALUE, (_, prefix: string, value: string) => `${prefix}'${stars(value)}'`)
    .replace(URL_QUERY, (_, url: string, query: string) => `'${url}?${stars(query)}'`)
    .replace(SHAPED_SECRET, (secret) => stars(secret));
}

/** Line breaks survive, so a secret spread over lines does not move the lines after it. */
function stars(value: string): string {
  return value.replace(/[^\r\n]/g, '*');
}
