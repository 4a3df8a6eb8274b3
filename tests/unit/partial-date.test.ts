import { describe, expect, it } from 'vitest';
import { formatDateSpan, formatDateTime, formatPartialDate, isPartialDate, parsePartialDate, partialDateRange } from '../../shared/partial-date';
import { shortenAtWord } from '../../shared/report';

describe('partial dates', () => {
  it.each([
    ['2017', { year: 2017, precision: 'year' }],
    ['2023-05', { year: 2023, month: 5, precision: 'month' }],
    ['2024-05-16', { year: 2024, month: 5, day: 16, precision: 'day' }],
  ])('accepts %s and reads its precision', (text, expected) => {
    expect(isPartialDate(text)).toBe(true);
    expect(parsePartialDate(text)).toEqual(expected);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parsePartialDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29, precision: 'day' });
    expect(isPartialDate('2000-02-29')).toBe(true);
  });

  it.each([
    ['2023-02-29', '29 February outside a leap year'],
    ['1900-02-29', '29 February in a century that is not a leap year'],
    ['2023-02-30', 'a day February never has'],
    ['2024-02-30', 'a day February never has, even in a leap year'],
    ['2023-04-31', 'the 31st of a 30-day month'],
    ['2023-13', 'month 13'],
    ['2023-00', 'month 0'],
    ['2023-05-00', 'day 0'],
    ['17', 'a two-digit year'],
    ['2024-5', 'a month without its leading zero'],
    ['2024-05-1', 'a day without its leading zero'],
    ['', 'empty text'],
    [' 2017', 'leading space'],
    ['2017-', 'a trailing dash'],
    ['0999', 'a year before 1000'],
    ['2024/05/16', 'slashes'],
    ['2024-05-16T10:00', 'a time'],
  ])('rejects %j (%s)', (text) => {
    expect(isPartialDate(text)).toBe(false);
    expect(parsePartialDate(text)).toBeNull();
  });

  describe('partialDateRange', () => {
    it('covers the whole year for a year', () => {
      expect(partialDateRange('2017')).toEqual({ start: '2017-01-01', end: '2017-12-31' });
    });

    it('covers the whole month for a year and month, with the month length of that year', () => {
      expect(partialDateRange('2023-05')).toEqual({ start: '2023-05-01', end: '2023-05-31' });
      expect(partialDateRange('2023-04')).toEqual({ start: '2023-04-01', end: '2023-04-30' });
      expect(partialDateRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
      expect(partialDateRange('2023-02')).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    });

    it('is the day itself for a full date', () => {
      expect(partialDateRange('2024-05-16')).toEqual({ start: '2024-05-16', end: '2024-05-16' });
    });

    it('is null for text that is not a partial date', () => {
      expect(partialDateRange('2023-02-30')).toBeNull();
      expect(partialDateRange('2023-13')).toBeNull();
      expect(partialDateRange('')).toBeNull();
    });
  });

  it('reads in words, whatever the precision, and leaves other text as it is', () => {
    expect(['2017', '2017-03', '2024-02-29', 'about 2019'].map(formatPartialDate)).toEqual(['2017', 'March 2017', '29 February 2024', 'about 2019']);
    expect(formatDateSpan('2011', null)).toBe('2011–');
    expect(formatDateSpan(null, '2020-06')).toBe('– June 2020');
    expect(formatDateSpan('2017-03', '2017-03')).toBe('March 2017');
    expect(formatDateSpan(null, null)).toBe('');
  });

  it('gives an instant in UTC and a time typed without a zone without one', () => {
    expect(formatDateTime('2026-12-02T14:30:00.000Z')).toBe('2 December 2026, 14:30 UTC');
    expect(formatDateTime('2026-12-31T23:30:00-02:00')).toBe('1 January 2027, 01:30 UTC');
    expect(formatDateTime('2026-12-02T14:30')).toBe('2 December 2026, 14:30');
    expect(formatDateTime('2026-12-02')).toBe('2 December 2026');
  });
});

describe('shortened text', () => {
  it('cuts after a whole word with an ellipsis, and leaves text that fits alone', () => {
    expect(shortenAtWord('Harbin Institute of Technology', 80)).toBe('Harbin Institute of Technology');
    expect(shortenAtWord('Harbin Institute of Technology', 20)).toBe('Harbin Institute of…');
    expect(shortenAtWord('Harbin Institute, of Technology', 20)).toBe('Harbin Institute…');
    // One word longer than the room is kept whole rather than cut inside.
    expect(shortenAtWord('Supercalifragilisticexpialidocious', 10)).toBe('Supercalifragilisticexpialidocious');
    expect(shortenAtWord('Supercalifragilisticexpialidocious and more', 10)).toBe('Supercalifragilisticexpialidocious…');
  });
});
