/** The combined report as Markdown (the tables; the charts are in the HTML report). */
import { buildDocument, type Block } from './document';
import type { BenchReport } from './types';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function blocksToMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${b.text}`);
        break;
      case 'paragraph':
        out.push(b.text);
        break;
      case 'list':
        out.push(b.items.map((i) => `- ${i}`).join('\n'));
        break;
      case 'table':
        out.push(
          [
            `| ${b.head.map(cell).join(' | ')} |`,
            `| ${b.align.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`,
            ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
          ].join('\n'),
        );
        break;
      case 'chart':
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}

export function renderMarkdown(report: BenchReport): string {
  return blocksToMarkdown(buildDocument(report));
}
