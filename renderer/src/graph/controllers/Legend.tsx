import { useMemo } from 'react';
import { ENTITY_TYPE_LABELS, ENTITY_TYPES, type EntityType } from '../../../../shared/model';
import { linkTypeColours, linkTypeCounts, NO_AREA_COLOUR, OTHER_LINK_COLOUR, paletteColour, TYPE_COLOURS, type ColourBy } from '../appearance';
import { PATH_COLOUR } from '../display';
import { SHAPE_BY_TYPE, shapePath, type NodeShape } from '../shapes';
import { caseGraph, type LoadState } from '../store';
import type { EdgeColourBy } from './use-appearance';

/** The outline colour of entity types when the fill says something else. */
const SHAPE_INK = '#5b6576';

type Area = LoadState['areas'][number];

/** The entity types present in the graph, in the usual order. */
function presentTypes(): EntityType[] {
  const present = new Set<string>();
  caseGraph.forEachNode((_n, a) => present.add(a.entityType));
  return ENTITY_TYPES.filter((t) => present.has(t));
}

function legendItems(colourBy: ColourBy, areas: readonly Area[], measured: number): { key: string; label: string; color: string }[] {
  if (colourBy === 'type') return presentTypes().map((t) => ({ key: t, label: ENTITY_TYPE_LABELS[t], color: TYPE_COLOURS[t] }));
  if (colourBy === 'area') {
    const present = new Set<string>();
    caseGraph.forEachNode((_n, a) => {
      if (a.areaIds[0]) present.add(a.areaIds[0]);
    });
    return [...areas.filter((a) => present.has(a.id)).map((a) => ({ key: a.id, label: a.name, color: a.colour })), { key: 'none', label: 'no area', color: NO_AREA_COLOUR }];
  }
  void measured;
  const sizes = new Map<number, number>();
  caseGraph.forEachNode((_n, a) => sizes.set(a.community, (sizes.get(a.community) ?? 0) + 1));
  return [...sizes.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(0, 10)
    .map(([c, n]) => ({ key: String(c), label: `Community ${c + 1} (${n})`, color: paletteColour(c) }));
}

/** The legend drawn into an exported picture: the same entries as on the screen. */
export function pictureLegend(colourBy: ColourBy, areas: readonly Area[], measured: number): { label: string; color: string; shape: NodeShape | null }[] {
  const types = presentTypes();
  if (colourBy === 'type') return types.map((t) => ({ label: ENTITY_TYPE_LABELS[t], color: TYPE_COLOURS[t], shape: SHAPE_BY_TYPE[t] }));
  const colours = legendItems(colourBy, areas, measured);
  return [...colours.map((i) => ({ label: i.label, color: i.color, shape: null })), ...types.map((t) => ({ label: ENTITY_TYPE_LABELS[t], color: SHAPE_INK, shape: SHAPE_BY_TYPE[t] }))];
}

/** A small picture of an entity type's outline, as the graph draws it. */
function ShapeIcon({ shape, color }: { shape: NodeShape; color: string }) {
  return (
    <svg className="shape-icon" width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true" data-shape={shape}>
      <path d={shapePath(shape, 0, 0, 4.6)} fill={color} />
    </svg>
  );
}

/** What the colours and shapes on the graph mean; read from the graph on every render, as the graph is not React state. */
export function Legend({ colourBy, edgeColourBy, areas, measured, version, showsPath }: { colourBy: ColourBy; edgeColourBy: EdgeColourBy; areas: readonly Area[]; measured: number; version: number; showsPath: boolean }) {
  const legend = legendItems(colourBy, areas, measured);
  const types = presentTypes();
  const edgeLegend = useMemo(() => {
    void version;
    if (edgeColourBy === 'area') return [];
    const counts = linkTypeCounts(caseGraph);
    const colours = [...linkTypeColours(counts)];
    const own = colours.filter(([, c]) => c !== OTHER_LINK_COLOUR).map(([t, color]) => ({ key: t, label: t, color }));
    const others = colours.length - own.length;
    return others > 0 ? [...own, { key: '', label: `${others} other ${others === 1 ? 'type' : 'types'}`, color: OTHER_LINK_COLOUR }] : own;
  }, [edgeColourBy, version]);

  return (
    <details className="graph-legend" open aria-label="Legend">
      <summary>Legend</summary>
      <h3>Entities</h3>
      <ul>
        {colourBy === 'type'
          ? types.map((t) => (
              <li key={t}>
                <ShapeIcon shape={SHAPE_BY_TYPE[t]} color={TYPE_COLOURS[t]} />
                {ENTITY_TYPE_LABELS[t]}
              </li>
            ))
          : legend.map((item) => (
              <li key={item.key}>
                <span className="swatch" style={{ background: item.color }} />
                {item.label}
              </li>
            ))}
      </ul>
      {colourBy !== 'type' && types.length ? (
        <>
          <h3>Entity types</h3>
          <ul>
            {types.map((t) => (
              <li key={t}>
                <ShapeIcon shape={SHAPE_BY_TYPE[t]} color={SHAPE_INK} />
                {ENTITY_TYPE_LABELS[t]}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {edgeLegend.length ? (
        <>
          <h3>Links</h3>
          <ul>
            {edgeLegend.map((item) => (
              <li key={item.key}>
                <span className="swatch line" style={{ background: item.color }} />
                {item.label}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {showsPath ? (
        <p>
          <span className="swatch line" style={{ background: PATH_COLOUR }} /> path
        </p>
      ) : null}
    </details>
  );
}
