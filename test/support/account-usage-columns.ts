/**
 * Columns of the ACCOUNT_USAGE views the snapshot reads, as a real account has them (more than
 * the snapshot selects), for the emulated accounts of the live-check tests.
 */

export const POLICY_REFERENCES_COLUMNS = [
  'POLICY_DB',
  'POLICY_SCHEMA',
  'POLICY_NAME',
  'POLICY_KIND',
  'REF_DATABASE_NAME',
  'REF_SCHEMA_NAME',
  'REF_ENTITY_NAME',
  'REF_ENTITY_DOMAIN',
  'REF_COLUMN_NAME',
];

export const TAG_REFERENCES_COLUMNS = [
  'TAG_DATABASE',
  'TAG_SCHEMA',
  'TAG_NAME',
  'TAG_VALUE',
  'OBJECT_DATABASE',
  'OBJECT_SCHEMA',
  'OBJECT_NAME',
  'DOMAIN',
  'COLUMN_NAME',
  'OBJECT_DELETED',
];
