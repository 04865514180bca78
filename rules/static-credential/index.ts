import { type FixDraft, type RuleContext, defineRule } from '../../server/src/engine/rules/define';
import type { Property, Statement, UserStatement } from '../../server/src/engine/syntax/ast';
import { sentenceCase, shownName } from '../util/names';
import { settedProperties, staticName, upperValue } from '../util/security';
import {
  EMBEDDED_SECRET,
  PUBLIC_KEY_KEYS,
  SECRET_KEYS,
  isLiteralSecret,
  looksLikePrivateKey,
  nestedSecrets,
} from './secrets';

type MessageId = 'userPassword' | 'servicePassword' | 'secretLiteral' | 'privateKey' | 'embedded';

const SERVICE_TYPES = new Set(['SERVICE', 'LEGACY_SERVICE']);

export default defineRule<Record<string, never>, MessageId>({
  name: 'static-credential',
  description: 'Passwords, keys and tokens written into migrations as literals',
  category: 'access-control',
  defaultSeverity: 'error',
  messages: {
    userPassword:
      'User {{user}} gets a password written in the migration (PASSWORD). It stays in version ' +
      'control and query history, and password sign-in is being retired. Sign people in with ' +
      'SSO, or set the password outside migrations.',
    servicePassword:
      'Service user {{user}} ({{type}}) signs in with a password (PASSWORD). Single-factor ' +
      'password sign-in is being retired; authenticate it with a key pair (RSA_PUBLIC_KEY), ' +
      'OAuth or workload identity federation.',
    secretLiteral:
      '{{what}} sets {{key}} to a literal secret. It stays in version control, query history and ' +
      'every clone of the repository. Pass it from a secrets manager at deploy time.',
    privateKey:
      '{{key}} of user {{user}} holds a private key, not a public one. Rotate the key pair now: ' +
      'the private key is exposed in the migration and its history.',
    embedded:
      'This statement contains {{what}} in a string literal. It stays in version control and ' +
      'query history; rotate it and read it from a secrets manager instead.',
  },
  fix: { availability: 'sometimes', safety: 'suggestion' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    if (statement.kind === 'create-user' || statement.kind === 'alter-user') {
      checkUser(statement, context);
    } else {
      checkProperties(statement, context);
    }
    if (!statement.nested?.length) checkEmbedded(statement, context);
  },
});

type Context = RuleContext<Record<string, never>, MessageId>;

function checkUser(statement: UserStatement, context: Context): void {
  const type = userType(statement, context);
  for (const property of statement.properties) {
    if (property.key === 'PASSWORD') {
      const isService = type !== undefined && SERVICE_TYPES.has(type);
      // A password from a variable is no leak, but a service user should have none at all.
      if (!isService && !isLiteralSecret(property.value)) continue;
      context.report({
        messageId: isService ? 'servicePassword' : 'userPassword',
        span: property,
        data: { user: shownName(statement.name), type: type ?? '' },
        fixes: isService ? keyPairFix(property) : [],
      });
    } else if (PUBLIC_KEY_KEYS.has(property.key) && property.value) {
      if (!looksLikePrivateKey(property.value.value)) continue;
      context.report({
        messageId: 'privateKey',
        span: property.keySpan,
        data: { key: property.key, user: shownName(statement.name) },
      });
    }
  }
}

/** The user's TYPE from this statement, or from the CREATE USER the workspace holds. */
function userType(statement: UserStatement, context: Context): string | undefined {
  const own = upperValue(statement.properties.find((property) => property.key === 'TYPE'));
  if (own || statement.kind === 'create-user') return own;
  const name = staticName(statement.name);
  let found: string | undefined;
  const visit = (candidate: Statement): void => {
    if (candidate.kind === 'create-user' && staticName(candidate.name) === name) {
      found = upperValue(candidate.properties.find((property) => property.key === 'TYPE'));
    }
    candidate.nested?.forEach(visit);
  };
  if (name) for (const file of context.files) file.parsed.statements.forEach(visit);

  return found;
}

function keyPairFix(property: Property): FixDraft[] {
  return [
    {
      title: 'Authenticate with a key pair instead of a password',
      edits: [{ span: property, newText: "RSA_PUBLIC_KEY = '<public key of the service>'" }],
    },
  ];
}

/**
 * Secret keys in CREATE and ALTER properties, nested ones included. Stage and COPY credentials
 * are left to unsafe-stage, which reports them with a fix.
 */
function checkProperties(statement: Statement, context: Context): void {
  const handledByStage = statement.kind === 'create-stage' || statement.kind === 'copy-into';
  const properties =
    statement.kind === 'copy-into' ? statement.properties : settedProperties(statement);
  for (const property of properties) {
    if (handledByStage && property.key === 'CREDENTIALS') continue;
    for (const candidate of [property, ...nestedSecrets(property)]) {
      if (!SECRET_KEYS.has(candidate.key) || !isLiteralSecret(candidate.value)) continue;
      context.report({
        messageId: 'secretLiteral',
        span: candidate,
        data: { what: describe(statement), key: candidate.key },
      });
    }
  }
}

function describe(statement: Statement): string {
  switch (statement.kind) {
    case 'create-object':
      return `${sentenceCase(statement.objectType)} ${shownName(statement.name)}`;
    case 'alter-object':
      return `ALTER ${statement.objectType}`;
    case 'create-integration':
      return `Integration ${shownName(statement.name)}`;
    case 'create-stage':
      return `Stage ${shownName(statement.name)}`;
    default:
      return 'This statement';
  }
}

/** AWS access key ids and PEM private keys anywhere in a leaf statement's strings. */
function checkEmbedded(statement: Statement, context: Context): void {
  const text = context.file.text.slice(statement.start, statement.end);
  for (const match of text.matchAll(EMBEDDED_SECRET)) {
    const isKeyId = match[1] !== undefined;
    const offset =
      statement.start + (match.index ?? 0) + (isKeyId ? match[0].indexOf(match[1]) : 0);
    const length = isKeyId ? match[1].length : match[0].length;
    if (reportedAt(statement, offset)) continue;
    context.report({
      messageId: 'embedded',
      span: { start: offset, end: offset + length },
      data: { what: isKeyId ? 'an AWS access key id' : 'a PEM private key' },
    });
  }
}

/** True when a property this rule (or unsafe-stage) already reports covers the offset. */
function reportedAt(statement: Statement, offset: number): boolean {
  const properties =
    statement.kind === 'copy-into' ? statement.properties : settedProperties(statement);

  return properties.some(
    (property) =>
      offset >= property.start &&
      offset < property.end &&
      (property.key === 'CREDENTIALS' ||
        SECRET_KEYS.has(property.key) ||
        PUBLIC_KEY_KEYS.has(property.key) ||
        nestedSecrets(property).some((inner) => SECRET_KEYS.has(inner.key))),
  );
}
