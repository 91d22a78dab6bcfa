// The frame of every chart: measures the space it has, hands the size to the chart, and offers
// PNG / SVG export of the chart's <svg> (title, axes and legend included).
import { useRef, useState, type ReactNode } from 'react';
import { useSize } from '../ui/useSize.js';
import { exportPng, exportSvg } from './exportChart.js';

export interface ChartFrameProps {
  testId: string;
  /** File name (without extension) for exports. */
  exportName: string;
  className?: string;
  /** Controls shown in the frame's tool row (left of the export buttons). */
  tools?: ReactNode;
  busy?: boolean;
  /** Fixed height of the chart body (px); by default it fills the frame. */
  height?: number;
  children(size: { width: number; height: number }): ReactNode;
}

export function ChartFrame({ testId, exportName, className, tools, busy, height, children }: ChartFrameProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const size = useSize(bodyRef);
  const [error, setError] = useState<string | null>(null);
  const svg = () => bodyRef.current?.querySelector('svg') ?? null;
  const run = (fn: (s: SVGSVGElement) => void | Promise<void>) => {
    const s = svg();
    if (!s) return;
    setError(null);
    Promise.resolve(fn(s)).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <figure className={`chart-frame ${className ?? ''}`} data-testid={`${testId}-frame`} aria-busy={busy ?? false}>
      <div className="chart-tools">
        {tools}
        <span className="chart-tools-spacer" />
        <button type="button" className="tool" data-testid={`${testId}-png`} onClick={() => run((s) => exportPng(s, exportName))} title="Save this chart as a PNG image">
          PNG
        </button>
        <button type="button" className="tool" data-testid={`${testId}-svg`} onClick={() => run((s) => exportSvg(s, exportName))} title="Save this chart as an SVG file">
          SVG
        </button>
      </div>
      {error && <div className="chart-error" role="alert">Export failed: {error}</div>}
      <div className={`chart-body${busy ? ' stale' : ''}${height ? ' fixed' : ''}`} ref={bodyRef} style={height ? { height } : undefined}>
        {size.width > 0 && size.height > 0 && children(size)}
      </div>
    </figure>
  );
}
