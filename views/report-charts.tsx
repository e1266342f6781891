// Server-rendered SVG charts for reports: no script, titled for screen readers, suppressed values drawn as gaps.
export type Bar = { label: string; value: number | null; text: string }

const W = 640
const H = 220
const PAD = { left: 40, right: 8, top: 12, bottom: 40 }

function niceMax(max: number): number {
  if (max <= 5) return 5
  const step = 10 ** Math.floor(Math.log10(max))
  return Math.ceil(max / step) * step
}

// one bar per period; a suppressed period keeps its slot with a short hatched marker so the gap is visible
export function PeriodChart({
  id,
  title,
  desc,
  bars,
}: {
  id: string
  title: string
  desc: string
  bars: Bar[]
}) {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value ?? 0)))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const slot = bars.length ? plotW / bars.length : plotW
  const barW = Math.max(1, slot * 0.7)
  // label every n-th bar so labels never overlap
  const every = Math.max(1, Math.ceil(bars.length / 12))
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH
  return (
    <svg
      id={id}
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      <line class="axis" x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} />
      {[0, max / 2, max].map((v) => (
        <g>
          <line class="grid" x1={PAD.left} y1={y(v)} x2={W - PAD.right} y2={y(v)} />
          <text class="tick" x={PAD.left - 4} y={y(v) + 4} text-anchor="end">
            {String(v)}
          </text>
        </g>
      ))}
      {bars.map((bar, i) => {
        const x = PAD.left + i * slot + (slot - barW) / 2
        return (
          <g>
            <title>{`${bar.label}: ${bar.text}`}</title>
            {bar.value === null ? (
              <rect class="bar suppressed" x={x} y={y(0) - 6} width={barW} height={6} />
            ) : (
              <rect
                class="bar"
                x={x}
                y={y(bar.value)}
                width={barW}
                height={Math.max(0, y(0) - y(bar.value))}
              />
            )}
            {i % every === 0 ? (
              <text class="tick" x={x + barW / 2} y={H - PAD.bottom + 14} text-anchor="middle">
                {bar.label.length > 10 ? bar.label.slice(5) : bar.label}
              </text>
            ) : null}
          </g>
        )
      })}
    </svg>
  )
}

// one horizontal bar per group (channel or zone) over the whole period
export function GroupChart({
  id,
  title,
  desc,
  bars,
}: {
  id: string
  title: string
  desc: string
  bars: Bar[]
}) {
  const rowH = 26
  const labelW = 150
  const height = Math.max(rowH, bars.length * rowH) + 8
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value ?? 0)))
  const plotW = W - labelW - 60
  return (
    <svg
      id={id}
      class="chart"
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {bars.map((bar, i) => {
        const top = 4 + i * rowH
        const width = bar.value === null ? 6 : (bar.value / max) * plotW
        return (
          <g>
            <title>{`${bar.label}: ${bar.text}`}</title>
            <text class="tick" x={labelW - 6} y={top + rowH / 2 + 4} text-anchor="end">
              {bar.label.length > 18 ? `${bar.label.slice(0, 17)}…` : bar.label}
            </text>
            <rect
              class={bar.value === null ? 'bar suppressed' : 'bar'}
              x={labelW}
              y={top + 4}
              width={Math.max(0, width)}
              height={rowH - 8}
            />
            <text class="tick" x={labelW + Math.max(0, width) + 6} y={top + rowH / 2 + 4}>
              {bar.text}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
