import { useId, useRef, useState, type FormEvent } from 'react';
import { caseFilterInput } from '../../../shared/case-filters';
import { partialDateRange } from '../../../shared/partial-date';

const HINT = 'A year, a month or a day: 2019, 2019-06 or 2019-06-30.';

/**
 * Chooses the shared filters' time window by typing it, as the timeline's brush
 * does by dragging. Partial dates cover their whole span: "2019" to "2021" is
 * 1 January 2019 to 31 December 2021.
 */
export function PeriodPicker({ period, onChange }: { period: { from: string; to: string } | null; onChange: (period: { from: string; to: string }) => void }) {
  const holder = useRef<HTMLDetailsElement>(null);
  const [from, setFrom] = useState(period?.from ?? '');
  const [to, setTo] = useState(period?.to ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = useId();

  const reset = () => {
    setFrom(period?.from ?? '');
    setTo(period?.to ?? '');
    setProblem(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = partialDateRange(from.trim());
    const end = partialDateRange(to.trim() || from.trim());
    if (!start) return setProblem(`"From" is not a date. ${HINT}`);
    if (!end) return setProblem(`"To" is not a date. ${HINT}`);
    // The shared filters' own schema decides whether the period holds together.
    const checked = caseFilterInput.shape.period.safeParse({ from: start.start, to: end.end });
    if (!checked.success || !checked.data) return setProblem(checked.error?.issues[0]?.message ?? 'This period cannot be used.');
    setProblem(null);
    onChange(checked.data);
    if (holder.current) holder.current.open = false;
  };

  return (
    <details
      className="period-picker"
      ref={holder}
      onToggle={(event) => {
        if (event.currentTarget.open) reset();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && holder.current?.open) {
          event.stopPropagation();
          holder.current.open = false;
          holder.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary aria-label="Filter by period">Period…</summary>
      <form className="period-form" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-from`}>From</label>
        <input id={`${ids}-from`} value={from} onChange={(e) => setFrom(e.target.value)} placeholder="2019" autoComplete="off" spellCheck={false} aria-describedby={`${ids}-hint`} />
        <label htmlFor={`${ids}-to`}>To</label>
        <input id={`${ids}-to`} value={to} onChange={(e) => setTo(e.target.value)} placeholder="2021-06" autoComplete="off" spellCheck={false} aria-describedby={`${ids}-hint`} />
        <p id={`${ids}-hint`} className="muted period-hint">
          {HINT} An empty "To" keeps the span of "From".
        </p>
        {problem ? (
          <p className="form-failure" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit">Apply period</button>
      </form>
    </details>
  );
}
