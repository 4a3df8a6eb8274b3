import { describe, expect, it } from 'vitest';
import { placeLabels } from '../../shared/report-html';

const size = { width: 1000, height: 660 };
const boxOf = (l: { x: number; y: number; anchor: string; text: string }) => {
  const w = l.text.length * 8.8;
  const x0 = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
  return { x0, x1: x0 + w, y0: l.y - 15, y1: l.y + 3 };
};

describe('labels of the briefing’s network picture', () => {
  it('never print one over another: a crowded entity’s label goes left, above or below, and one with no room is left off and counted', () => {
    const nodes = [
      { id: 'hit', label: 'Harbin Institute of Technology' },
      { id: 'hit-lab', label: 'Harbin Institute of Technology Laboratory' },
      { id: 'mai', label: 'Moscow Aviation Institute' },
      { id: 'mai-2', label: 'Moscow Aviation Institute Branch' },
      { id: 'mai-3', label: 'Moscow Aviation Institute Works' },
      { id: 'mai-4', label: 'Moscow Aviation Institute Annex' },
      { id: 'mai-5', label: 'Moscow Aviation Institute Depot' },
    ];
    const pos = new Map([
      ['hit', { x: 300, y: 300, r: 8 }],
      // Just under the first: its label would sit on the first one's.
      ['hit-lab', { x: 300, y: 312, r: 8 }],
      // Five entities in one spot: four places around it, so one is left off.
      ['mai', { x: 500, y: 500, r: 6 }],
      ['mai-2', { x: 500, y: 500, r: 6 }],
      ['mai-3', { x: 500, y: 500, r: 6 }],
      ['mai-4', { x: 500, y: 500, r: 6 }],
      ['mai-5', { x: 500, y: 500, r: 6 }],
    ]);
    const { labels, left } = placeLabels(nodes, pos, size);
    expect(labels.find((l) => l.id === 'hit')).toMatchObject({ anchor: 'start', x: 313.6 });
    expect(labels.find((l) => l.id === 'hit-lab')?.anchor).not.toBe('start');
    expect(left).toBeGreaterThan(0);
    expect(labels.length + left).toBe(nodes.length);
    const boxes = labels.map(boxOf);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1).toBe(false);
  });

  it('keeps a label inside the picture: at the right edge it goes left of its entity', () => {
    const { labels, left } = placeLabels([{ id: 'edge', label: 'State Administration for Science' }], new Map([['edge', { x: 980, y: 300, r: 6 }]]), size);
    expect(left).toBe(0);
    expect(labels[0]).toMatchObject({ anchor: 'end' });
  });
});
