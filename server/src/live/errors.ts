/**
 * What to do about a failed sign-in or statement, by the driver's error code and, for network
 * failures, the system error beneath it. Snowflake's codes: 390100 wrong user or password,
 * 390144 key-pair JWT rejected, 390303 / 390318 OAuth token invalid / expired, 390195 browser
 * sign-in token rejected, 390114 session token expired, 002003 object missing or not
 * authorized; the driver's 401001 is a network error. Node's own codes name a private key that
 * could not be read.
 */

const BY_CODE: Readonly<Record<string, string>> = {
  '390100': 'Check the user and credentials of this connection.',
  '390144':
    "Check that private_key_file holds the key whose public half is the user's " +
    'RSA_PUBLIC_KEY, and that account and user are right.',
  '390303':
    "Check the connection's token: it must be a current OAuth access token for this account.",
  '390318': 'Get a new OAuth access token and put it in the connection (token or token_file_path).',
  '390195': 'Sign in through the browser again; the single sign-on token was not accepted.',
  '390114': 'Sign in again; the session expired.',
  // Node's crypto, reading private_key_file before anything is sent.
  ERR_OSSL_BAD_DECRYPT: 'Check private_key_file_pwd: it does not decrypt private_key_file.',
  ERR_MISSING_PASSPHRASE: 'Set private_key_file_pwd: private_key_file is encrypted.',
  // What OpenSSL 3 answers for an encrypted key read without a passphrase.
  ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED:
    'Set private_key_file_pwd: private_key_file is encrypted.',
  '002003':
    'The role may lack access to SNOWFLAKE.ACCOUNT_USAGE; grant it a SNOWFLAKE database role ' +
    'such as GOVERNANCE_VIEWER.',
};

const BY_SYSTEM_ERROR: Readonly<Record<string, string>> = {
  ENOTFOUND: 'The host name does not resolve; check the account identifier or host.',
  EAI_AGAIN: 'The host name could not be resolved; check the account identifier, host and DNS.',
  ECONNREFUSED: 'Nothing accepts connections there; check the host, port and protocol.',
  ECONNRESET: 'The connection was dropped; check the network, proxy and firewall.',
  ECONNABORTED: 'The host did not answer in time; check the network or raise --timeout.',
  ETIMEDOUT: 'The host did not answer in time; check the network or raise --timeout.',
};

/** One sentence of advice for a driver error, or '' when there is nothing specific to say. */
export function adviceFor(error: unknown): string {
  const { code, message, cause } = (error ?? {}) as {
    code?: string | number;
    message?: string;
    cause?: { code?: string };
  };
  const byCode = BY_CODE[String(code)];
  if (byCode) return byCode;
  const system = cause?.code ?? /\b(E[A-Z_]{4,})\b/.exec(message ?? '')?.[1];
  if (system && BY_SYSTEM_ERROR[system]) return BY_SYSTEM_ERROR[system];
  if (String(code) === '401001') return 'Check the host, port and network.';
  if (/\bexpired\b/i.test(message ?? '')) {
    return 'Renew the expired credential and update the connection.';
  }

  return '';
}
