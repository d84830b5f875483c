import type { Results } from './results';

const width = 760;
const labelWidth = 330;
const plotWidth = 340;
const rowHeight = 24;
const headingHeight = 30;
const colors = {
  ours: '#2f6fdf',
  other: '#9aa3ad',
  same: '#d6dade',
  target: '#d33',
};

/**
 * An SVG bar chart of each pair's CPU per request ratio, with its
 * interquartile range and, where one is set, the target.
 * @example
 * writeFileSync('chart.svg', renderChart(results))
 */
export function renderChart(results: Results): string {
  const pairs = results.suites.flatMap((suite) => suite.pairs);
  const largest = Math.max(1.2, ...pairs.map((pair) => pair.ratio.q3));
  const scaleEnd = Math.ceil(largest * 4) / 4;
  const x = (ratio: number) => labelWidth + (ratio / scaleEnd) * plotWidth;

  const parts: string[] = [];
  let y = 40;
  for (const suite of results.suites) {
    parts.push(text(12, y + 18, escape(suite.title), 'font-weight="bold"'));
    y += headingHeight;
    for (const pair of suite.pairs) {
      const color = pair.a.label.startsWith('ours')
        ? colors.ours
        : pair.a.server === pair.b.server
          ? colors.same
          : colors.other;
      const middle = y + rowHeight / 2;
      parts.push(
        text(
          labelWidth - 8,
          middle + 4,
          escape(pair.a.label),
          'text-anchor="end"',
        ),
        `<rect x="${labelWidth}" y="${y + 4}"` +
          ` width="${(x(pair.ratio.median) - labelWidth).toFixed(1)}"` +
          ` height="${rowHeight - 8}" fill="${color}"/>`,
        line(x(pair.ratio.q1), middle, x(pair.ratio.q3), middle, '#222'),
        text(
          x(Math.max(pair.ratio.q3, pair.ratio.median)) + 6,
          middle + 4,
          pair.ratio.median.toFixed(3),
        ),
      );
      if (pair.target !== undefined) {
        const at = x(pair.target);
        parts.push(line(at, y + 1, at, y + rowHeight - 1, colors.target, 2));
      }
      y += rowHeight;
    }
    y += 8;
  }

  const axis = axisMarks(x, scaleEnd, 40, y);
  const height = y + 44;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"` +
      ` viewBox="0 0 ${width} ${height}"` +
      ` font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    text(
      12,
      22,
      'Server CPU time per request, relative to plain Express (lower is better)',
      'font-size="14" font-weight="bold"',
    ),
    ...axis,
    ...parts,
    text(
      12,
      height - 12,
      'Bars: median of paired windows; whiskers: interquartile range;' +
        ' red mark: target.',
      'fill="#555"',
    ),
    '</svg>',
    '',
  ].join('\n');
}

function axisMarks(
  x: (ratio: number) => number,
  end: number,
  top: number,
  bottom: number,
) {
  const marks: string[] = [];
  for (let ratio = 0; ratio <= end + 1e-9; ratio += 0.25) {
    const at = x(ratio);
    const strong = Math.abs(ratio - 1) < 1e-9;
    marks.push(
      line(
        at,
        top,
        at,
        bottom,
        strong ? '#555' : '#e4e6e8',
        1,
        strong ? '4 3' : undefined,
      ),
      text(
        at,
        bottom + 14,
        ratio.toFixed(2),
        'text-anchor="middle" fill="#555"',
      ),
    );
  }
  return marks;
}

function text(x: number, y: number, content: string, extra = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${content}</text>`;
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  strokeWidth = 1,
  dash?: string,
): string {
  const dashing = dash === undefined ? '' : ` stroke-dasharray="${dash}"`;
  return (
    `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}"` +
    ` x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}"` +
    ` stroke="${stroke}" stroke-width="${strokeWidth}"${dashing}/>`
  );
}

function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
