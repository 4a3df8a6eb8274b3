import '../evidence/evidence.css';
import { useState, type FormEvent } from 'react';
import { searchHash } from '../ui/place';

/** The search box in the case header, on every view: it opens the Search view with the query. */
export function HeaderSearch() {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    window.location.hash = searchHash(text.trim());
    setText('');
  };
  return (
    <form className="header-search" role="search" onSubmit={submit}>
      <input type="search" aria-label="Search everywhere" placeholder="Search the case…" value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}
