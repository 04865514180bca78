/**
 * A first connections.toml for someone who has none: a commented template, written only when
 * the user asks, readable by them alone (the Snowflake CLI and snowgov refuse a file others may
 * write, and warn about one others may read). No `vscode` here, so tests run it in plain Node.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Every line is a comment: a made-up account would only fail to sign in, and with nothing
 * defined snowgov keeps saying what is missing rather than trying it.
 */
export const CONNECTIONS_TEMPLATE = `# Snowflake connections, read by the Snowflake CLI, the Snowflake connectors and snowgov.
# Keep this file readable by you alone (mode 0600): it may hold credentials.
# Uncomment a section and fill it in. "default" is used when no connection is named
# (or set default_connection_name in config.toml).
# https://docs.snowflake.com/en/developer-guide/snowflake-cli/connecting/configure-connections

# [default]
# account = "myorg-myaccount"
# user = "JANE_DOE"
# A role that may read SNOWFLAKE.ACCOUNT_USAGE, and a warehouse to run the reads:
# role = "GOVERNANCE_AUDITOR"
# warehouse = "AUDIT_WH"
#
# Sign in with a key pair:
# authenticator = "SNOWFLAKE_JWT"
# private_key_file = "/path/to/rsa_key.p8"
#
# or through your identity provider in the browser:
# authenticator = "externalbrowser"
#
# or with a programmatic access token kept in a file:
# authenticator = "PROGRAMMATIC_ACCESS_TOKEN"
# token_file_path = "/path/to/token"
`;

/**
 * Creates the file from the template unless it exists, and its folder (mode 0700) when needed.
 * Returns whether it created the file; an existing file is left exactly as it is.
 */
export async function createConnectionsFile(path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    // `wx` fails on an existing file, so nothing a user wrote is ever replaced.
    await writeFile(path, CONNECTIONS_TEMPLATE, { mode: 0o600, flag: 'wx' });

    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
