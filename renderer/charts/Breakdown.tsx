// The score broken into its parts: each piece of evidence (finding.reasons) as a bar from zero,
// right for what raised the score, left for what lowered it, with its signed contribution.
// The sentences that explain each part are listed under the chart (views/Reasons.tsx).
import type { Finding } from '../../shared/types.js';
import { formatContribution, formatScore } from '../format.js';
import { fitText, fontFamily, monoFamily } from './text.js';

const ROW = 24;
const TOP = 52;
const BOTTOM = 34;

export function Breakdown({ finding, width }: { finding: Finding; width: number }) {
  const font = fontFamily();
  const reasons = finding.reasons;
  const height = TOP + Math.max(1, reasons.length) * ROW + BOTTOM;
  const labelW = Math.min(170, Math.max(110, width * 0.34));
  const valueW = 52;
  const plotW = Math.max(40, width - labelW - valueW - 24);
  const maxAbs = Math.max(0.05, ...reasons.map((r) => Math.abs(r.contribution)));
  const hasNeg = reasons.some((r) => r.contribution < 0);
  const zeroX = labelW + 12 + (hasNeg ? plotW / 2 : 0);
  const scale = (hasNeg ? plotW / 2 : plotW) / maxAbs;
  const labelFont = `12.5px ${monoFamily()}`;
  return (
    <svg
      data-testid="breakdown"
      data-reasons={reasons.length}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Score broken into its parts"
      className="chart-svg"
    >
      <text className="chart-title" x={12} y={18}>
        Score {formatScore(finding.score)}: what raised and lowered it
      </text>
      <text className="chart-subtitle" x={12} y={37}>
        {`scorer ${finding.scorer} · signed contribution of each piece of evidence`}
      </text>
      <line className="zero-line" x1={zeroX + 0.5} x2={zeroX + 0.5} y1={TOP - 6} y2={TOP + reasons.length * ROW} />
      {reasons.map((r, i) => {
        const y = TOP + i * ROW;
        const w = Math.abs(r.contribution) * scale;
        const pos = r.contribution >= 0;
        return (
          <g key={`${r.feature}-${i}`} className={`breakdown-row ${r.contribution > 0 ? 'pos' : r.contribution < 0 ? 'neg' : 'zero'}`}>
            <title>{r.text}</title>
            <text className="breakdown-label" x={labelW} y={y + ROW / 2} dy="0.32em" textAnchor="end">
              {fitText(r.feature, labelW - 12, labelFont)}
            </text>
            <rect className="breakdown-bar" x={pos ? zeroX : zeroX - w} y={y + 5} width={Math.max(r.contribution === 0 ? 0 : 1.5, w)} height={ROW - 10} />
            <text className="breakdown-value" x={width - 8} y={y + ROW / 2} dy="0.32em" textAnchor="end">
              {formatContribution(r.contribution)}
            </text>
          </g>
        );
      })}
      <text className="axis-title" x={zeroX} y={height - 12} textAnchor="middle">
        {hasNeg ? '← lowers the score · raises it →' : 'raises the score →'}
      </text>
    </svg>
  );
}
