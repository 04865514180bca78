import type { Span } from '../source';
import type {
  Literal,
  NamePart,
  ObjectName,
  Property,
  QueryBody,
  StatementBase,
  TagAssignment,
} from './ast';

/**
 * A CREATE of any other object kind: database, schema, role, database role, warehouse, share,
 * network rule, and the long tail. Databases and schemas carry their governance options here:
 * `TRANSIENT` in `modifiers`, `managedAccess`, `cloneOf`, and `DATA_RETENTION_TIME_IN_DAYS` in
 * `properties`.
 */
export interface CreateObjectStatement extends StatementBase {
  readonly kind: 'create-object';
  readonly objectType: string;
  readonly orReplace: boolean;
  readonly orAlter: boolean;
  readonly ifNotExists: boolean;
  /** Words between CREATE and the kind, upper case: `TRANSIENT`, `SECURE`, `TEMPORARY`, … */
  readonly modifiers: readonly string[];
  readonly name: ObjectName;
  readonly properties: readonly Property[];
  readonly tags: readonly TagAssignment[];
  /** `CLONE source [AT | BEFORE (…)]`. */
  readonly cloneOf?: ObjectName;
  /** `CREATE SCHEMA … WITH MANAGED ACCESS`. */
  readonly managedAccess: boolean;
}

/** One action of an ALTER statement. */
export type AlterAction =
  /** `SET KEY = value …`; several properties may share one SET. */
  | ({ readonly type: 'set'; readonly properties: readonly Property[] } & Span)
  /** `UNSET KEY, …`. */
  | ({ readonly type: 'unset'; readonly keys: readonly NamePart[] } & Span)
  | ({ readonly type: 'set-tags'; readonly tags: readonly TagAssignment[] } & Span)
  | ({ readonly type: 'unset-tags'; readonly tags: readonly ObjectName[] } & Span)
  | ({ readonly type: 'rename'; readonly newName: ObjectName } & Span)
  /** `SET PASSWORD POLICY p [FORCE]`, `SET MASKING POLICY p`, `SET BODY -> …` is `set-body`. */
  | ({
      readonly type: 'set-policy';
      readonly policyType: string;
      readonly policy: ObjectName;
      readonly force: boolean;
    } & Span)
  | ({
      readonly type: 'unset-policy';
      readonly policyType: string;
      readonly policy?: ObjectName;
    } & Span)
  | ({ readonly type: 'set-body'; readonly body?: QueryBody } & Span)
  /** `ADD ALLOWED_IP_LIST = (…)`, `ADD ALLOWED_VALUES 'a'`, and their REMOVE / DROP. */
  | ({
      readonly type: 'add-values' | 'remove-values';
      readonly key: string;
      readonly values: readonly Literal[];
    } & Span)
  /** `ALTER SCHEMA s ENABLE | DISABLE MANAGED ACCESS`. */
  | ({ readonly type: 'managed-access'; readonly enabled: boolean } & Span)
  /** Anything else (`RESUME`, `SWAP WITH`, `REFRESH`, …); `words` are its first keywords. */
  | ({ readonly type: 'other'; readonly words: readonly string[] } & Span);

/**
 * ALTER of every kind without a node of its own: ACCOUNT, SESSION, ROLE, DATABASE ROLE, DATABASE,
 * SCHEMA, STAGE, integrations, NETWORK RULE, SHARE, WAREHOUSE and the long tail.
 */
export interface AlterObjectStatement extends StatementBase {
  readonly kind: 'alter-object';
  /** Single-spaced upper case: `ACCOUNT`, `DATABASE ROLE`, `SECURITY INTEGRATION`, … */
  readonly objectType: string;
  /** Absent for `ALTER ACCOUNT SET …` and `ALTER SESSION SET …`, which name no object. */
  readonly name?: ObjectName;
  readonly ifExists: boolean;
  readonly actions: readonly AlterAction[];
}
