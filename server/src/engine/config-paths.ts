/**
 * Rule options that name files are written relative to the folder of the snowgov.yml that sets
 * them, while rules read and edit files by workspace path, as the face names them (the CLI
 * relative to the working directory, the editor relative to its workspace folder). Only the face
 * knows both, and the engine touches no file system, so the face passes a `ResolvePath` in and
 * this module finds the options to apply it to: those whose schema says `format: 'path'`.
 */

/** Turns a path as snowgov.yml writes it into the workspace path of the same file. */
export type ResolvePath = (configured: string) => string;

/** The custom JSON Schema format that marks an option as a path relative to snowgov.yml. */
export const PATH_FORMAT = 'path';

interface SchemaNode {
  readonly format?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
}

/**
 * A copy of `value` with every string the schema marks `format: 'path'` resolved, through
 * object properties and array items; anything else is left as it is.
 */
export function resolvePathOptions(schema: object, value: unknown, resolve: ResolvePath): unknown {
  const node = schema as SchemaNode;
  if (typeof value === 'string') return node.format === PATH_FORMAT ? resolve(value) : value;
  if (Array.isArray(value)) {
    return node.items
      ? value.map((item) => resolvePathOptions(node.items ?? {}, item, resolve))
      : value;
  }
  if (typeof value !== 'object' || value === null) return value;

  const resolved: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const additional =
      typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    const innerSchema = node.properties?.[key] ?? additional;
    resolved[key] = innerSchema ? resolvePathOptions(innerSchema, inner, resolve) : inner;
  }

  return resolved;
}
