// Writes schemas/snowgov.schema.json from the rules' option schemas. Run `npm run schema` after
// changing a rule's options; test/config-schema.test.ts fails while the file is out of date.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules';
import { configSchema } from '../server/src/engine/config';

export const SCHEMA_PATH = path.resolve(__dirname, '../schemas/snowgov.schema.json');

export function renderSchema(): string {
  return `${JSON.stringify(configSchema(allRules), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, renderSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}\n`);
}
