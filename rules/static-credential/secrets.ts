import type { Literal, Property } from '../../server/src/engine/syntax/ast';

/**
 * Property keys whose value is a secret wherever they appear: cloud keys, SAS tokens, client
 * secrets, refresh tokens and secret strings. `PASSWORD` is handled apart, because a user's
 * password and a SECRET object's password read differently.
 * https://docs.snowflake.com/en/sql-reference/sql/create-secret
 * https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-oauth-snowflake
 */
export const SECRET_KEYS = new Set([
  'AWS_SECRET_KEY',
  'AWS_TOKEN',
  'AZURE_SAS_TOKEN',
  'MASTER_KEY',
  'OAUTH_CLIENT_SECRET',
  'OAUTH_REFRESH_TOKEN',
  'SECRET_STRING',
  'API_KEY',
  'PRIVATE_KEY',
  'PRIVATE_KEY_PASSPHRASE',
  'PASSWORD',
  'SNOWFLAKE_PASSWORD',
]);

/** Properties that should hold a public key, where a pasted private key is a leak. */
export const PUBLIC_KEY_KEYS = new Set(['RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2']);

/**
 * A string literal that holds a real value, not a template or documentation placeholder such as
 * `'<password>'`, `'{{ env_var("PW") }}'`, `'${PASSWORD}'` or `'&{pw}'`.
 */
export function isLiteralSecret(value: Literal | undefined): value is Literal {
  if (!value || value.kind !== 'string') return false;
  const text = value.value.trim();
  if (text === '' || /^(?:\*+|x{3,}|\.{3}|placeholder|change_?me|replace_?me)$/i.test(text)) {
    return false;
  }

  return !/^<[^>]*>$|\{\{.*\}\}|\$\{[^}]*\}|&\{[^}]*\}|^%\(.*\)s$/s.test(text);
}

/**
 * A private key: a PEM block, or the base64 DER of a PKCS#8 or PKCS#1 RSA private key, whose
 * first bytes (a version 0 integer) encode to `MII???IBADAN` or `MII???IBAAKC`. Public keys start
 * `MIIBIjANBg` instead.
 */
export function looksLikePrivateKey(text: string): boolean {
  const compact = text.replace(/\s+/g, '');

  return /PRIVATEKEY-----/.test(compact) || /^MII[A-Za-z0-9+/]{3}IBA(?:DAN|AKC)/.test(compact);
}

/** AWS access key ids and PEM private keys in any string of a statement's text. */
export const EMBEDDED_SECRET =
  /'[^'\n]*?\b((?:AKIA|ASIA)[0-9A-Z]{16})\b[^'\n]*'|-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/g;

export function nestedSecrets(property: Property): Property[] {
  return (property.nested ?? []).flatMap((inner) => [inner, ...nestedSecrets(inner)]);
}
