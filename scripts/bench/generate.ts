/**
 * A seeded generator of realistic Snowflake migration repositories for the benchmark: schemachange
 * file names, tables mixing personal and ordinary columns, masking policies, tags, grants, stages,
 * views with CTEs and joins, and procedures with `$$` bodies. The same seed gives the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedRepository {
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
  readonly lines: number;
  /** Top-level statements written (nested statements in `$$` bodies are not counted). */
  readonly statements: number;
}

/** mulberry32: small, fast and good enough to pick names. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PII_COLUMNS: readonly [string, string][] = [
  ['email', 'VARCHAR(320)'],
  ['phone_number', 'VARCHAR(32)'],
  ['first_name', 'VARCHAR(100)'],
  ['last_name', 'VARCHAR(100)'],
  ['birth_date', 'DATE'],
  ['ssn', 'VARCHAR(11)'],
  ['street_address', 'VARCHAR(400)'],
  ['ip_address', 'VARCHAR(45)'],
];
const PLAIN_COLUMNS: readonly [string, string][] = [
  ['created_at', 'TIMESTAMP_NTZ'],
  ['updated_at', 'TIMESTAMP_NTZ'],
  ['status', 'VARCHAR(20)'],
  ['amount', 'NUMBER(18, 2)'],
  ['quantity', 'NUMBER(38, 0)'],
  ['region_code', 'VARCHAR(8)'],
  ['is_active', 'BOOLEAN'],
  ['score', 'FLOAT'],
  ['payload', 'VARIANT'],
  ['currency', 'VARCHAR(3)'],
];
const NOUNS = ['customer', 'order', 'invoice', 'shipment', 'account', 'member', 'visit', 'claim'];
const ROLES = ['ANALYST', 'REPORTING', 'LOADER', 'DATA_ENGINEER', 'PII_READER'];

interface Writer {
  readonly random: () => number;
  /** The share of feature areas that define a view (1: every area, the default). */
  readonly viewShare: number;
  lines: string[];
  statements: number;
}

function pick<T>(writer: Writer, items: readonly T[]): T {
  return items[Math.floor(writer.random() * items.length)];
}

function emit(writer: Writer, sql: string): void {
  writer.lines.push(sql, '');
  writer.statements += 1;
}

/** One feature area: a schema with a few tables, policies, tags, views, grants and a procedure. */
function writeModule(writer: Writer, index: number): void {
  const db = `app_db_${index % 7}`;
  const schema = `${db}.area_${index}`;
  const noun = pick(writer, NOUNS);
  emit(writer, `-- Feature area ${index}: ${noun} data.\nUSE ROLE SYSADMIN;`);
  emit(writer, `CREATE SCHEMA IF NOT EXISTS ${schema} DATA_RETENTION_TIME_IN_DAYS = 7;`);
  emit(
    writer,
    `CREATE TAG IF NOT EXISTS ${schema}.pii_type ALLOWED_VALUES 'email', 'phone', 'name';`,
  );
  emit(
    writer,
    `CREATE MASKING POLICY IF NOT EXISTS ${schema}.mask_string AS (val VARCHAR) RETURNS VARCHAR ->\n` +
      `  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;`,
  );
  emit(
    writer,
    `CREATE MASKING POLICY IF NOT EXISTS ${schema}.mask_date AS (val DATE) RETURNS DATE ->\n` +
      `  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE DATE_TRUNC('YEAR', val) END;`,
  );

  const tables: { name: string; pii: string[] }[] = [];
  const tableCount = 3 + Math.floor(writer.random() * 3);
  for (let t = 0; t < tableCount; t++) {
    const name = `${schema}.${noun}_${t}`;
    const columns = [`  id NUMBER(38, 0) NOT NULL`, `  ${noun}_ref VARCHAR(64)`];
    const pii: string[] = [];
    for (const [column, type] of PII_COLUMNS) {
      if (writer.random() < 0.35) {
        pii.push(column);
        const tagged = writer.random() < 0.3 ? ` WITH TAG (${schema}.pii_type = 'email')` : '';
        columns.push(`  ${column} ${type}${tagged} COMMENT 'Personal data: ${column}'`);
      }
    }
    for (const [column, type] of PLAIN_COLUMNS) {
      if (writer.random() < 0.6) columns.push(`  ${column} ${type}`);
    }
    emit(writer, `CREATE TABLE IF NOT EXISTS ${name} (\n${columns.join(',\n')}\n);`);
    tables.push({ name, pii });
    for (const column of pii) {
      // Most personal columns are masked; a few are left for the rules to find.
      if (writer.random() < 0.85) {
        const policy = column === 'birth_date' ? 'mask_date' : 'mask_string';
        emit(
          writer,
          `ALTER TABLE ${name} MODIFY COLUMN ${column} SET MASKING POLICY ${schema}.${policy};`,
        );
      }
    }
    emit(writer, `GRANT SELECT ON TABLE ${name} TO ROLE ${pick(writer, ROLES)};`);
    if (writer.random() < 0.05) emit(writer, `GRANT SELECT ON TABLE ${name} TO USER jdoe;`);
  }

  const [left, right] = [tables[0], tables[1]];
  const leftPii = left.pii[0] ? `, l.${left.pii[0]}` : '';
  // No draw at the default share, so that the default repositories keep their bytes.
  const withView = writer.viewShare >= 1 || writer.random() < writer.viewShare;
  if (withView) writeView(writer, schema, noun, left.name, right.name, leftPii);

  const stage = `${schema}.${noun}_landing`;
  emit(
    writer,
    `CREATE STAGE IF NOT EXISTS ${stage}\n  URL = 's3://landing-${index}/${noun}/'\n` +
      `  STORAGE_INTEGRATION = s3_landing\n  FILE_FORMAT = (TYPE = PARQUET);`,
  );
  emit(
    writer,
    `COPY INTO ${right.name} (id, ${noun}_ref)\n` +
      `  FROM (SELECT $1:id::NUMBER, $1:ref::VARCHAR FROM @${stage})\n  ON_ERROR = CONTINUE;`,
  );
  emit(
    writer,
    `CREATE OR REPLACE PROCEDURE ${schema}.purge_${noun}(days NUMBER)\n` +
      `RETURNS VARCHAR\nLANGUAGE SQL\nEXECUTE AS OWNER\nAS\n$$\n` +
      `DECLARE\n  deleted NUMBER DEFAULT 0;\nBEGIN\n` +
      `  DELETE FROM ${right.name} WHERE created_at < DATEADD('day', -:days, CURRENT_TIMESTAMP());\n` +
      `  deleted := SQLROWCOUNT;\n` +
      `  IF (deleted > 0) THEN\n` +
      `    INSERT INTO ${schema}.audit_log SELECT CURRENT_TIMESTAMP(), '${noun}', :deleted;\n` +
      `  END IF;\n` +
      `  RETURN 'deleted ' || deleted;\nEND;\n$$;`,
  );
  emit(writer, `GRANT USAGE ON PROCEDURE ${schema}.purge_${noun}(NUMBER) TO ROLE LOADER;`);
}

/** A view with CTEs and a join over two of the area's tables, and its grant. */
function writeView(
  writer: Writer,
  schema: string,
  noun: string,
  leftName: string,
  rightName: string,
  leftPii: string,
): void {
  emit(
    writer,
    `CREATE OR REPLACE VIEW ${schema}.${noun}_summary AS\n` +
      `WITH recent AS (\n` +
      `  SELECT id, ${noun}_ref, created_at FROM ${rightName}\n` +
      `  WHERE created_at > DATEADD('day', -30, CURRENT_TIMESTAMP())\n` +
      `), totals AS (\n` +
      `  SELECT ${noun}_ref, COUNT(*) AS n FROM recent GROUP BY ${noun}_ref\n` +
      `)\n` +
      `SELECT l.id, l.${noun}_ref${leftPii}, t.n\n` +
      `FROM ${leftName} l\n` +
      `JOIN totals t ON t.${noun}_ref = l.${noun}_ref\n` +
      `WHERE l.id > 0;`,
  );
  emit(writer, `GRANT SELECT ON VIEW ${schema}.${noun}_summary TO ROLE REPORTING;`);
}

/**
 * Writes migrations under `root/migrations` until about `targetBytes` are written. Files hold a
 * few feature areas each, named the schemachange way (`V1.<n>.0__<area>.sql`).
 */
export function generateRepository(
  root: string,
  targetBytes: number,
  seed = 42,
  viewShare = 1,
): GeneratedRepository {
  const dir = join(root, 'migrations');
  mkdirSync(dir, { recursive: true });
  const writer: Writer = { random: seededRandom(seed), viewShare, lines: [], statements: 0 };
  let bytes = 0;
  let lines = 0;
  let files = 0;
  let area = 0;
  while (bytes < targetBytes) {
    writer.lines = [];
    const areas = 2 + Math.floor(writer.random() * 4);
    for (let a = 0; a < areas; a++) writeModule(writer, area++);
    const text = writer.lines.join('\n');
    const name = `V1.${files}.0__${pick(writer, NOUNS)}_areas_${area}.sql`;
    writeFileSync(join(dir, name), text);
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length;
    files += 1;
  }

  return { root, files, bytes, lines, statements: writer.statements };
}

/** One migration's text of `areas` feature areas, for property tests that need realistic SQL. */
export function generateMigration(seed: number, areas = 1): string {
  const writer: Writer = { random: seededRandom(seed), viewShare: 1, lines: [], statements: 0 };
  for (let a = 0; a < areas; a++) writeModule(writer, a);

  return writer.lines.join('\n');
}
