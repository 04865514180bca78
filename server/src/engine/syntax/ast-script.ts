import type { Literal, NamePart, ObjectName, QueryBody, StatementBase } from './ast';

/**
 * A scripting block, routine, `EXECUTE IMMEDIATE`, or a branch or loop inside a block; its
 * statements are in `nested`. `IF`, `CASE`, `FOR`, `WHILE`, `LOOP`, `REPEAT` and `EXCEPTION`
 * hold the statements of their branches, bodies or handlers.
 */
export interface ScriptStatement extends StatementBase {
  readonly kind: 'script';
  readonly container:
    | 'BLOCK'
    | 'PROCEDURE'
    | 'FUNCTION'
    | 'EXECUTE IMMEDIATE'
    | 'TASK'
    | 'IF'
    | 'CASE'
    | 'FOR'
    | 'WHILE'
    | 'LOOP'
    | 'REPEAT'
    | 'EXCEPTION';
  readonly name?: ObjectName;
  /** For routines: `OR REPLACE`, the language, `EXECUTE AS` and the body's text and range. */
  readonly orReplace?: boolean;
  readonly language?: string;
  /** `EXECUTE AS …`; `USER` is a task run as a named user. */
  readonly executeAs?: 'OWNER' | 'CALLER' | 'RESTRICTED CALLER' | 'USER';
  readonly body?: QueryBody;
  /** `EXECUTE IMMEDIATE` of a variable, an expression or a file, whose SQL cannot be read. */
  readonly dynamic?: boolean;
  /** `EXECUTE IMMEDIATE FROM '<path>'`: the file whose statements run. */
  readonly fromFile?: Literal;
}

/** `LET x [type] := expr`, `LET c CURSOR FOR query`, or a plain `x := expr` in a block. */
export interface LetStatement extends StatementBase {
  readonly kind: 'let';
  readonly name: NamePart;
  /** False for an assignment written without LET. */
  readonly declared: boolean;
  readonly dataType?: string;
  /** The assigned expression or the cursor's query. */
  readonly value?: QueryBody;
  readonly cursor: boolean;
}

export interface ReturnStatement extends StatementBase {
  readonly kind: 'return';
  readonly value?: QueryBody;
}

/** `CALL proc(args) [INTO :var]`. */
export interface CallStatement extends StatementBase {
  readonly kind: 'call';
  readonly procedure: ObjectName;
  /** `CALL instance!METHOD(…)`: the method of a class instance, upper case. */
  readonly method?: string;
  /** The text between the parentheses, when there is any. */
  readonly arguments?: QueryBody;
}

/** `SHOW [TERSE] <kinds> [LIKE '…'] [IN | ON | TO | OF …]`. */
export interface ShowStatement extends StatementBase {
  readonly kind: 'show';
  /** Upper case, single-spaced: `GRANTS`, `USERS`, `NETWORK POLICIES`, `PARAMETERS`, … */
  readonly objectType: string;
  readonly terse: boolean;
  readonly like?: Literal;
  readonly scope?: {
    readonly preposition: 'IN' | 'ON' | 'TO' | 'OF';
    readonly objectType?: string;
    readonly name?: ObjectName;
  };
}

/** `DESCRIBE | DESC <kind> name [(argument types)]`. */
export interface DescribeStatement extends StatementBase {
  readonly kind: 'describe';
  readonly objectType: string;
  readonly name?: ObjectName;
}

/** A SnowSQL client command line (`!set variable_substitution=true`, `!source f.sql`). */
export interface ClientCommandStatement extends StatementBase {
  readonly kind: 'client-command';
  /** The command word, upper case: `SET`, `SOURCE`, `DEFINE`, … */
  readonly command: string;
  readonly text: string;
}
