import type { CreatePolicyStatement } from '../syntax/ast';

/**
 * Says why a masking policy shows the clear value to every role, or undefined when it masks.
 * Recognises the two shapes that fail open by construction: a body that is just the value, and a
 * CASE whose ELSE branch returns the value (every role not named in a WHEN sees it).
 * https://docs.snowflake.com/en/user-guide/security-column-ddm-intro
 */
export function failOpenReason(policy: CreatePolicyStatement): string | undefined {
  const argument = policy.arguments[0]?.name.value;
  if (!argument || !policy.body) return undefined;
  const body = normalise(policy.body.text);
  const value = argument.toUpperCase();
  if (body === value || body === `(${value})`) return 'its body returns the value unchanged';
  if (
    /^CASE\b/.test(body) &&
    new RegExp(`\\bELSE\\s+\\(?${escape(value)}\\)?\\s+END$`).test(body)
  ) {
    return `its ELSE branch returns ${argument} to every role not named before it`;
  }

  return undefined;
}

/** Upper case, comments dropped, whitespace collapsed; string literals are left as they are. */
function normalise(text: string): string {
  return text
    .replace(/--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
