import type { Span } from '../source';
import type { AlterAction, AlterObjectStatement, CreateObjectStatement } from './ast-objects';
import type {
  CallStatement,
  ClientCommandStatement,
  DescribeStatement,
  LetStatement,
  ReturnStatement,
  ScriptStatement,
  ShowStatement,
} from './ast-script';

export type * from './ast-objects';
export type * from './ast-script';

/** One part of a dotted name. `value` is how Snowflake resolves it: upper case unless quoted. */
export interface NamePart extends Span {
  readonly value: string;
  readonly quoted: boolean;
  /** A template placeholder (`{{ db }}`, `${db}`, `&db`, …) whose `value` is its text as written. */
  readonly placeholder?: boolean;
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
  /**
   * Columns of `USING (…)` for conditional masking, `ON (…)` for row access, `ENTITY KEY (…)` for
   * an aggregation policy or `ALLOWED JOIN KEYS (…)` for a join policy.
   */
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

export interface StatementBase extends Span {
  /** Statements of a scripting block or `$$` body, parsed in place; rules visit them too. */
  readonly nested?: readonly Statement[];
}

export interface GrantPrivilegesStatement extends StatementBase {
  readonly kind: 'grant-privileges';
  readonly action: 'GRANT' | 'REVOKE';
  /** `REVOKE GRANT OPTION FOR …`: only the right to grant is taken back, not the privilege. */
  readonly grantOptionFor: boolean;
  /** `CASCADE` or `RESTRICT` at the end of a REVOKE. */
  readonly cascade?: 'CASCADE' | 'RESTRICT';
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
  readonly grantOptionFor: boolean;
  readonly cascade?: 'CASCADE' | 'RESTRICT';
}

export interface UseStatement extends StatementBase {
  readonly kind: 'use';
  readonly target: 'ROLE' | 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | 'SECONDARY ROLES';
  /** The role, database, schema or warehouse; for SECONDARY ROLES, the first listed role. */
  readonly name?: ObjectName;
  /** `USE SECONDARY ROLES ALL | NONE | r1, r2`: the mode and the roles listed. */
  readonly secondaryRoles?: {
    readonly mode: 'ALL' | 'NONE' | 'LIST';
    readonly roles: readonly ObjectName[];
  };
}

export interface UserStatement extends StatementBase {
  readonly kind: 'create-user' | 'alter-user';
  readonly name: ObjectName;
  readonly orReplace: boolean;
  /** Properties given by CREATE or by ALTER … SET. */
  readonly properties: readonly Property[];
  readonly unset: readonly string[];
  /**
   * Every action of ALTER USER, the SET and UNSET above included: `SET AUTHENTICATION POLICY p`,
   * `SET TAG …`, `RENAME TO …`, and the long tail (`RESET PASSWORD`, MFA actions) as `other`.
   * Empty for CREATE USER.
   */
  readonly actions: readonly AlterAction[];
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
  /** `[WITH] AGGREGATION POLICY p [ENTITY KEY (…)]`. */
  readonly aggregationPolicy?: PolicyReference;
  /** `[WITH] JOIN POLICY p [ALLOWED JOIN KEYS (…)]`. */
  readonly joinPolicy?: PolicyReference;
  readonly tags: readonly TagAssignment[];
  /** Table options such as `DATA_RETENTION_TIME_IN_DAYS = 0`, `CHANGE_TRACKING`, `COMMENT`. */
  readonly properties: readonly Property[];
  readonly copyGrants: boolean;
  readonly asQuery?: QueryBody;
  readonly cloneOf?: ObjectName;
  readonly likeOf?: ObjectName;
}

export interface CreateViewStatement extends StatementBase {
  readonly kind: 'create-view';
  readonly orReplace: boolean;
  readonly secure: boolean;
  readonly materialized: boolean;
  readonly recursive: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly columns: readonly ColumnDefinition[];
  readonly rowAccessPolicy?: PolicyReference;
  readonly aggregationPolicy?: PolicyReference;
  readonly joinPolicy?: PolicyReference;
  readonly tags: readonly TagAssignment[];
  /** View options such as `COMMENT = '…'` and `CHANGE_TRACKING = TRUE`. */
  readonly properties: readonly Property[];
  readonly copyGrants: boolean;
  readonly query?: QueryBody;
}

export type AlterColumnAction =
  | { readonly type: 'set-masking-policy'; readonly policy: PolicyReference }
  | { readonly type: 'unset-masking-policy' }
  | { readonly type: 'set-projection-policy'; readonly policy: PolicyReference }
  | { readonly type: 'unset-projection-policy' }
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
  /** `SWAP WITH other`: the two tables exchange names, with their columns, policies and tags. */
  | ({ readonly type: 'swap'; readonly other: ObjectName } & Span)
  | ({ readonly type: 'rename-column'; readonly from: NamePart; readonly to: NamePart } & Span)
  | ({ readonly type: 'set-tags'; readonly tags: readonly TagAssignment[] } & Span)
  | ({ readonly type: 'unset-tags'; readonly tags: readonly ObjectName[] } & Span)
  | ({ readonly type: 'add-row-access-policy'; readonly policy: PolicyReference } & Span)
  | ({ readonly type: 'drop-row-access-policy'; readonly policy?: ObjectName } & Span)
  /** `SET AGGREGATION POLICY p [ENTITY KEY (…)] [FORCE]` or `SET JOIN POLICY p [FORCE]`. */
  | ({
      readonly type: 'set-policy';
      readonly policyType: 'AGGREGATION' | 'JOIN';
      readonly policy: PolicyReference;
    } & Span)
  | ({ readonly type: 'unset-policy'; readonly policyType: 'AGGREGATION' | 'JOIN' } & Span)
  /** `SET DATA_RETENTION_TIME_IN_DAYS = 0 …`: table options other than policies and tags. */
  | ({ readonly type: 'set-properties'; readonly properties: readonly Property[] } & Span)
  | ({ readonly type: 'unset-properties'; readonly keys: readonly NamePart[] } & Span)
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

/**
 * Any `CREATE … POLICY`. Masking, row access, projection, aggregation and join policies have a
 * signature and a body; authentication, password, session, network and other policies have
 * `properties` instead (`ALLOWED_IP_LIST = ('…')`, `PASSWORD_MIN_LENGTH = 14`, …).
 */
export interface CreatePolicyStatement extends StatementBase {
  readonly kind: 'create-policy';
  /** `MASKING`, `ROW ACCESS`, `PROJECTION`, `AGGREGATION`, `NETWORK`, `PASSWORD`, … */
  readonly policyType: string;
  readonly orReplace: boolean;
  readonly orAlter: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly arguments: readonly PolicyArgument[];
  readonly returnType?: string;
  readonly body?: QueryBody;
  /** Every `KEY = value` option, `COMMENT` and `EXEMPT_OTHER_POLICIES` included. */
  readonly properties: readonly Property[];
  readonly tags: readonly TagAssignment[];
}

/** Any `ALTER … POLICY`; `body` and `renameTo` repeat the matching actions for convenience. */
export interface AlterPolicyStatement extends StatementBase {
  readonly kind: 'alter-policy';
  readonly policyType: string;
  readonly name: ObjectName;
  readonly body?: QueryBody;
  readonly renameTo?: ObjectName;
  readonly actions: readonly AlterAction[];
}

export interface CreateTagStatement extends StatementBase {
  readonly kind: 'create-tag';
  readonly orReplace: boolean;
  readonly orAlter: boolean;
  readonly ifNotExists: boolean;
  readonly name: ObjectName;
  readonly allowedValues: readonly Literal[];
  readonly multiValue: boolean;
  /** `PROPAGATE = ON_DEPENDENCY | ON_DATA_MOVEMENT | ON_DEPENDENCY_AND_DATA_MOVEMENT`. */
  readonly propagate?: Literal;
  /** `ON_CONFLICT = '<value>' | ALLOWED_VALUES_SEQUENCE | MERGE`, with PROPAGATE only. */
  readonly onConflict?: Literal;
  readonly comment?: Literal;
}

export interface AlterTagStatement extends StatementBase {
  readonly kind: 'alter-tag';
  readonly name: ObjectName;
  readonly setMaskingPolicies: readonly ObjectName[];
  readonly unsetMaskingPolicies: readonly ObjectName[];
  /** Every action, masking policies included (`ADD ALLOWED_VALUES`, `SET PROPAGATE = …`, …). */
  readonly actions: readonly AlterAction[];
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
  /** `COPY INTO t (a, b)`: the target columns of a load. */
  readonly columns: readonly NamePart[];
  readonly source: CopyLocation;
  /** `PARTITION BY <expr>` of an unload; its values end up in file names. */
  readonly partitionBy?: QueryBody;
  /** Options such as `FILE_FORMAT = (…)`, `HEADER = TRUE`, `STORAGE_INTEGRATION`, `CREDENTIALS`. */
  readonly properties: readonly Property[];
}

/** `PUT file://… @stage` (upload) or `GET @stage file://…` (download to the client machine). */
export interface FileTransferStatement extends StatementBase {
  readonly kind: 'file-transfer';
  readonly direction: 'PUT' | 'GET';
  /** The local `file://` URI, quoted or not; `value` is the URI itself. */
  readonly localPath: Literal;
  readonly stage: CopyLocation;
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
  | AlterObjectStatement
  | FileTransferStatement
  | ScriptStatement
  | LetStatement
  | ReturnStatement
  | CallStatement
  | ShowStatement
  | DescribeStatement
  | ClientCommandStatement
  | OtherStatement;

export type StatementKind = Statement['kind'];

/**
 * Why the front end reported a problem: `unparsed`, a statement it could not read;
 * `unterminated`, a string, quoted identifier, `$$` body or comment that never closes;
 * `unclosed-block`, a scripting block without its END; `invalid`, a statement it read but that
 * Snowflake rejects (such as OR REPLACE together with IF NOT EXISTS).
 */
export type ProblemCode = 'unparsed' | 'unterminated' | 'unclosed-block' | 'invalid';

/** A problem the front end found, tied to one statement's text. */
export interface SyntaxProblem extends Span {
  readonly message: string;
  readonly code: ProblemCode;
}

export interface ParsedFile {
  readonly statements: readonly Statement[];
  readonly problems: readonly SyntaxProblem[];
  readonly comments: readonly import('./tokens').Comment[];
}
