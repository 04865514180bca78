import type { Catalog, TableColumns, TableModel } from './catalog';
import { columnFacts } from './catalog';
import type { Classifier } from './classify';
import { lastPart } from './names';

const WORD = /"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*/g;

/**
 * The last name parts of relations through which personal data can flow: tables with a
 * classified column (those no linted file creates included, as migrations and the account
 * describe them), and views or CTAS tables whose query mentions one of those or names a
 * column that classifies by its name (of a table no linted file creates, say). A query that
 * mentions none of them cannot expose or copy personal data, so the rules need not trace its
 * lineage, which is the slowest step of an analysis (node-sql-parser reads about 0.3 MB/s).
 */
export function sensitiveRelationNames(catalog: Catalog, classifier: Classifier): Set<string> {
  const names = new Set<string>();
  const derived: RelationFacts[] = [];
  for (const table of Map.prototype.values.call(catalog.tables) as Iterable<TableModel>) {
    const facts = relationFacts(table, classifier);
    if (facts.query) derived.push(facts);
    else if (facts.classified) names.add(facts.name);
  }
  for (const table of Map.prototype.values.call(catalog.externalTables) as Iterable<TableColumns>) {
    if (hasClassifiedColumn(table, classifier)) names.add(lastPart(table.key));
  }
  // Views over views: repeat until nothing new is reached (bounded by the number of views).
  for (let changed = true; changed;) {
    changed = false;
    for (const { name, classified, query } of derived) {
      if (names.has(name) || !query) continue;
      if (classified || query.classifies || query.relations.some((word) => names.has(word))) {
        names.add(name);
        changed = true;
      }
    }
  }

  return names;
}

/** True when the text names one of the relations, by any word of it. */
export function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const key = word.startsWith('"') ? canonicalQuoted(word) : word.toUpperCase();
    if (names.has(key)) return true;
  }

  return false;
}

const NO_TAGS: ReadonlyMap<string, string | undefined> = new Map();

/**
 * True when a query may carry personal data: it mentions one of the relations, or some word of
 * it is a column name that classifies by itself, which is all there is to judge for a column of
 * a table no linted file creates (`SELECT date_of_birth FROM legacy.core.customers`).
 */
export function mayCarryPersonalData(
  text: string,
  names: ReadonlySet<string>,
  classifier: Classifier,
): boolean {
  if (mentionsAny(text, names)) return true;
  for (const match of text.matchAll(WORD)) {
    const word = match[0].startsWith('"') ? match[0].slice(1, -1) : match[0];
    if (classifier.classify({ name: word, tags: NO_TAGS })) return true;
  }

  return false;
}

/** A query node, whose text stays the same while the node is kept. */
type QueryText = { readonly text: string };

function queryOf(table: TableModel): QueryText | undefined {
  const statement = table.statement;
  if (statement.kind === 'create-view') return statement.query;

  return statement.asQuery;
}

/**
 * Answers per table model and classifier. A finished catalog's models never change, and an
 * edit's catalog shares the models of the statements before the edit (see `checkpoints.ts`), so
 * most answers carry over from the last analysis.
 */
const classifiedTables = new WeakMap<Classifier, WeakMap<TableColumns, boolean>>();

function hasClassifiedColumn(table: TableColumns, classifier: Classifier): boolean {
  return answerOnce(classifiedTables, classifier, table, () => {
    for (const column of table.columns.values()) {
      if (classifier.classify(columnFacts(column))) return true;
    }

    return false;
  });
}

/** The answer kept for `key` under `classifier`, computed by `compute` the first time. */
function answerOnce<Key extends object, Answer>(
  cache: WeakMap<Classifier, WeakMap<Key, Answer>>,
  classifier: Classifier,
  key: Key,
  compute: () => Answer,
): Answer {
  let answers = cache.get(classifier);
  if (!answers) {
    answers = new WeakMap();
    cache.set(classifier, answers);
  }
  if (answers.has(key)) return answers.get(key) as Answer;
  const answer = compute();
  answers.set(key, answer);

  return answer;
}

/** What `sensitiveRelationNames` needs of a table, view or CTAS table of the catalog. */
interface RelationFacts {
  /** The last part of its key. */
  readonly name: string;
  /** It has a column that classifies. */
  readonly classified: boolean;
  /** Of a view or CTAS table, what its query says, as `mayCarryPersonalData` judges it. */
  readonly query?: QueryWords;
}

interface QueryWords {
  /** Its words as relation name parts, each once. */
  readonly relations: readonly string[];
  /** Some word is a column name that classifies by itself. */
  readonly classifies: boolean;
}

/**
 * Per table model and classifier, like `classifiedTables`, so that an edit does not read every
 * view of the repository again, nor split every key.
 */
const relationFactsOfTables = new WeakMap<Classifier, WeakMap<TableModel, RelationFacts>>();

function relationFacts(table: TableModel, classifier: Classifier): RelationFacts {
  return answerOnce(relationFactsOfTables, classifier, table, () => {
    const query = queryOf(table);

    return {
      name: lastPart(table.key),
      classified: hasClassifiedColumn(table, classifier),
      query: query?.text ? queryWords(query, classifier) : undefined,
    };
  });
}

/**
 * Per query node and classifier: a statement keeps its nodes while its text is unchanged, so the
 * views after an edit, whose models the edit's catalog makes again, are not read again either.
 */
const wordsOfQueries = new WeakMap<Classifier, WeakMap<QueryText, QueryWords>>();

function queryWords(query: QueryText, classifier: Classifier): QueryWords {
  return answerOnce(wordsOfQueries, classifier, query, () => {
    const relations = new Set<string>();
    let classifies = false;
    for (const match of query.text.matchAll(WORD)) {
      const word = match[0];
      relations.add(word.startsWith('"') ? canonicalQuoted(word) : word.toUpperCase());
      const name = word.startsWith('"') ? word.slice(1, -1) : word;
      if (!classifies && classifier.classify({ name, tags: NO_TAGS })) classifies = true;
    }

    return { relations: [...relations], classifies };
  });
}

/** `"Orders"` as a canonical key part: quoted unless it is a plain upper-case identifier. */
function canonicalQuoted(word: string): string {
  const value = word.slice(1, -1).replace(/""/g, '"');

  return /^[A-Z_][A-Z0-9_$]*$/.test(value) ? value : word;
}
