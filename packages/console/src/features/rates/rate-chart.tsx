import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

const WARNING = 0.1
const CRITICAL = 0.3

export interface ChartBar { name: string, percent: number }

/**
 * uPlot has no reference lines: the two thresholds are drawn after the series, across the
 * plot area, in the canvas's own pixels (uPlot's draw hook), each labelled in text.
 */
function thresholdLines (): uPlot.Plugin {
  return {
    hooks: {
      draw: (chart: uPlot) => {
        const { ctx, bbox } = chart
        for (const [value, colour, dash, text] of [[WARNING, '#b45309', [6, 4], '0.1 % warning'], [CRITICAL, '#b91c1c', [], '0.3 % critical']] as const) {
          const y = Math.round(chart.valToPos(value, 'y', true))
          ctx.save()
          ctx.strokeStyle = colour
          ctx.lineWidth = 2 * devicePixelRatio
          ctx.setLineDash(dash.map((length) => length * devicePixelRatio))
          ctx.beginPath()
          ctx.moveTo(bbox.left, y)
          ctx.lineTo(bbox.left + bbox.width, y)
          ctx.stroke()
          ctx.fillStyle = colour
          ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`
          ctx.textAlign = 'right'
          ctx.fillText(text, bbox.left + bbox.width - 4 * devicePixelRatio, y - 4 * devicePixelRatio)
          ctx.restore()
        }
      }
    }
  }
}

/** Complaint rate per group as bars, worst first, with the 0.1 % and 0.3 % lines always in view. */
export function RateChart ({ bars }: { bars: ChartBar[] }) {
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = container.current
    if (element === null || bars.length === 0) return
    const width = Math.max(280, element.clientWidth)
    const top = Math.max(0.35, ...bars.map((bar) => bar.percent)) * 1.1
    const chart = new uPlot({
      width,
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, bars.length - 0.5] }, y: { range: [0, top] } },
      axes: [
        { values: (_chart, ticks) => ticks.map((tick) => bars[tick]?.name.slice(0, 14) ?? ''), incrs: [1], gap: 4 },
        { values: (_chart, ticks) => ticks.map((tick) => `${tick.toFixed(2)} %`), size: 64 }
      ],
      series: [
        {},
        {
          label: 'Complaint rate',
          stroke: '#1d4ed8',
          fill: 'rgba(29, 78, 216, 0.35)',
          paths: uPlot.paths.bars?.({ size: [0.6, 48] }),
          points: { show: false }
        }
      ],
      plugins: [thresholdLines()]
    }, [bars.map((_bar, index) => index), bars.map((bar) => bar.percent)], element)
    const resize = new ResizeObserver(() => { chart.setSize({ width: Math.max(280, element.clientWidth), height: 260 }) })
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.destroy()
    }
  }, [bars])
  return <div ref={container} className='rate-chart' aria-hidden='true' />
}
