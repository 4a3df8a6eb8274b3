import { AllCommunityModule, ModuleRegistry, colorSchemeDark, colorSchemeLight, themeQuartz, type Theme } from 'ag-grid-community';
import { useEffect, useState } from 'react';

ModuleRegistry.registerModules([AllCommunityModule]);

/** Nonce the door put in the page for styles the grid injects (the CSP forbids inline styles otherwise). */
export const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="caseboard-style-nonce"]')?.content ?? '';

const base = themeQuartz.withParams({
  fontFamily: 'inherit',
  fontSize: 13,
  headerFontWeight: 600,
  spacing: 6,
  wrapperBorderRadius: 6,
  accentColor: '#2458b3',
});
const lightTheme = base.withPart(colorSchemeLight).withParams({ accentColor: '#2458b3' });
const darkTheme = base.withPart(colorSchemeDark).withParams({ accentColor: '#7aa7ff', backgroundColor: '#1b1f26' });

/** The grid theme, following the system's light or dark setting. */
export function useGridTheme(): Theme {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const listener = () => setDark(media.matches);
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }, []);
  return dark ? darkTheme : lightTheme;
}

export const TEXT_FILTER = {
  filter: 'agTextColumnFilter',
  filterParams: {
    filterOptions: ['contains', 'notContains', 'equals', 'notEqual', 'startsWith', 'endsWith', 'blank', 'notBlank'],
    maxNumConditions: 2,
    buttons: ['reset'],
    debounceMs: 250,
  },
} as const;

const measureFormat = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

/** A network measure for a grid cell: blank (not 0) when the graph has not computed it yet. */
export function formatMeasure(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? measureFormat.format(value) : '';
}
