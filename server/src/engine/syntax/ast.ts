import type { Span } from '../source';

/** One part of a dotted name. `value` is how Snowflake resolves it: upper case unless quoted. */
export interface NamePart extends Span {
  readonly value: string;
  readonly quoted: boolean;
}

/**
 * A possibly qualified object name. `dynamic` names come from `IDENTIFIER($var)`, session
 * variables or binds, which cannot be resolved before the script runs.
 */
export interface ObjectName extends Span {
  readonly parts: readonly NamePart[];
  readonly dynamic?: boolean;
}

export interface Literal extends Span {
  /** Unescaped value of a string literal, or the source text of anything else. */
  readonly value: string;
  readonly kind: 'string' | 'number' | 'word' | 'variable' | 'other';
  /** For a `word` value: the identifier it spells, resolved like any name. */
  readonly name?: ObjectName;
}

/** `KEY = value` in object properties; a parenthesised value keeps its nested properties. */
export interface Property extends Span {
  readonly key: string;
  readonly keySpan: Span;
  readonly value?: Literal;
  readonly list?: readonly Literal[];
  readonly nested?: readonly Property[];
  readonly valueSpan: Span;
}

export interface TagAssignment extends Span {
  readonly tag: ObjectName;
  readonly value?: Literal;
}

export interface PolicyReference extends Span {
  readonly policy: ObjectName;
  /** Columns of `USING (…)` for conditional masking, or `ON (…)` for row access. */
  readonly columns: readonly NamePart[];
  readonly force?: boolean;
}

export interface ColumnDefinition extends Span {
  readonly name: NamePart;
  /** Normalised type text, for example `VARCHAR(100)` or `NUMBER(38,0)`; absent in view columns. */
  readonly dataType?: string;
  readonly dataTypeSpan?: Span;
  readonly maskingPolicy?: PolicyReference;
  readonly projectionPolicy?: PolicyReference;
  readonly tags: readonly TagAssignment[];
  readonly comment?: Literal;
  /**
   * Where a `WITH MASKING POLICY` clause belongs in this definition: before any projection
   * policy or tag clause (Snowflake's clause order), else at the end of the definition.
   */
  readonly policyInsertAt: number;
}

/** A query body handed to the lineage analyser; `text` is the exact source slice. */
export interface QueryBody extends Span {
  readonly text: string;
}

export type GrantObject =
  | { readonly type: 'account' }
  | {
      readonly type: 'object';
      readonly objectType: string;
      readonly name: ObjectName;
      readonly argumentTypes?: readonly string[];
    }
  | {
      readonly type: 'all' | 'future';
      readonly objectType: string;
      readonly container: 'DATABASE' | 'SCHEMA';
      readonly containerName: ObjectName;
    };

export type GranteeType =
  'ROLE' | 'USER' | 'DATABASE ROLE' | 'APPLICATION ROLE' | 'APPLICATION' | 'SHARE';

export interface Grantee extends Span {
  readonly type: GranteeType;
  /** True when the grantee kind was written out (`TO ROLE r`) rather than implied (`TO r`). */
  readonly explicitType: boolean;
  readonly name: ObjectName;
}

export interface Privilege extends Span {
  /** Upper-cased words, single-spaced: `SELECT`, `CREATE SCHEMA`, `APPLY MASKING POLICY`, `ALL`. */
  readonly name: string;
}

interface StatementBase extends Span {
  /** Statements of a scripting block or `$$` body, parsed in place; rules visit them too. */
  readonly nested?: readonly Statement[];
}

export interface GrantPrivilegesStatement extends StatementBase {
  readonly kind: 'grant-privileges';
  readonly action: 'GRANT' | 'REVOKE';
  readonly privileges: readonly Privilege[];
  readonly on: GrantObject;
  readonly onSpan: Span;
  readonly grantee: Grantee;
  readonly withGrantOption: boolean;
  readonly currentGrants?: 'COPY' | 'REVOKE';
}

export interface GrantRoleStatement extends StatementBase {
  readonly kind: 'grant-role';
  readonly action: 'GRANT' | 'REVOKE';
  readonly roleType: 'ROLE' | 'DATABASE ROLE' | 'APPLICATION ROLE';
  readonly role: ObjectName;
  readonly grantee: Grantee;
  readonly withGrantOption: boolean;
}

export interface UseStatement extends StatementBase {
  readonly kind: 'use';
  readonly target: 'ROLE' | 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | 'SECONDARY ROLES';
  readonly name?: ObjectName;
}

export interface UserStatement extends StatementBase {
  readonly kind: 'create-user' | 'alter-user';
  readonly name: ObjectName;
  readonly orReplace: boolean;
  /** Properties given by CREATE or by ALTER … SET. */
  readonly properties: readonly Property[];
  readonly unset: readonly string[];
}

export interface CreateTableStatement extends StatementBase {
  readonly kind: 'create-table';
  readonly orReplace: boolean;
  readonly orAlter: boolean;
  readonly ifNotExists: boolean;
  /** `TRANSIENT`, `TEMPORARY`, `DYNAMIC`, `EXTERNAL`, `ICEBERG`, `HYBRID`, `EVENT` or undefined. */
  readonly tableKind?: string;
  readonly name: ObjectName;
  readonly columns: readonly ColumnDefinition[];
  /** Offset just after the last column definition, where a new column could be inserted. */
  readonly columnListEnd?: number;
  readonly rowAccessPolicy?: PolicyReference;
  readonly tags: readonly TagAssignment[];
  readonly asQuery?: QueryBody;
  readonly cloneOf?: ObjectName;
  readonly likeOf?: ObjectName;
}

export interface CreateViewStatement extends StatementBase {
  readonly kind: 'create-view';
  readonly orReplace: boolean;
  readonly secure: boolean;
  readonly materialized: boolean;
  readonly name: ObjectName;
  readonly columns: readonly ColumnDefinition[];
  readonly rowAccessPolicy?: PolicyReference;
  readonly tags: readonly TagAssignment[];
  readonly query?: QueryBody;
}

export type AlterColumnAction =
  | { readonly type: 'set-masking-policy'; readonly policy: PolicyReference }
  | { readonly type: 'unset-masking-policy' }
  | { readonly type: 'set-tags'; readonly tags: readonly TagAssignment[] }
  | { readonly type: 'unset-tags'; readonly tags: readonly ObjectName[] }
  | { readonly type: 'other' };

export interface ColumnAlteration extends Span {
  readonly column: NamePart;
  readonly action: AlterColumnAction;
}

export type AlterTableAction =
  | ({ readonly type: 'alter-column' } & ColumnAlteration)
  | ({ readonly type: 'add-column'; readonly column: ColumnDefinition } & Span)
  | ({ readonly type: 'drop-column'; readonly columns: readonly NamePart[] } & Span)
  | ({ readonly type: 'rename'; readonly newName: ObjectName } & Span)
  | ({ readonly type: 'rename-column'; readonly from: NamePart; readonly to: NamePart } & Span)
  | ({ readonly type: 'set-tags'; readonly tags: readonly TagAssignment[] } & Span)
  | ({ readonly type: 'unset-tags'; readonly tags: readonly ObjectName[] } & Span)
  | ({ readonly type: 'add-row-access-policy'; readonly policy: PolicyReference } & Span)
  | ({ readonly type: 'drop-row-access-policy'; readonly policy?: ObjectName } & Span)
  | ({ readonly type: 'other' } & Span);

export interface AlterTableStatement extends StatementBase {
  readonly kind: 'alter-table';
  /** `TABLE`, `VIEW`, `MATERIALIZED VIEW`, `DYNAMIC TABLE`, `EXTERNAL TABLE`. */
  readonly objectType: string;
  readonly name: ObjectName;
  readonly actions: readonly AlterTableAction[];
}

export interface PolicyArgument extends Span {
  readonly name: NamePart;
  readonly dataType: string;
}

export interface CreatePolicyStatement extends StatementBase {
  readonly kind: 'create-policy';
  /** `MASKING`, `ROW ACCESS`, `PROJECTION`, `AGGREGATION`, … */
  readonly policyType: string;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly arguments: readonly PolicyArgument[];
  readonly returnType?: string;
  readonly body?: QueryBody;
}

export interface AlterPolicyStatement extends StatementBase {
  readonly kind: 'alter-policy';
  readonly policyType: string;
  readonly name: ObjectName;
  readonly body?: QueryBody;
  readonly renameTo?: ObjectName;
}

export interface CreateTagStatement extends StatementBase {
  readonly kind: 'create-tag';
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly allowedValues: readonly Literal[];
}

export interface AlterTagStatement extends StatementBase {
  readonly kind: 'alter-tag';
  readonly name: ObjectName;
  readonly setMaskingPolicies: readonly ObjectName[];
  readonly unsetMaskingPolicies: readonly ObjectName[];
}

export interface CreateStageStatement extends StatementBase {
  readonly kind: 'create-stage';
  readonly orReplace: boolean;
  readonly temporary: boolean;
  readonly name: ObjectName;
  readonly properties: readonly Property[];
}

export interface CreateIntegrationStatement extends StatementBase {
  readonly kind: 'create-integration';
  /** `STORAGE`, `EXTERNAL ACCESS`, `SECURITY`, `API`, `NOTIFICATION`, or `` when unspecified. */
  readonly integrationType: string;
  readonly name: ObjectName;
  readonly properties: readonly Property[];
}

export type CopyLocation =
  | ({ readonly type: 'stage'; readonly stage: string } & Span)
  | ({ readonly type: 'url'; readonly url: Literal } & Span)
  | ({ readonly type: 'table'; readonly name: ObjectName } & Span)
  | ({ readonly type: 'query'; readonly query: QueryBody } & Span)
  | ({ readonly type: 'dynamic' } & Span);

export interface CopyIntoStatement extends StatementBase {
  readonly kind: 'copy-into';
  readonly target: CopyLocation;
  readonly source: CopyLocation;
  readonly properties: readonly Property[];
}

export interface SelectStatement extends StatementBase {
  readonly kind: 'select';
  readonly query: QueryBody;
}

export interface InsertStatement extends StatementBase {
  readonly kind: 'insert';
  readonly table: ObjectName;
  readonly columns: readonly NamePart[];
  readonly query?: QueryBody;
}

export interface DropStatement extends StatementBase {
  readonly kind: 'drop';
  readonly objectType: string;
  readonly name: ObjectName;
}

/** A CREATE of any other object kind (database, schema, warehouse, role, …). */
export interface CreateObjectStatement extends StatementBase {
  readonly kind: 'create-object';
  readonly objectType: string;
  readonly orReplace: boolean;
  readonly name: ObjectName;
  readonly properties: readonly Property[];
}

/** A scripting block, procedure or `EXECUTE IMMEDIATE`; its statements are in `nested`. */
export interface ScriptStatement extends StatementBase {
  readonly kind: 'script';
  readonly container: 'BLOCK' | 'PROCEDURE' | 'EXECUTE IMMEDIATE' | 'TASK';
  readonly name?: ObjectName;
}

/** Anything else. `words` holds its first keywords (`ALTER WAREHOUSE`), enough to classify it. */
export interface OtherStatement extends StatementBase {
  readonly kind: 'other';
  readonly words: readonly string[];
}

export type Statement =
  | GrantPrivilegesStatement
  | GrantRoleStatement
  | UseStatement
  | UserStatement
  | CreateTableStatement
  | CreateViewStatement
  | AlterTableStatement
  | CreatePolicyStatement
  | AlterPolicyStatement
  | CreateTagStatement
  | AlterTagStatement
  | CreateStageStatement
  | CreateIntegrationStatement
  | CopyIntoStatement
  | SelectStatement
  | InsertStatement
  | DropStatement
  | CreateObjectStatement
  | ScriptStatement
  | OtherStatement;

export type StatementKind = Statement['kind'];

/** A problem the front end found, tied to one statement's text. */
export interface SyntaxProblem extends Span {
  readonly message: string;
}

export interface ParsedFile {
  readonly statements: readonly Statement[];
  readonly problems: readonly SyntaxProblem[];
  readonly comments: readonly import('./tokens').Comment[];
}
