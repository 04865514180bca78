import type { Cursor } from './cursor';
import { keywordOf } from './tokens';

/**
 * Object kinds whose names take more than one word. Read longest first, so that
 * `MATERIALIZED VIEW` wins over a bare `MATERIALIZED`.
 */
const MULTI_WORD_TYPES = [
  'EXTERNAL ACCESS INTEGRATION',
  'CORTEX SEARCH SERVICE',
  'MCP SERVER',
  'ROW ACCESS POLICY',
  'MASKING POLICY',
  'PROJECTION POLICY',
  'AGGREGATION POLICY',
  'JOIN POLICY',
  'AUTHENTICATION POLICY',
  'PASSWORD POLICY',
  'SESSION POLICY',
  'NETWORK POLICY',
  'PRIVACY POLICY',
  'PACKAGES POLICY',
  'NETWORK RULE',
  'RESOURCE MONITOR',
  'FILE FORMAT',
  'MATERIALIZED VIEW',
  'SEMANTIC VIEW',
  'DYNAMIC TABLE',
  'EXTERNAL TABLE',
  'ICEBERG TABLE',
  'HYBRID TABLE',
  'EVENT TABLE',
  'DATABASE ROLE',
  'APPLICATION ROLE',
  'APPLICATION PACKAGE',
  'COMPUTE POOL',
  'IMAGE REPOSITORY',
  'GIT REPOSITORY',
  'EXTERNAL VOLUME',
  'STORAGE INTEGRATION',
  'API INTEGRATION',
  'SECURITY INTEGRATION',
  'NOTIFICATION INTEGRATION',
  'CATALOG INTEGRATION',
  'MODEL MONITOR',
  'DATA METRIC FUNCTION',
  'EXTERNAL FUNCTION',
  'MATERIALIZED VIEWS',
  'DYNAMIC TABLES',
  'EXTERNAL TABLES',
  'ICEBERG TABLES',
  'HYBRID TABLES',
  'EVENT TABLES',
  'FILE FORMATS',
  'MASKING POLICIES',
  'ROW ACCESS POLICIES',
  'PROJECTION POLICIES',
  'AGGREGATION POLICIES',
  'NETWORK RULES',
  'DATABASE ROLES',
  'SEMANTIC VIEWS',
  'CORTEX SEARCH SERVICES',
  'MCP SERVERS',
  'GIT REPOSITORIES',
  'IMAGE REPOSITORIES',
  'MODEL MONITORS',
  'PACKAGES POLICIES',
  'NETWORK POLICIES',
  'PASSWORD POLICIES',
  'SESSION POLICIES',
  'AUTHENTICATION POLICIES',
  'JOIN POLICIES',
  'PRIVACY POLICIES',
  'USER FUNCTIONS',
  'EXTERNAL FUNCTIONS',
  'STORAGE INTEGRATIONS',
  'API INTEGRATIONS',
  'SECURITY INTEGRATIONS',
  'NOTIFICATION INTEGRATIONS',
  'CATALOG INTEGRATIONS',
  'EXTERNAL ACCESS INTEGRATIONS',
  'RESOURCE MONITORS',
  'COMPUTE POOLS',
  'APPLICATION ROLES',
  'APPLICATION PACKAGES',
  'EXTERNAL VOLUMES',
  'DATA METRIC FUNCTIONS',
  'FAILOVER GROUP',
  'REPLICATION GROUP',
  'FAILOVER GROUPS',
  'REPLICATION GROUPS',
  'MANAGED ACCOUNT',
  'MANAGED ACCOUNTS',
  'ORGANIZATION PROFILE',
].map((type) => type.split(' '));

/** The multi-word kinds grouped by first word, longest first, so a lookup tries only a few. */
const BY_FIRST_WORD = new Map<string, string[][]>();
for (const words of [...MULTI_WORD_TYPES].sort((a, b) => b.length - a.length)) {
  const group = BY_FIRST_WORD.get(words[0]) ?? [];
  group.push(words);
  BY_FIRST_WORD.set(words[0], group);
}

/**
 * Reads an object kind such as `TABLE` or `ROW ACCESS POLICY` and returns it single-spaced in
 * upper case. Unknown one-word kinds are read as written, so new Snowflake objects still parse.
 */
export function readObjectType(cursor: Cursor): string | undefined {
  const word = keywordOf(cursor.peek());
  if (word === undefined) return undefined;
  for (const words of BY_FIRST_WORD.get(word) ?? []) {
    if (cursor.accept(...words)) return words.join(' ');
  }
  cursor.next();

  return word;
}
