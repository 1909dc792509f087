/**
 * The combined report as one self-contained HTML file: inline CSS and inline SVG charts drawn here,
 * no script, no font, no image and no link to anything outside the file.
 */
import { buildDocument, type Block } from './document';
import { escapeXml as esc, renderBarChart } from './svg';
import type { BenchReport } from './types';

/** Escapes, then turns the document's inline markup (**bold**, `code`) into tags. */
function inline(text: string): string {
  return esc(text)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>');
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; } h3 { margin-top: 1.4rem; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
th, td { border: 1px solid #d8d8d8; padding: .25rem .55rem; vertical-align: top; }
th { background: #f3f4f6; text-align: left; } td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafafa; }
code { background: #f1f1f1; padding: 0 .25rem; border-radius: 3px; font-size: .88em; }
figure { margin: 1rem 0; overflow-x: auto; } svg.chart { max-width: 100%; height: auto; }
`;

export function blocksToHtml(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`<h${b.level}>${inline(b.text)}</h${b.level}>`);
        break;
      case 'paragraph':
        out.push(`<p>${inline(b.text)}</p>`);
        break;
      case 'list':
        out.push(`<ul>\n${b.items.map((i) => `<li>${inline(i)}</li>`).join('\n')}\n</ul>`);
        break;
      case 'table': {
        const cls = (i: number) => (b.align[i] === 'right' ? ' class="r"' : '');
        out.push(
          `<table>\n<thead><tr>${b.head.map((h, i) => `<th${cls(i)}>${inline(h)}</th>`).join('')}</tr></thead>\n<tbody>\n` +
            b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${inline(c)}</td>`).join('')}</tr>`).join('\n') +
            '\n</tbody>\n</table>',
        );
        break;
      }
      case 'chart':
        out.push(`<figure id="chart-${esc(b.chart.id)}">\n${renderBarChart(b.chart)}\n</figure>`);
        break;
    }
  }
  return out.join('\n');
}

export function renderHtml(report: BenchReport): string {
  const blocks = buildDocument(report);
  const title = blocks.find((b) => b.kind === 'heading')?.text ?? 'Benchmark report';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${blocksToHtml(blocks)}
</body>
</html>
`;
}
