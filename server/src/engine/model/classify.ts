/**
 * Decides which columns hold personal data, and says why. The evidence is kept with the verdict
 * so that a finding can tell a reviewer what to check ("column name matches date of birth").
 */

import { detachedCopy } from '../source';

/** A category id: one of the built-in ones below, or one the user defines in snowgov.yml. */
export type PiiCategory = string;

export type BuiltInCategory =
  | 'email'
  | 'phone'
  | 'person_name'
  | 'national_id'
  | 'date_of_birth'
  | 'street_address'
  | 'postal_code'
  | 'ip_address'
  | 'mac_address'
  | 'payment_card'
  | 'bank_account'
  | 'passport'
  | 'drivers_license'
  | 'gender'
  | 'quasi_identifier'
  | 'pii';

export const CATEGORY_LABELS: Record<BuiltInCategory, string> = {
  email: 'email address',
  phone: 'phone number',
  person_name: 'person name',
  national_id: 'national identifier',
  date_of_birth: 'date of birth',
  street_address: 'street address',
  postal_code: 'postal code',
  ip_address: 'IP address',
  mac_address: 'MAC address',
  payment_card: 'payment card number',
  bank_account: 'bank account number',
  passport: 'passport number',
  drivers_license: "driver's licence number",
  gender: 'gender',
  quasi_identifier: 'quasi-identifier',
  pii: 'personal data',
};

/** `an email address`, `a phone number`. */
export function withArticle(label: string): string {
  // Mass nouns take no article: "holds personal data".
  if (/\bdata$/.test(label)) return label;

  return /^[aeiouAEIOU]|^IP /.test(label) ? `an ${label}` : `a ${label}`;
}

/**
 * Quasi-identifiers: harmless alone, identifying in combination (the classic date of birth +
 * postal code + gender). Snowflake's classifier files them under QUASI_IDENTIFIER.
 */
const QUASI_IDENTIFIERS: ReadonlySet<string> = new Set([
  'date_of_birth',
  'postal_code',
  'gender',
  'quasi_identifier',
]);

export interface Classification {
  readonly category: PiiCategory;
  /** What gave the category away, to follow "judged by": `its name`, `tag PII = 'email'`. */
  readonly evidence: string;
}

/**
 * Name patterns, matched against the snake_case name. Each must end the name, optionally followed
 * by a suffix that still denotes the value itself (`_number`, `_enc`), so that `email_sent_at`,
 * `phone_verified` and `zip_file_path` stay unclassified.
 */
const NAME_PATTERNS: readonly (readonly [BuiltInCategory, RegExp])[] = [
  ['email', /(?:^|_)e_?mail(?:_?addr(?:ess)?)?(?:_(?:raw|clear|plain|\d))?$/],
  // Online identifiers (GDPR recital 30): they single out a device, and so its user.
  [
    'ip_address',
    /(?:^|_)(?:ip|ip_?v[46]|ip_?(?:v[46]_?)?addr(?:ess)?|remote_?addr(?:ess)?)(?:_\d)?$/,
  ],
  ['mac_address', /(?:^|_)mac_?addr(?:ess)?(?:_\d)?$/],
  [
    'phone',
    /(?:^|_)(?:(?:tele|cell_?|mobile_?|home_?|work_?)?phone|mobile|msisdn|fax)(?:_?(?:number|num|no|nr))?(?:_\d)?$/,
  ],
  [
    'payment_card',
    /(?:^|_)(?:credit_?card|card|cc|debit_?card)_?(?:number|num|no|nr)$|(?:^|_)(?:pan|ccn|credit_?card)$/,
  ],
  [
    'bank_account',
    // A bare `account_number` is usually a customer or ledger account, not a bank account; a
    // routing number or sort code names the bank (published), not the person's account.
    /(?:^|_)(?:iban|bank_?acc(?:oun)?t(?:_?(?:number|num|no|nr))?)$/,
  ],
  [
    'national_id',
    /(?:^|_)(?:ssn|us_ssn|social_security(?:_number|_no)?|national_?id(?:entifier)?(?:_number)?|nin|nino|national_insurance(?:_number)?|tax_?id(?:entifier)?|personal_id(?:_number)?|sin_number)$/,
  ],
  ['passport', /(?:^|_)passport(?:_?(?:number|num|no|nr|id))?$/],
  [
    'drivers_license',
    /(?:^|_)(?:drivers?_?licen[cs]e|driving_?licen[cs]e|dl)(?:_?(?:number|num|no|nr|id))?$|(?:^|_)drivers?_?licen[cs]e$/,
  ],
  ['date_of_birth', /(?:^|_)(?:dob|date_?of_?birth|birth_?date|birth_?dt|birthday|birth_?day)$/],
  [
    'postal_code',
    /(?:^|_)(?:zip|zip_?code|zipcode|postal_?code|post_?code|postcode|zip5|zip_?plus_?4)$/,
  ],
  ['gender', /(?:^|_)(?:gender|sex)(?:_?code)?$/],
  [
    'person_name',
    // A bare `name` is not here: it names products, companies and objects far more often.
    /(?:^|_)(?:first|last|middle|full|given|family|maiden|legal|preferred|person|contact|display)_?name$|(?:^|_)(?:surname|forename|firstname|lastname|fullname)$/,
  ],
  [
    'person_name',
    // Someone's name by the role they play; `company_name`, `product_name` stay unclassified.
    /(?:^|_)(?:customer|patient|employee|member|student|applicant|guardian|spouse|cardholder|card_holder|account_holder|holder|beneficiary|recipient|passenger|traveller|traveler|guest|subscriber|borrower|tenant|policyholder|claimant|donor|resident|doctor|physician|nurse|emergency_contact|next_of_kin)_?name$/,
  ],
  [
    'street_address',
    // `ip_address`, `wallet_address`, `web_address` and their kin are not where anyone lives.
    /(?:^|_)(?:(?:street|home|mailing|billing|shipping|postal|residential)_?)?(?<!(?:^|_)(?:ip|ip_?v[46]|mac|wallet|web|url|server|host|contract|memory|network|hardware|node|proxy|smtp|crypto|bitcoin|btc|eth|token|remote|email|e_?mail|device|bluetooth|ble)_?)(?:address|addr)(?:_?line_?\d)?$|(?:^|_)street(?:_?(?:name|line_?\d))?$/,
  ],
];

/** Tag names (last part, upper case) whose value names a category, or whose presence means PII. */
const PII_TAGS = new Set(['PII', 'PII_TYPE', 'PII_CATEGORY', 'SEMANTIC_CATEGORY', 'SENSITIVE']);
const PRIVACY_TAG = 'PRIVACY_CATEGORY';

/** Snowflake semantic categories (and plain words) mapped onto ours. */
const TAG_VALUE_CATEGORIES: Record<string, BuiltInCategory> = {
  EMAIL: 'email',
  PHONE_NUMBER: 'phone',
  PHONE: 'phone',
  NAME: 'person_name',
  PERSON_NAME: 'person_name',
  NATIONAL_IDENTIFIER: 'national_id',
  US_SSN: 'national_id',
  SSN: 'national_id',
  TAX_IDENTIFIER: 'national_id',
  DATE_OF_BIRTH: 'date_of_birth',
  DOB: 'date_of_birth',
  STREET_ADDRESS: 'street_address',
  ADDRESS: 'street_address',
  POSTAL_CODE: 'postal_code',
  US_POSTAL_CODE: 'postal_code',
  IP_ADDRESS: 'ip_address',
  MAC_ADDRESS: 'mac_address',
  PAYMENT_CARD: 'payment_card',
  BANK_ACCOUNT: 'bank_account',
  IBAN: 'bank_account',
  PASSPORT: 'passport',
  DRIVERS_LICENSE: 'drivers_license',
  GENDER: 'gender',
};

/** Tag values that say "not personal data". */
const NEGATIVE_TAG_VALUES = new Set(['', 'NONE', 'FALSE', 'NO', 'N', '0', 'PUBLIC', 'NOT_PII']);

export interface ColumnFacts {
  readonly name: string;
  /** Names the column had before it was renamed, oldest first. */
  readonly formerNames?: readonly string[];
  /** Tags on the column: last part of the tag name (upper case) → value. */
  readonly tags: ReadonlyMap<string, string | undefined>;
  readonly comment?: string;
}

/** The `classification` section of snowgov.yml. */
export interface ClassificationSettings {
  /** New categories, or extra patterns and tag values for built-in ones (same id). */
  readonly categories?: readonly CategorySettings[];
  /** Extra tag names (last name part) whose value names a category or whose presence means PII. */
  readonly tagNames?: readonly string[];
  /** Column-name patterns that are never personal data, whatever else matches. */
  readonly ignoreColumns?: readonly string[];
}

export interface CategorySettings {
  readonly id: string;
  readonly label?: string;
  /** Regular expressions matched, case-insensitively, against the snake_case column name. */
  readonly namePatterns?: readonly string[];
  /** Tag values (e.g. of a PII tag) that name this category. */
  readonly tagValues?: readonly string[];
  /** Identifies people only in combination (like date of birth); reported less severely. */
  readonly quasiIdentifier?: boolean;
}

interface Category {
  readonly label: string;
  readonly patterns: RegExp[];
  readonly quasiIdentifier: boolean;
}

interface NameFacts {
  /** Matched by an `ignoreColumns` pattern. */
  readonly ignored: boolean;
  /** The category the name matches, if any. */
  readonly category: string | undefined;
}

/** Distinct column names remembered per classifier before the memo starts over. */
const NAME_CACHE_SIZE = 20_000;

/** Comments that declare personal data outright. */
const PII_COMMENT = /\b(pii|personal data|personally identifiable|sensitive personal)\b/i;

/**
 * Classifies columns with the built-in categories plus the user's own. Patterns come from the
 * user's config, so they are compiled once here and never per column.
 */
export class Classifier {
  private readonly categories = new Map<string, Category>();
  private readonly tagValues = new Map<string, string>(Object.entries(TAG_VALUE_CATEGORIES));
  private readonly tagNames: ReadonlySet<string>;
  private readonly ignored: readonly RegExp[];
  private readonly names = new Map<string, NameFacts>();
  private ordered: [string, Category][] | undefined;

  constructor(settings: ClassificationSettings = {}) {
    for (const [id, label] of Object.entries(CATEGORY_LABELS)) {
      this.categories.set(id, { label, patterns: [], quasiIdentifier: QUASI_IDENTIFIERS.has(id) });
    }
    for (const [id, pattern] of NAME_PATTERNS) this.categories.get(id)?.patterns.push(pattern);
    for (const custom of settings.categories ?? []) {
      const known = this.categories.get(custom.id);
      const category: Category = {
        label: custom.label ?? known?.label ?? custom.id.replace(/_/g, ' '),
        patterns: [
          ...(custom.namePatterns ?? []).map((pattern) => new RegExp(pattern, 'i')),
          ...(known?.patterns ?? []),
        ],
        quasiIdentifier: custom.quasiIdentifier ?? known?.quasiIdentifier ?? false,
      };
      this.categories.set(custom.id, category);
      for (const value of custom.tagValues ?? []) this.tagValues.set(tagValueKey(value), custom.id);
      this.tagValues.set(tagValueKey(custom.id), custom.id);
    }
    this.tagNames = new Set([
      ...PII_TAGS,
      ...(settings.tagNames ?? []).map((t) => t.toUpperCase()),
    ]);
    this.ignored = (settings.ignoreColumns ?? []).map(ignorePattern);
  }

  /** Every category id, built-in ones first. */
  get ids(): string[] {
    return [...this.categories.keys()];
  }

  has(category: string): boolean {
    return this.categories.has(category);
  }

  label(category: string): string {
    return this.categories.get(category)?.label ?? category.replace(/_/g, ' ');
  }

  isQuasiIdentifier(category: string): boolean {
    return this.categories.get(category)?.quasiIdentifier ?? false;
  }

  /** The column's category and evidence, or undefined when nothing marks it as personal data. */
  classify(column: ColumnFacts): Classification | undefined {
    const facts = this.nameFacts(column.name);
    if (facts.ignored) return undefined;
    const byName: Classification | undefined =
      facts.category === undefined
        ? this.byFormerName(column.formerNames)
        : { category: facts.category, evidence: 'its name' };

    return this.byTags(column.tags) ?? byName ?? this.byComment(facts.category, column.comment);
  }

  /** The category of the latest former name that has one; its data did not change. */
  private byFormerName(names: readonly string[] | undefined): Classification | undefined {
    for (const name of [...(names ?? [])].reverse()) {
      const facts = this.nameFacts(name);
      if (facts.category !== undefined && !facts.ignored) {
        return { category: facts.category, evidence: `its former name ${name}` };
      }
    }

    return undefined;
  }

  /**
   * What a column's name alone says, memoised: rules ask about the same columns many times per
   * analysis (and again after every edit), and the name patterns are most of the cost.
   */
  private nameFacts(name: string): NameFacts {
    let facts = this.names.get(name);
    if (!facts) {
      const snake = toSnakeCase(name);
      facts = {
        ignored: this.ignored.some((pattern) => pattern.test(snake)),
        category: this.byName(snake)?.category,
      };
      if (this.names.size >= NAME_CACHE_SIZE) this.names.clear();
      // The name may be cut from a file's text, which this cache must not keep alive.
      this.names.set(detachedCopy(name), facts);
    }

    return facts;
  }

  private byName(snake: string): Classification | undefined {
    for (const [category, { patterns }] of this.nameOrder()) {
      if (patterns.some((pattern) => pattern.test(snake))) {
        return { category, evidence: 'its name' };
      }
    }

    return undefined;
  }

  /**
   * The user's own categories first, so they can refine the built-ins; then the built-ins in the
   * order of NAME_PATTERNS, the more specific first: email before street address for
   * `email_address`, IP address before street address for `ip_address`.
   */
  private nameOrder(): [string, Category][] {
    this.ordered ??= [
      ...[...this.categories].filter(([id]) => !(id in CATEGORY_LABELS)),
      ...[...new Set(NAME_PATTERNS.map(([id]) => id))].flatMap((id): [string, Category][] => {
        const category = this.categories.get(id);

        return category ? [[id, category]] : [];
      }),
    ];

    return this.ordered;
  }

  private byTags(tags: ReadonlyMap<string, string | undefined>): Classification | undefined {
    for (const [tag, rawValue] of tags) {
      const value = tagValueKey(rawValue ?? '');
      const shown = rawValue === undefined ? tag : `${tag} = '${rawValue}'`;
      if (this.tagNames.has(tag) && !NEGATIVE_TAG_VALUES.has(value)) {
        return { category: this.tagValues.get(value) ?? 'pii', evidence: `tag ${shown}` };
      }
      if (tag === PRIVACY_TAG && ['IDENTIFIER', 'QUASI_IDENTIFIER', 'SENSITIVE'].includes(value)) {
        const category = value === 'QUASI_IDENTIFIER' ? 'quasi_identifier' : 'pii';

        return { category, evidence: `tag ${shown}` };
      }
    }

    return undefined;
  }

  private byComment(
    nameCategory: string | undefined,
    comment: string | undefined,
  ): Classification | undefined {
    if (!comment || !PII_COMMENT.test(comment)) return undefined;

    return { category: nameCategory ?? 'pii', evidence: 'its comment' };
  }
}

function tagValueKey(value: string): string {
  return value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

export const defaultClassifier = new Classifier();

/**
 * An `ignoreColumns` entry as a pattern over snake_case names. A plain name (`email`,
 * `supportEmail`) means that column alone: read as a regular expression it would match anywhere
 * in a name and silently clear `email_address` too. Anything else is a regular expression.
 */
function ignorePattern(entry: string): RegExp {
  if (/^[A-Za-z0-9_]+$/.test(entry)) return new RegExp(`^${toSnakeCase(entry)}$`);

  return new RegExp(entry, 'i');
}

/** `customerEmail` → `customer_email`; `"Zip Code"` → `zip_code`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
