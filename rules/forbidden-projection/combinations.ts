import { keyEndsWith } from '../../server/src/engine/model/names';
import type { ExposedColumn } from '../util/exposure';

export interface Combination {
  name: string;
  categories?: string[];
  columns?: string[];
  message?: string;
}

/**
 * The outputs that expose every member of a combination, one per member, or undefined when
 * some member does not reach the output. Members are categories and named base columns.
 */
export function membersExposed(
  combination: Combination,
  exposed: ReadonlyMap<string, readonly ExposedColumn[]>,
): string[] | undefined {
  const members = [
    ...(combination.categories ?? []).map(
      (category) => (column: ExposedColumn) => column.categories.includes(category),
    ),
    ...(combination.columns ?? []).map((name) => {
      const wanted = canonicalColumn(name);

      return (column: ExposedColumn) => keyEndsWith(column.key, wanted);
    }),
  ];
  if (members.length === 0) return undefined;
  const outputs: string[] = [];
  for (const matches of members) {
    const output = [...exposed].find(([, columns]) => columns.some(matches))?.[0];
    if (output === undefined) return undefined;
    if (!outputs.includes(output)) outputs.push(output);
  }

  // Name the outputs in the query's own order.
  const order = [...exposed.keys()];

  return outputs.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** `crm.core.people.dob` → `CRM.CORE.PEOPLE.DOB`; quoted parts keep their case. */
function canonicalColumn(name: string): string {
  return (name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [])
    .map((part) => (part.startsWith('"') ? part : part.toUpperCase()))
    .join('.');
}
