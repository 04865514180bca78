import { defineRule } from '../../server/src/engine/rules/define';
import type {
  AlterPolicyStatement,
  CreatePolicyStatement,
  Property,
  Statement,
} from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { settedProperties, upperValue, valuesOf } from '../util/security';

type MessageId = 'mfaOptional' | 'passwordOnly' | 'mfaBypass' | 'mfaDisabled';

export default defineRule<Record<string, never>, MessageId>({
  name: 'weak-authentication-policy',
  description: 'Authentication policies and users that let people sign in without MFA',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    mfaOptional:
      'Authentication policy {{policy}} allows password sign-in with MFA_ENROLLMENT = OPTIONAL, ' +
      'so people can sign in with a password alone (CIS 1.4). Require MFA enrollment.',
    passwordOnly:
      'Authentication policy {{policy}} allows PASSWORD as the only sign-in method, so people ' +
      'who are not enrolled in MFA sign in with a password alone. Add SAML or OAuth sign-in, ' +
      'and require MFA for passwords.',
    mfaBypass:
      'User {{user}} gets MINS_TO_BYPASS_MFA, so it can sign in without MFA for that time. Set ' +
      'it by hand for a support case, never in a migration.',
    mfaDisabled:
      'User {{user}} gets DISABLE_MFA = TRUE, which removes its MFA enrollment. Never disable ' +
      'MFA in a migration; a user who lost the device re-enrols instead.',
  },
  fix: { availability: 'sometimes', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'create-user' || statement.kind === 'alter-user') {
      for (const property of statement.properties) {
        const value = upperValue(property);
        if (property.key === 'MINS_TO_BYPASS_MFA' && value !== undefined && value !== '0') {
          context.report({
            messageId: 'mfaBypass',
            span: property,
            data: { user: shownName(statement.name) },
          });
        }
        if (property.key === 'DISABLE_MFA' && value === 'TRUE') {
          context.report({
            messageId: 'mfaDisabled',
            span: property,
            data: { user: shownName(statement.name) },
          });
        }
      }

      return;
    }
    if (!isAuthenticationPolicy(statement)) return;
    const properties = settedProperties(statement);
    const methods = properties.find((property) => property.key === 'AUTHENTICATION_METHODS');
    const allowed = methods ? valuesOf(methods).map((value) => value.value.toUpperCase()) : ['ALL'];
    const allowsPassword = allowed.includes('PASSWORD') || allowed.includes('ALL');
    const policy = shownName(statement.name);
    const enrollment = properties.find((property) => property.key === 'MFA_ENROLLMENT');
    if (enrollment && upperValue(enrollment) === 'OPTIONAL' && allowsPassword) {
      context.report({
        messageId: 'mfaOptional',
        span: enrollment,
        data: { policy },
        fixes: [requireFix(enrollment)],
      });
    }
    if (methods && allowed.length === 1 && allowed[0] === 'PASSWORD') {
      context.report({ messageId: 'passwordOnly', span: methods, data: { policy } });
    }
  },
});

function isAuthenticationPolicy(
  statement: Statement,
): statement is CreatePolicyStatement | AlterPolicyStatement {
  return (
    (statement.kind === 'create-policy' || statement.kind === 'alter-policy') &&
    statement.policyType === 'AUTHENTICATION'
  );
}

function requireFix(enrollment: Property) {
  const value = enrollment.value ?? enrollment;
  const quoted = enrollment.value?.kind === 'string';

  return {
    title: 'Require MFA enrollment',
    edits: [
      { span: { start: value.start, end: value.end }, newText: quoted ? "'REQUIRED'" : 'REQUIRED' },
    ],
  };
}
