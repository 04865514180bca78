/**
 * Random query bodies around the shapes the fast SELECT reader knows, with words, types and
 * operators just outside them mixed in, so that a differential test sees both what it reads and
 * what it must decline. The same seed gives the same text.
 */
export function randomSelect(seed: number): string {
  return new Generator(seed).query();
}

const COMMON = ['a', 'b', 'c', 'id', 'email', 'Email', 'n', 'x', 'l', 't', 'r', 'amount', 'ssn'];
const ODD = ['status', 'value', 'name', 'date', 'type', 'sample', 'row', 'first', 'qualify'];
const QUOTED = ['"Mixed"', '"A"', '"x y"', '"ID"'];
const FUNCTIONS = ['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'COALESCE', 'UPPER', 'IFF', 'DATEADD'];
const ODD_FUNCTIONS = ['CURRENT_TIMESTAMP', 'LEFT', 'STDDEV', 'ROW_NUMBER', 'TRIM', 'LISTAGG'];
const TYPES = ['VARCHAR', 'VARCHAR(10)', 'NUMBER(38,0)', 'DATE', 'INT', 'VARIANT', 'TIMESTAMP_LTZ'];
const OPERATORS = ['+', '-', '*', '/', '||', '%', '=', '<>', '<', '>=', 'AND', 'OR'];
const JOINS = ['JOIN', 'INNER JOIN', 'LEFT JOIN', 'LEFT OUTER JOIN', 'FULL JOIN', 'RIGHT JOIN'];

class Generator {
  private state: number;
  private depth = 0;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  query(): string {
    return this.nested(() => {
      let text = '';
      if (this.chance(0.3) && this.depth < 3) {
        const columns = this.chance(0.2) ? ` (${this.name()}, ${this.name()})` : '';
        text += `WITH ${this.name()}${columns} AS (${this.query()}) `;
      }
      text += this.select();
      while (this.chance(0.15)) text += ` UNION ${this.pick(['', 'ALL '])}${this.select()}`;
      if (this.chance(0.1)) text += ` ORDER BY ${this.expression()} ${this.pick(['', 'DESC'])}`;
      if (this.chance(0.05)) text += ' LIMIT 10';

      return this.chance(0.3) ? text.replace(/ /g, () => this.pick([' ', '\n  '])) : text;
    });
  }

  private select(): string {
    const items = Array.from({ length: 1 + this.below(3) }, () => this.item()).join(', ');
    let text = `SELECT ${this.chance(0.1) ? 'DISTINCT ' : ''}${items}`;
    if (this.chance(0.9)) text += ` FROM ${this.from()}`;
    if (this.chance(0.3)) text += ` WHERE ${this.expression()}`;
    if (this.chance(0.2)) text += ` GROUP BY ${this.expression()}`;
    if (this.chance(0.1)) text += ` HAVING ${this.expression()}`;
    if (this.chance(0.05)) text += ` QUALIFY ${this.expression()}`;

    return text;
  }

  private item(): string {
    return this.pick([
      () => '*',
      () => `${this.name()}.*`,
      () => `* EXCLUDE (${this.name()}, ${this.name()})`,
      () => `* RENAME (${this.name()} AS ${this.name()})`,
      () => this.expression(),
      () => `${this.expression()} AS ${this.name()}`,
      () => `${this.expression()} ${this.name()}`,
    ])();
  }

  private from(): string {
    const one = (): string =>
      this.pick([
        () => this.path(),
        () => `${this.path()} ${this.name()}`,
        () => `${this.path()} AS ${this.name()}`,
        () => `(${this.query()}) ${this.name()}`,
      ])();
    let text = one();
    for (let joins = this.below(3); joins > 0; joins--) {
      text += this.pick([
        () => `, ${one()}`,
        () => ` ${this.pick(JOINS)} ${one()} ON ${this.expression()}`,
        () => ` CROSS JOIN ${one()}`,
        () => ` JOIN ${one()} USING (${this.name()})`,
      ])();
    }

    return text;
  }

  private expression(): string {
    return this.nested(() => {
      if (this.depth > 3) return this.pick([() => this.path(), () => '1'])();

      return this.pick([
        () => this.path(),
        () => this.path(),
        () => this.pick(['1', '2.5', '-1', "'x'", "'it''s'", 'NULL', 'TRUE']),
        () => `${this.expression()} ${this.pick(OPERATORS)} ${this.expression()}`,
        () => this.call(),
        () =>
          `CASE WHEN ${this.expression()} THEN ${this.expression()} ELSE ${this.expression()} END`,
        () => `CAST(${this.expression()} AS ${this.pick(TYPES)})`,
        () => `${this.expression()}::${this.pick(TYPES)}`,
        () => `(${this.expression()})`,
        () => `(${this.query()})`,
        () => `${this.expression()} IS ${this.pick(['', 'NOT '])}NULL`,
        () => `${this.expression()} ${this.pick(['', 'NOT '])}IN (${this.expression()}, 2)`,
        () => `${this.expression()} BETWEEN ${this.expression()} AND ${this.expression()}`,
        () => `${this.expression()} LIKE ${this.expression()}`,
        () => `EXISTS (${this.query()})`,
        () => `${this.expression()} IN (${this.query()})`,
        () => `NOT ${this.expression()}`,
        () => `-${this.expression()}`,
        () => `TRY_CAST(${this.expression()} AS ${this.pick(TYPES)})`,
      ])();
    });
  }

  private call(): string {
    const name = this.chance(0.8) ? this.pick(FUNCTIONS) : this.pick(ODD_FUNCTIONS);
    const args = this.pick([
      () => '',
      () => '*',
      () => `DISTINCT ${this.expression()}`,
      () => this.expression(),
      () => `${this.expression()}, ${this.expression()}`,
      () => `day, ${this.expression()}, ${this.expression()}`,
    ])();
    const window = this.pick([
      () => `PARTITION BY ${this.expression()}`,
      () => `ORDER BY ${this.expression()} DESC`,
      () => `PARTITION BY ${this.expression()} ORDER BY ${this.expression()}`,
    ]);
    const over = this.chance(0.2) ? ` OVER (${window()})` : '';

    return `${name}(${args})${over}`;
  }

  private path(): string {
    return Array.from({ length: 1 + this.below(3) }, () => this.name()).join('.');
  }

  private name(): string {
    if (this.chance(0.85)) return this.pick(COMMON);

    return this.chance(0.5) ? this.pick(ODD) : this.pick(QUOTED);
  }

  private nested(make: () => string): string {
    this.depth++;
    try {
      return make();
    } finally {
      this.depth--;
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private below(count: number): number {
    return Math.floor(this.random() * count);
  }

  /** mulberry32, as the benchmark's generator uses. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
