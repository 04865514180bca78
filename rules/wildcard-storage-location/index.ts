import { defineRule } from '../../server/src/engine/rules/define';
import type { Property } from '../../server/src/engine/syntax/ast';
import { shownName } from '../util/names';
import { settedProperties, valuesOf } from '../util/security';

export default defineRule<Record<string, never>, 'wildcard' | 'providerRoot'>({
  name: 'wildcard-storage-location',
  description: 'Storage integrations that allow every location, or a whole cloud provider',
  category: 'exfiltration',
  defaultSeverity: 'error',
  messages: {
    wildcard:
      "Storage integration {{name}} allows '*', so stages on it can read and write any bucket " +
      'its cloud identity reaches. List the buckets and paths it serves.',
    providerRoot:
      'Storage integration {{name}} allows {{location}}, the root of a whole cloud provider. ' +
      'List the buckets and paths it serves.',
  },
  fix: { availability: 'never', safety: 'unsafe' },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},

  check(statement, context) {
    const isStorage =
      (statement.kind === 'create-integration' && statement.integrationType === 'STORAGE') ||
      (statement.kind === 'alter-object' && statement.objectType === 'STORAGE INTEGRATION');
    if (!isStorage) return;
    const name = shownName('name' in statement ? statement.name : undefined);
    const allowed = settedProperties(statement).filter(
      (property: Property) => property.key === 'STORAGE_ALLOWED_LOCATIONS',
    );
    for (const value of allowed.flatMap(valuesOf)) {
      const location = value.value.trim();
      if (location === '*') {
        context.report({ messageId: 'wildcard', span: value, data: { name } });
      } else if (/^(?:s3|s3gov|s3china|gcs|azure|s3compat):\/\/\*?\/?$/i.test(location)) {
        context.report({ messageId: 'providerRoot', span: value, data: { name, location } });
      }
    }
  },
});
