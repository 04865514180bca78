import { type RuleDefinition, defineRule } from '../../server/src/engine/rules/define';

/** What sets one live rule apart from another; the rest is the same for all of them. */
type LiveRuleMeta = Pick<
  RuleDefinition<object, never>,
  'name' | 'description' | 'category' | 'defaultSeverity'
> & { readonly live: 'statement' | 'account' };

/**
 * A rule that only `snowgov check` judges, from the account snapshot: it is registered like any
 * other so that its severity can be configured, its findings suppressed and its doc shown, but it
 * has no options, no fix and no statement check of its own.
 */
export function defineLiveRule(meta: LiveRuleMeta): RuleDefinition<object, never> {
  return defineRule({
    ...meta,
    messages: {},
    fix: { availability: 'never', safety: 'suggestion' },
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
    check() {},
  });
}
