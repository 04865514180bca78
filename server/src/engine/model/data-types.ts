/**
 * Snowflake type families. A masking policy fits a column when its first argument is of the
 * column's family: `VARCHAR(100)` and `STRING` match, `NUMBER` and `FLOAT` do not.
 * https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
 */
const FAMILIES: readonly (readonly [string, RegExp])[] = [
  [
    'STRING',
    /^(VARCHAR|STRING|TEXT|CHAR|CHARACTER|NCHAR|NVARCHAR|NVARCHAR2|CHAR VARYING|NCHAR VARYING|CHARACTER VARYING)\b/,
  ],
  ['FIXED', /^(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)\b/],
  ['REAL', /^(FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL)\b/],
  ['TIMESTAMP_LTZ', /^TIMESTAMP_LTZ\b|^TIMESTAMP WITH LOCAL TIME ZONE/],
  ['TIMESTAMP_TZ', /^TIMESTAMP_TZ\b|^TIMESTAMP WITH TIME ZONE/],
  ['TIMESTAMP_NTZ', /^(TIMESTAMP_NTZ|DATETIME|TIMESTAMP)\b/],
  ['DATE', /^DATE\b/],
  ['TIME', /^TIME\b/],
  ['BOOLEAN', /^BOOLEAN\b/],
  ['VARIANT', /^VARIANT\b/],
  ['OBJECT', /^OBJECT\b/],
  ['ARRAY', /^ARRAY\b/],
  ['BINARY', /^(BINARY|VARBINARY)\b/],
];

export function typeFamily(dataType: string | undefined): string | undefined {
  if (!dataType) return undefined;
  const upper = dataType.toUpperCase();

  return FAMILIES.find(([, pattern]) => pattern.test(upper))?.[0] ?? upper.replace(/\(.*$/, '');
}

/** The type to declare in a new policy for a column: its own type without length or scale. */
export function policyType(dataType: string): string {
  const family = typeFamily(dataType);
  switch (family) {
    case 'STRING':
      return 'VARCHAR';
    case 'FIXED':
      return 'NUMBER';
    case 'REAL':
      return 'FLOAT';
    default:
      return family ?? dataType;
  }
}
