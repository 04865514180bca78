/**
 * Words the SELECT reader will not take as a bare name (column, table, alias or function).
 * node-sql-parser's Snowflake grammar reserves some of them and gives others a syntax of their
 * own (`CURRENT_DATE` without parentheses, `SAMPLE`, `AT`, `EXTRACT(… FROM …)`), so a query that
 * uses any of them unquoted is left to node-sql-parser. The list errs on the side of declining.
 */
const RESERVED_BY_THE_GRAMMAR = `ALTER ALL ADD AND AS ASC BETWEEN BY CALL CASE CREATE CONTAINS
  CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DELETE DESC DISTINCT DROP ELSE END
  EXISTS EXPLAIN FALSE FROM FULL GROUP HAVING IN INNER INSERT INTO IS JOIN JSON LEFT LIKE LIMIT
  NOT NULL NULLS OFFSET ON OR ORDER OUTER QUALIFY RECURSIVE RENAME RIGHT SELECT SESSION_USER SET
  SHOW SYSTEM_USER TABLE THEN TRUE TRUNCATE UNION UPDATE USING WITH WHEN WHERE WINDOW GLOBAL
  SESSION LOCAL PERSIST PERSIST_ONLY PIVOT UNPIVOT`;

const SPECIAL_SYNTAX = `ANY ARRAY ASOF AT BEFORE BINARY BOTH CAST CHANGES COLLATE CONNECT CONVERT
  CROSS CURRENT DATE ESCAPE EXCEPT EXCLUDE EXTRACT FETCH FIRST FLATTEN FOLLOWING FOR GENERATOR
  IDENTIFIER ILIKE INTERSECT INTERVAL LAST LATERAL LEADING LISTAGG LOCALTIME LOCALTIMESTAMP
  MATCH_CONDITION MATCH_RECOGNIZE MINUS NATURAL OBJECT OVER OVERLAY PARTITION POSITION PRECEDING
  RANGE REGEXP REPLACE RESULT_SCAN RLIKE ROW ROWS SAMPLE SOME START STRUCT SUBSTRING SYSDATE
  TABLESAMPLE TIME TIMESTAMP TOP TRAILING TRIM TRY_CAST UNBOUNDED UNIQUE VALUES WITHIN
  ARRAY_AGG OBJECT_AGG PERCENTILE_CONT PERCENTILE_DISC MODE INTERVAL IF IFF_NULL ROLLUP CUBE
  GROUPING SETS TABLE_FUNCTION`;

export const DECLINED_WORDS: ReadonlySet<string> = new Set(
  `${RESERVED_BY_THE_GRAMMAR} ${SPECIAL_SYNTAX}`.split(/\s+/).filter((word) => word !== ''),
);

/**
 * Aggregates that node-sql-parser reads with a grammar of their own, which takes one argument
 * and, for most of them, no DISTINCT (`SUM(DISTINCT a)` does not parse there).
 */
export const SINGLE_ARGUMENT_AGGREGATES: ReadonlySet<string> = new Set([
  'COUNT',
  'SUM',
  'MIN',
  'MAX',
  'AVG',
]);

/**
 * Cast targets node-sql-parser's Snowflake grammar accepts (it rejects `VARIANT`, `ARRAY`,
 * `OBJECT` and `TIMESTAMP_LTZ`, among others); the value is whether a `(n)` or `(p, s)` may follow.
 */
export const CAST_TYPES: ReadonlyMap<string, boolean> = new Map([
  ['VARCHAR', true],
  ['CHAR', true],
  ['STRING', false],
  ['TEXT', false],
  ['NUMBER', true],
  ['NUMERIC', true],
  ['DECIMAL', true],
  ['INT', false],
  ['INTEGER', false],
  ['BIGINT', false],
  ['FLOAT', false],
  ['DOUBLE', false],
  ['BOOLEAN', false],
  ['DATE', false],
  ['TIMESTAMP_NTZ', false],
  ['TIMESTAMP_TZ', false],
]);

/**
 * Aggregates whose result is a count or a statistic, never one row's value. MIN, MAX, ANY_VALUE,
 * LISTAGG and ARRAY_AGG are left out on purpose: they return values from the input.
 */
export const SUMMARIZING_FUNCTIONS: ReadonlySet<string> = new Set([
  'COUNT',
  'COUNT_IF',
  'APPROX_COUNT_DISTINCT',
  'HLL',
  'SUM',
  'AVG',
  'STDDEV',
  'STDDEV_POP',
  'STDDEV_SAMP',
  'VARIANCE',
  'VARIANCE_POP',
  'VARIANCE_SAMP',
  'VAR_POP',
  'VAR_SAMP',
  'CORR',
  'COVAR_POP',
  'COVAR_SAMP',
]);
