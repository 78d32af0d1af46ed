import type { RunResult } from './run-profile.ts';

/**
 * A small SVG line chart of submit → I0 latency (p50 and p99, all scenarios) over the run, by when responses
 * arrived: enough to see a run degrade or recover. Text only, so docs/performance.md links it from the repo.
 */
export function latencySvg(result: RunResult, title: string): string {
  const W = 720;
  const H = 260;
  const m = { left: 60, right: 20, top: 30, bottom: 40 };
  const points = result.timeline;
  const maxX = Math.max(1, result.runSeconds + 5, ...points.map((p) => p.seconds));
  const maxY = niceCeiling(Math.max(1, ...points.map((p) => p.p99)));
  const x = (s: number) => m.left + (s / maxX) * (W - m.left - m.right);
  const y = (ms: number) => H - m.bottom - (ms / maxY) * (H - m.top - m.bottom);
  const line = (key: 'p50' | 'p99', colour: string) =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points
      .map((p) => `${x(p.seconds).toFixed(1)},${y(p[key]).toFixed(1)}`)
      .join(' ')}"/>`;
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxY);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxX));
  const hourNote = result.secondsPerHour ? ` (${result.secondsPerHour} s = one hour of the day)` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="18" font-size="13">${escape(title)}</text>`,
    ...yTicks.map(
      (v) =>
        `<line x1="${m.left}" x2="${W - m.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${round(v)}</text>`,
    ),
    ...xTicks.map((s) => `<text x="${x(s)}" y="${H - m.bottom + 16}" text-anchor="middle">${s}</text>`),
    `<text x="${(W + m.left) / 2}" y="${H - 6}" text-anchor="middle">seconds into the run${escape(hourNote)}</text>`,
    `<text x="14" y="${(H - m.bottom + m.top) / 2}" transform="rotate(-90 14 ${(H - m.bottom + m.top) / 2})" text-anchor="middle">submit → I0 ms</text>`,
    line('p50', '#1f77b4'),
    line('p99', '#d62728'),
    `<text x="${W - m.right - 90}" y="${m.top + 4}" fill="#1f77b4">— p50</text>`,
    `<text x="${W - m.right - 45}" y="${m.top + 4}" fill="#d62728">— p99</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function niceCeiling(v: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((f) => f * magnitude).find((c) => c >= v)!;
}

const round = (v: number) => (v >= 10 ? Math.round(v).toString() : v.toFixed(1));
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
