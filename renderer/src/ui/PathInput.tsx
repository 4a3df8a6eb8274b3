import { useState } from 'react';
import { canChoosePaths, choosePath, errorMessage } from './api';
import type { PathRequest } from '../../../shared/bridge';

/**
 * A file path field. In the desktop window the path comes from the system's
 * file dialog (Choose…), since operations there accept only paths the user
 * picked; in the browser mode it is typed. `allowTyping` keeps the field
 * editable in the window too, for fields that also take a bare file name.
 */
export function PathInput({
  id,
  value,
  onChange,
  request,
  placeholder,
  label,
  allowTyping = false,
  invalid = false,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  request: PathRequest;
  placeholder?: string;
  /** Accessible name when no <label> points at the field. */
  label?: string;
  allowTyping?: boolean;
  invalid?: boolean;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const desktop = canChoosePaths();
  const choose = () => {
    setProblem(null);
    choosePath(request)
      .then((chosen) => {
        if (chosen) onChange(chosen);
      })
      .catch((error: unknown) => setProblem(errorMessage(error)));
  };
  return (
    <div className="path-input">
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        readOnly={desktop && !allowTyping}
        placeholder={desktop && !allowTyping ? 'Choose a file…' : placeholder}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        spellCheck={false}
      />
      {desktop ? (
        <button type="button" onClick={choose}>
          Choose…
        </button>
      ) : null}
      {problem ? (
        <div className="field-error" role="alert">
          {problem}
        </div>
      ) : null}
    </div>
  );
}
