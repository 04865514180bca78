import type { LintReport, ReportedFinding } from '../report';

/**
 * JUnit XML, as CI test views read it: one test suite per file, one failing test case per open
 * finding, a passing case for a file without findings, and, with `--include-suppressed`, a
 * skipped case per suppressed finding carrying its reason.
 */
export function formatJunit(report: LintReport): string {
  const byPath = new Map<string, ReportedFinding[]>(report.paths.map((path) => [path, []]));
  for (const entry of report.findings) {
    const wanted =
      entry.state === 'open' || (entry.state === 'suppressed' && report.includeSuppressed);
    if (wanted) byPath.set(entry.finding.path, [...(byPath.get(entry.finding.path) ?? []), entry]);
  }

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const path of [...byPath.keys()].sort()) {
    const entries = byPath.get(path) ?? [];
    const cases = entries.map((entry) => testCase(entry));
    if (cases.length === 0) {
      cases.push(`    <testcase classname=${attr(path)} name="no findings" file=${attr(path)}/>`);
    }
    const suiteFailures = entries.filter((entry) => entry.state === 'open').length;
    const suiteSkipped = entries.length - suiteFailures;
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name=${attr(path)} tests="${cases.length}" failures="${suiteFailures}" ` +
        `errors="0" skipped="${suiteSkipped}">`,
      ...cases,
      '  </testsuite>',
    );
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="snowgov" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase({ finding, state }: ReportedFinding): string {
  const line = finding.start.line + 1;
  const where = `${finding.path}:${line}:${finding.start.character + 1}`;
  const open =
    `    <testcase classname=${attr(finding.path)} name=${attr(`${finding.ruleId} at ${line}:${finding.start.character + 1}`)} ` +
    `file=${attr(finding.path)} line="${line}">`;
  if (state !== 'open') {
    const reason = finding.suppression?.reason ?? 'suppressed';

    return `${open}\n      <skipped message=${attr(`suppressed: ${reason}`)}/>\n    </testcase>`;
  }
  const body = text(`${finding.severity} ${finding.ruleId} at ${where}\n${finding.message}`);

  return (
    `${open}\n      <failure type=${attr(finding.severity)} message=${attr(finding.message)}>` +
    `${body}</failure>\n    </testcase>`
  );
}

/** A quoted XML attribute value; characters XML 1.0 forbids are dropped. */
function attr(value: string): string {
  return `"${text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;')}"`;
}

function text(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
