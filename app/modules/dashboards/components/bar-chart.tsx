import { useId } from "react";

export type Bar = { label: string; count: number };

const ROW = 28;
const LABEL_WIDTH = 200;
const BAR_AREA = 360;
const VALUE_WIDTH = 60;

/**
 * A horizontal bar chart drawn as SVG on the server. Every bar is labelled with its category and
 * printed value, so nothing depends on colour; the same numbers follow in a table, which is what
 * screen readers are pointed to (the SVG itself is one labelled image).
 */
export function BarChart({ title, bars, unit }: { title: string; bars: Bar[]; unit: string }) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.count));
  const total = bars.reduce((sum, b) => sum + b.count, 0);
  const height = bars.length * ROW + 8;
  const width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
  return (
    <figure
      aria-labelledby={`${id}-caption`}
      className="rounded border border-gray-300 bg-white p-4"
    >
      <figcaption id={`${id}-caption`} className="mb-2 text-lg font-semibold">
        {title}
      </figcaption>
      <svg
        role="img"
        aria-label={`${title}: bar chart of ${total} ${unit}; the numbers are in the table below`}
        viewBox={`0 0 ${width} ${height}`}
        className="h-auto w-full max-w-2xl"
      >
        {bars.map((b, i) => {
          const y = i * ROW + 4;
          const w = Math.round((b.count / max) * BAR_AREA);
          return (
            <g key={b.label}>
              <text x={LABEL_WIDTH - 8} y={y + 17} textAnchor="end" fontSize="13" fill="#111827">
                {b.label}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y + 3}
                width={Math.max(w, b.count ? 2 : 0)}
                height={ROW - 8}
                fill="#1d4ed8"
                stroke="#111827"
                strokeWidth={b.count ? 1 : 0}
              />
              <text x={LABEL_WIDTH + w + 6} y={y + 17} fontSize="13" fill="#111827">
                {b.count}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="mt-3 text-sm">
        <caption className="sr-only">{title}: the numbers</caption>
        <thead>
          <tr>
            <th scope="col" className="pr-4 text-left">
              Category
            </th>
            <th scope="col" className="text-right">
              Number
            </th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row" className="pr-4 text-left font-normal">
                {b.label}
              </th>
              <td className="text-right">{b.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
