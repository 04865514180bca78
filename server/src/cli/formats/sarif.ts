import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../../engine';
import { FINGERPRINT_VERSION } from '../../engine/fingerprint';
import { type RuleInfo, ruleInfos } from '../rule-docs';
import type { LintReport, ReportedFinding } from '../report';
import { ISSUES_URL, SNOWGOV_VERSION } from '../version';

/** The key of our fingerprint in `partialFingerprints`; the suffix is the recipe's version. */
export const FINGERPRINT_KEY = `snowgovFingerprint/v${FINGERPRINT_VERSION}`;

const SOURCE_ROOT = '%SRCROOT%';

/**
 * GitHub code scanning ranks security alerts by this number: 7.0 and above is high, 4.0 to 6.9
 * medium, below 4.0 low (docs.github.com, "SARIF support for code scanning").
 */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

/**
 * SARIF 2.1.0 for code scanning. Every finding in scope is listed, including suppressed ones (with
 * their directive's reason as the justification, so an audit sees them) and those the baseline
 * hides (suppressed as `external`), because a result that vanishes would read as fixed.
 */
export function formatSarif(report: LintReport): string {
  const infos = ruleInfos(report.rules);
  const ruleIndex = new Map(infos.map((info, index) => [info.name, index]));
  const artifactPaths = [...new Set(report.findings.map((entry) => entry.stablePath))].sort();
  const artifactIndex = new Map(artifactPaths.map((path, index) => [path, index]));

  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'snowgov',
            fullName: 'snowgov: Snowflake governance for SQL migrations',
            version: SNOWGOV_VERSION,
            semanticVersion: SNOWGOV_VERSION,
            informationUri: 'https://github.com/snowgov/snowgov',
            rules: infos.map((info) => sarifRule(info, report)),
          },
        },
        invocations: [{ executionSuccessful: true }],
        originalUriBaseIds: {
          [SOURCE_ROOT]: {
            uri: pathToFileURL(report.projectRoot).href.replace(/\/?$/, '/'),
            description: { text: 'The root of the repository that was linted.' },
          },
        },
        artifacts: artifactPaths.map((path) => ({
          location: { uri: encodePath(path), uriBaseId: SOURCE_ROOT },
          sourceLanguage: 'sql',
        })),
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((entry) =>
          sarifResult(entry, report, ruleIndex, artifactIndex),
        ),
        properties: { reportIssuesAt: ISSUES_URL },
      },
    ],
  };

  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(info: RuleInfo, report: LintReport): Sarif.ReportingDescriptor {
  const isGovernance = info.category !== 'syntax' && info.category !== 'suppressions';
  const doc = report.ruleDoc(info.name);
  const fixNote =
    info.fix.availability === 'never'
      ? 'No automatic fix.'
      : `Fix: ${info.fix.availability} available, ${info.fix.safety}.`;

  return {
    id: info.name,
    name: pascalCase(info.name),
    shortDescription: { text: info.description },
    fullDescription: { text: firstParagraph(doc) ?? info.description },
    helpUri: info.helpUri,
    help: {
      text: `${sentence(info.description)} ${fixNote} Documentation: ${info.helpUri}`,
      markdown: doc ?? `${info.description}\n\n${fixNote}\n\n[Documentation](${info.helpUri})`,
    },
    defaultConfiguration: { level: sarifLevel(info.defaultSeverity) },
    properties: {
      tags: isGovernance ? ['security', 'governance', info.category] : [info.category],
      ...(isGovernance
        ? { 'security-severity': SECURITY_SEVERITY[info.defaultSeverity], precision: 'high' }
        : {}),
    },
  };
}

function sarifResult(
  entry: ReportedFinding,
  report: LintReport,
  ruleIndex: ReadonlyMap<string, number>,
  artifactIndex: ReadonlyMap<string, number>,
): Sarif.Result {
  const { finding } = entry;
  const index = ruleIndex.get(finding.ruleId);
  const suppressions = sarifSuppressions(entry, report);

  return {
    ruleId: finding.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: encodePath(entry.stablePath),
            uriBaseId: SOURCE_ROOT,
            index: artifactIndex.get(entry.stablePath),
          },
          region: region(finding),
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: entry.fingerprint },
    ...(report.baseline
      ? { baselineState: entry.state === 'baselined' ? 'unchanged' : 'new' }
      : {}),
    ...(suppressions.length > 0 ? { suppressions } : {}),
  };
}

function sarifSuppressions(entry: ReportedFinding, report: LintReport): Sarif.Suppression[] {
  const { suppression } = entry.finding;
  if (suppression) {
    return [
      {
        kind: 'inSource',
        status: 'accepted',
        justification: suppression.reason,
        location: {
          physicalLocation: {
            artifactLocation: {
              uri: encodePath(report.stablePath(suppression.path)),
              uriBaseId: SOURCE_ROOT,
            },
            region: { startLine: suppression.line },
          },
        },
        ...(suppression.until ? { properties: { until: suppression.until } } : {}),
      },
    ];
  }
  if (entry.state === 'baselined' && report.baseline) {
    return [
      {
        kind: 'external',
        status: 'accepted',
        justification: `Recorded in the snowgov baseline ${report.baseline.file}.`,
      },
    ];
  }

  return [];
}

/** SARIF columns are 1-based and the end column points just past the finding, as ours do. */
function region(finding: Finding): Sarif.Region {
  return {
    startLine: finding.start.line + 1,
    startColumn: finding.start.character + 1,
    endLine: finding.end.line + 1,
    endColumn: finding.end.character + 1,
  };
}

function sarifLevel(severity: Severity): Sarif.ReportingConfiguration.level {
  return severity === 'info' ? 'note' : severity;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** `grant-to-user` becomes `GrantToUser`, the form SARIF viewers expect for `name`. */
function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The first prose paragraph of a README, after its title. */
function firstParagraph(doc: string | undefined): string | undefined {
  if (!doc) return undefined;
  const paragraph = doc
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .find((block) => block.length > 0 && !block.startsWith('#'));

  return paragraph?.replace(/\s+/g, ' ');
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
