/** A Markdown table: the first column left-aligned (names), the others right-aligned (figures). */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

/**
 * The body rows of the table in a printed report's section whose `### ` heading starts with
 * `title`: what a benchmark's smoke test reads back.
 */
export function tableRows(report: string, title: string): string[][] {
  const section = report.split('\n### ').find((s) => s.startsWith(title)) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}
