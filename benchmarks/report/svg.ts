/** Horizontal grouped bar charts as inline SVG text: no script, no external font or file. */
import type { BarChart } from './document';

export const PALETTE = ['#2f6fdf', '#e8833a', '#3aa856', '#a35bd1', '#d04b5c', '#7a7a7a'];

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const label = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: v >= 100 ? 0 : v >= 10 ? 1 : 3 });

export function renderBarChart(c: BarChart, width = 760): string {
  const labelW = 290;
  const x0 = labelW + 10;
  const x1 = width - 90;
  const barH = 14;
  const barGap = 3;
  const groupGap = 12;
  const legendH = c.series.length > 1 ? 22 : 0;
  const top = 46 + legendH;
  const values = c.groups.flatMap((g) => g.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = niceCeil(Math.max(0, ...values));
  const scale = (v: number) => x0 + ((x1 - x0) * Math.max(0, v)) / max;
  const groupH = c.series.length * (barH + barGap) - barGap;
  const height = top + c.groups.length * (groupH + groupGap) + 24;
  const parts: string[] = [];
  parts.push(`<svg class="chart" role="img" aria-labelledby="${c.id}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<title id="${c.id}-title">${escapeXml(c.title)}</title>`);
  parts.push(`<text x="0" y="18" font-size="15" font-weight="600">${escapeXml(c.title)}</text>`);
  parts.push(`<text x="0" y="36" fill="#555">${escapeXml(`${c.unit}, ${c.better} is better`)}</text>`);
  if (legendH) {
    let lx = 0;
    c.series.forEach((s, i) => {
      parts.push(`<rect x="${lx}" y="${46}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`);
      parts.push(`<text x="${lx + 16}" y="${56}">${escapeXml(s)}</text>`);
      lx += 28 + s.length * 7;
    });
  }
  // Grid and axis.
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const x = scale(v);
    parts.push(`<line x1="${x.toFixed(1)}" y1="${top - 4}" x2="${x.toFixed(1)}" y2="${height - 20}" stroke="${k === 0 ? '#333' : '#ddd'}"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${height - 6}" text-anchor="middle" fill="#555">${label(v)}</text>`);
  }
  c.groups.forEach((g, gi) => {
    const gy = top + gi * (groupH + groupGap);
    const text = g.label.length > 42 ? `${g.label.slice(0, 40)}…` : g.label;
    parts.push(`<text x="${labelW}" y="${(gy + groupH / 2 + 4).toFixed(1)}" text-anchor="end"><title>${escapeXml(g.label)}</title>${escapeXml(text)}</text>`);
    g.values.forEach((v, si) => {
      const y = gy + si * (barH + barGap);
      if (v === null || !Number.isFinite(v)) {
        parts.push(`<text x="${x0 + 4}" y="${y + barH - 3}" fill="#888">n/a</text>`);
        return;
      }
      const w = Math.max(1, scale(v) - x0);
      parts.push(`<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${g.label}${c.series.length > 1 ? `, ${c.series[si]}` : ''}: ${label(v)} ${c.unit}`)}</title></rect>`);
      parts.push(`<text x="${(x0 + w + 4).toFixed(1)}" y="${y + barH - 3}">${label(v)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
