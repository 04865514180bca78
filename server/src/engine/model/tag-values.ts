import type { AlterAction } from '../syntax/ast';
import type { TagModel } from './catalog';

/**
 * `ALTER TAG … ADD | DROP ALLOWED_VALUES`, `UNSET ALLOWED_VALUES` (any value again), and
 * `SET ALLOWED_VALUES`, whose list the parser leaves unread, so that no value counts as allowed.
 * https://docs.snowflake.com/en/sql-reference/sql/alter-tag
 */
export function applyAllowedValues(
  tag: TagModel,
  actions: readonly AlterAction[],
  at: TagModel['at'],
): void {
  for (const action of actions) {
    const values = (): string[] =>
      action.type === 'add-values' || action.type === 'remove-values'
        ? action.values.map((literal) => literal.value)
        : [];
    if (action.type === 'add-values' && action.key === 'ALLOWED_VALUES') {
      // Adding to a tag that allowed anything leaves only the added values allowed.
      tag.allowedValues = new Set([...(tag.allowedValues ?? []), ...values()]);
    } else if (action.type === 'remove-values' && action.key === 'ALLOWED_VALUES') {
      for (const value of values()) tag.allowedValues?.delete(value);
    } else if (
      action.type === 'unset' &&
      action.keys.some((key) => key.value.toUpperCase() === 'ALLOWED_VALUES')
    ) {
      tag.allowedValues = undefined;
    } else if (action.type === 'other' && action.words.includes('ALLOWED_VALUES')) {
      tag.allowedValues = new Set();
    } else {
      continue;
    }
    tag.allowedValuesAt = at;
  }
}
