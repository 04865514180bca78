import { type LintReport, assertNever } from '../report';
import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatStylish } from './stylish';
import { formatText } from './text';

/** Every `--format`; `stylish` is the default at a terminal and `text` everywhere else. */
export const OUTPUT_FORMATS = [
  'stylish',
  'text',
  'json',
  'sarif',
  'github',
  'gitlab',
  'junit',
] as const;

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Formats meant for people; the others are read by programs and must stay pure on stdout. */
export function isHumanFormat(format: OutputFormat): boolean {
  return format === 'stylish' || format === 'text';
}

export function formatReport(format: OutputFormat, report: LintReport): string {
  switch (format) {
    case 'stylish':
      return formatStylish(report);
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'github':
      return formatGithub(report);
    case 'gitlab':
      return formatGitlab(report);
    case 'junit':
      return formatJunit(report);
    default:
      return assertNever(format);
  }
}
