import { type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import type { Literal, Property, Statement } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { settedProperties, unsetKeys, upperValue, valuesOf } from '../util/security';

type MessageId = 'openPolicy' | 'openRule' | 'openEgress' | 'unsetAccountPolicy';

/** Address lists whose entries admit every client. */
const ADDRESS_KEYS = new Set(['ALLOWED_IP_LIST', 'VALUE_LIST']);

export default defineRule<Record<string, never>, MessageId>({
  name: 'open-network-policy',
  description: 'Network policies and rules that admit every address, or remove the account policy',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    openPolicy:
      'Network policy {{name}} allows {{address}}, which admits every client on the internet. ' +
      'List the address ranges your users and services connect from.',
    openRule:
      'Network rule {{name}} lists {{address}} for {{mode}}, which matches every address. A ' +
      'policy that allows this rule admits every client; list the real ranges instead.',
    openEgress:
      'Network rule {{name}} lets code reach any host ({{address}}) for EGRESS, so a function ' +
      'or procedure can send data anywhere. List the hosts it needs.',
    unsetAccountPolicy:
      'ALTER ACCOUNT UNSET NETWORK_POLICY removes the account network policy, so every address ' +
      'can sign in (CIS 3.1). Attach a replacement policy instead.',
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'alter-object' && statement.objectType === 'ACCOUNT') {
      for (const { key, span } of unsetKeys(statement)) {
        if (key === 'NETWORK_POLICY') context.report({ messageId: 'unsetAccountPolicy', span });
      }
    }
    const target = networkObject(statement);
    if (!target) return;
    const properties = [...settedProperties(statement), ...addedValues(statement)];
    for (const property of properties) {
      if (!ADDRESS_KEYS.has(property.key)) continue;
      for (const value of valuesOf(property)) checkAddress(value, target, properties, context);
    }
  },
});

type Context = RuleContext<Record<string, never>, MessageId>;

interface NetworkObject {
  readonly kind: 'policy' | 'rule';
  readonly name: string;
  /** The MODE of a rule created here; INGRESS by default. */
  readonly mode?: string;
}

function networkObject(statement: Statement): NetworkObject | undefined {
  if (
    (statement.kind === 'create-policy' || statement.kind === 'alter-policy') &&
    statement.policyType === 'NETWORK'
  ) {
    return { kind: 'policy', name: shownName(statement.name) };
  }
  if (
    (statement.kind === 'create-object' || statement.kind === 'alter-object') &&
    statement.objectType === 'NETWORK RULE'
  ) {
    const mode = upperValue(settedProperties(statement).find((p) => p.key === 'MODE'));
    const created = statement.kind === 'create-object';

    return {
      kind: 'rule',
      name: shownName(statement.name),
      mode: mode ?? (created ? 'INGRESS' : undefined),
    };
  }

  return undefined;
}

/** `ALTER NETWORK POLICY p ADD ALLOWED_IP_LIST = (…)` read as properties. */
function addedValues(statement: Statement): Property[] {
  if (statement.kind !== 'alter-policy' && statement.kind !== 'alter-object') return [];

  return statement.actions.flatMap((action) =>
    action.type === 'add-values'
      ? [
          {
            key: action.key,
            keySpan: action,
            valueSpan: action,
            list: action.values,
            start: action.start,
            end: action.end,
          },
        ]
      : [],
  );
}

function checkAddress(
  value: Literal,
  target: NetworkObject,
  properties: readonly Property[],
  context: Context,
): void {
  const address = value.value.trim();
  if (isEveryAddress(address)) {
    if (target.kind === 'policy') {
      context.report({
        messageId: 'openPolicy',
        span: value,
        data: { name: target.name, address },
      });
    } else if (target.mode !== 'EGRESS') {
      const mode = target.mode ?? 'its mode';
      context.report({
        messageId: 'openRule',
        span: value,
        data: { name: target.name, address, mode },
      });
    }
  }
  const type = upperValue(properties.find((p) => p.key === 'TYPE'));
  if (target.kind === 'rule' && target.mode === 'EGRESS' && type !== 'IPV4' && isAnyHost(address)) {
    context.report({ messageId: 'openEgress', span: value, data: { name: target.name, address } });
  }
}

/** `0.0.0.0/0` and `::/0`; a bare `0.0.0.0` is one address, not every address. */
function isEveryAddress(address: string): boolean {
  return /^(?:0\.0\.0\.0\/0|::\/0|0:0:0:0:0:0:0:0\/0)$/.test(address);
}

/** A HOST_PORT value that matches any host: `0.0.0.0`, with or without a port. */
function isAnyHost(address: string): boolean {
  return /^0\.0\.0\.0(?::\d+)?$/.test(address);
}
