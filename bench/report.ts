import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MicroFigure } from './micro/figures';
import { verdict, type Results } from './results';
import type { Spread } from './statistics';

const start = '<!-- figures:start -->';
const end = '<!-- figures:end -->';

/**
 * Puts a run's tables into the Markdown file between the figure markers,
 * keeping the prose around them.
 * @example
 * writeFigures('BENCHMARKS.md', results)
 */
export function writeFigures(file: string, results: Results): void {
  const tables = `${start}\n${renderTables(results)}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from === -1 || to === -1
      ? `# Benchmarks\n\n${tables}\n`
      : current.slice(0, from) + tables + current.slice(to + end.length);
  writeFileSync(file, next);
}

export function renderTables(results: Results): string {
  const { machine, plan } = results;
  const versions = Object.entries(machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const startedAt = results.startedAt.slice(0, 16).replace('T', ' ');
  const lines = [
    `Run of ${startedAt} UTC (${results.mode}), ${machine.cpus} ×` +
      ` ${machine.cpuModel}, Node ${machine.node},`,
    `${versions}.`,
    `Each pair: ${plan.warmupSeconds} s warm-up, then ${plan.windows}` +
      ` windows of ${plan.windowSeconds} s, wrk -t1 -c${plan.connections}` +
      ' per server.',
    '',
  ];

  for (const suite of results.suites) {
    lines.push(`### ${suite.title}`, '');
    lines.push(
      row(
        [
          'A',
          'B',
          'CPU per request, A / B',
          'IQR',
          'A µs/req',
          'B µs/req',
        ].concat(['A req/s¹', 'target']),
      ),
      '| --- | --- | ---: | --- | ---: | ---: | ---: | --- |',
    );
    for (const pair of suite.pairs) {
      const target =
        pair.target === undefined
          ? ''
          : `≤ ${pair.target} ${verdict(pair.ratio.median, pair.target)}`;
      lines.push(
        row([
          pair.a.label,
          pair.b.label,
          `**${pair.ratio.median.toFixed(3)}**`,
          range(pair.ratio, 3),
          pair.cpuPerRequestUsA.toFixed(0),
          pair.cpuPerRequestUsB.toFixed(0),
          pair.requestsPerSecondA.toFixed(0),
          target,
        ]),
      );
    }
    lines.push('');
  }
  lines.push(
    '¹ Rough anchor only: both servers of a pair share one core, so each gets',
    'about half of it, and the host takes its own share.',
    '',
  );

  if (results.latency !== undefined)
    lines.push(...latencyTable(results.latency));
  if (results.micro !== undefined) {
    lines.push(
      `### Runner micro-benchmarks (${results.micro.rounds} interleaved rounds)`,
      '',
    );
    lines.push(
      '| measure | variant | median | IQR | target |',
      '| --- | --- | ---: | --- | --- |',
    );
    for (const figure of results.micro.figures)
      lines.push(...microRows(figure));
    lines.push('');
  }
  return lines.join('\n');
}

function latencyTable(latency: NonNullable<Results['latency']>): string[] {
  const { plan } = latency;
  const lines = [
    `### Latency at a light fixed load`,
    '',
    'Both servers of a pair loaded at once by' +
      ` wrk -t1 -c${plan.connections} with`,
    `${plan.delayMilliseconds} ms think time per request, each server on a` +
      ' core of its own,',
    `swapping cores every round; ${plan.rounds} rounds of` +
      ` ${plan.roundSeconds} s.`,
    '',
    row(
      [
        'A',
        'B',
        'A p50 µs',
        'A p99 µs',
        'B p99 µs',
        'p99, A / B',
        'IQR',
      ].concat(['A req/s', 'target']),
    ),
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const result of latency.pairs) {
    const isSameServer = result.side.server === result.reference.server;
    const target = isSameServer
      ? ''
      : `≤ ${latency.target} ${verdict(result.p99Ratio.median, latency.target)}`;
    lines.push(
      row([
        result.side.label,
        result.reference.label,
        String(result.p50Us),
        String(result.p99Us),
        String(result.referenceP99Us),
        `**${result.p99Ratio.median.toFixed(3)}**`,
        range(result.p99Ratio, 3),
        result.requestsPerSecond.toFixed(0),
        target,
      ]),
    );
  }
  lines.push('');
  return lines;
}

function microRows(figure: MicroFigure): string[] {
  return figure.variants.map((variant, index) => {
    const isOurs = variant.label.startsWith('ours');
    let target = '';
    if (isOurs && figure.target !== undefined) {
      const met = figure.higherIsBetter
        ? variant.value.median >= figure.target.value
        : variant.value.median <= figure.target.value;
      const bound = figure.higherIsBetter ? '≥' : '≤';
      const limit = formatNumber(figure.target.value);
      target = `${bound} ${limit} ${met ? 'met' : 'missed'}`;
    }
    const measure = index === 0 ? `${figure.title} (${figure.unit})` : '';
    const { median, q1, q3 } = variant.value;
    return row([
      measure,
      variant.label,
      `**${formatNumber(median)}**`,
      `${formatNumber(q1)} – ${formatNumber(q3)}`,
      target,
    ]);
  });
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function range(value: Spread, digits: number): string {
  return `${value.q1.toFixed(digits)} – ${value.q3.toFixed(digits)}`;
}

function formatNumber(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : 1;
  return value.toLocaleString('en', { maximumFractionDigits: digits });
}
