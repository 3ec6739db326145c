import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from './api.js';
import type { Claim } from './types.js';

/** Loads JSON from the API; reloads when the path changes. */
export function useApi<T>(path: string | null): { data: T | null; error: ApiError | null; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path)
      .then((data) => live && setState({ data, error: null, loading: false }))
      .catch((err: unknown) => live && setState({ data: null, error: err instanceof ApiError ? err : new ApiError(0, 'internal', String(err)), loading: false }));
    return () => {
      live = false;
    };
  }, [path, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function Loading<T>({ state, children }: { state: { data: T | null; error: ApiError | null; loading: boolean }; children: (data: T) => ReactNode }) {
  if (state.error) {
    return (
      <p className="error" role="alert">
        {state.error.status === 403 ? 'Your token’s role cannot see this: ' : ''}
        {state.error.message} <code>[{state.error.code}]</code>
      </p>
    );
  }
  if (!state.data) return <p className="muted">Loading…</p>;
  return <>{children(state.data)}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

const VERDICT_CLASS: Record<string, string> = { SUPPORTED: 'v-supported', REFUTED: 'v-refuted', NOT_ENOUGH_INFO: 'v-nei' };

/** A verdict label; a human decision is always marked as such. */
export function VerdictBadge({ claim }: { claim: Pick<Claim, 'effectiveVerdict'> }) {
  const v = claim.effectiveVerdict;
  if (!v) return <span className="badge v-none">not verified</span>;
  return (
    <span className={`badge ${VERDICT_CLASS[v.label] ?? ''}`} title={v.human ? `decided by a human reviewer (${v.by ?? ''})` : 'automatic verdict'}>
      {v.label.replaceAll('_', ' ')}
      {v.human && <span className="human"> · human review</span>}
    </span>
  );
}

export function LabelBadge({ label }: { label: string }) {
  return <span className={`badge ${VERDICT_CLASS[label] ?? 'v-none'}`}>{label.replaceAll('_', ' ')}</span>;
}

/** An external link that leaks neither the dashboard's address nor a window handle. */
export function External({ href, children }: { href: string; children: ReactNode }) {
  const safe = /^https?:\/\//i.test(href) ? href : undefined;
  if (!safe) return <span>{children}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  );
}

export function Pager({ total, limit, offset, onChange }: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  if (total <= limit) return <p className="muted">{total} in all</p>;
  return (
    <p className="pager">
      <button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        ← previous
      </button>{' '}
      {offset + 1}–{Math.min(total, offset + limit)} of {total}{' '}
      <button disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        next →
      </button>
    </p>
  );
}

export const VERDICT_COLOURS: Record<string, string> = { SUPPORTED: '#2e7d32', REFUTED: '#c62828', NOT_ENOUGH_INFO: '#f9a825', NONE: '#9e9e9e' };

/**
 * Document text with spans highlighted. Text is only ever rendered as text nodes: captured
 * markup shows as its characters and never becomes elements.
 */
export function HighlightedText({ text, spans, focus }: { text: string; spans: { start: number; end: number; id: string }[]; focus?: string }) {
  const sorted = [...spans].filter((s) => s.end > s.start && s.end <= text.length).sort((a, b) => a.start - b.start);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start));
    parts.push(
      <mark key={s.id} id={`q-${s.id}`} className={s.id === focus ? 'focus' : undefined} ref={s.id === focus ? (el) => el?.scrollIntoView({ block: 'center' }) : undefined}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return <pre className="doctext">{parts}</pre>;
}
