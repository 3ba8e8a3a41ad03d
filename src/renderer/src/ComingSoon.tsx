import type { ReactNode } from 'react';

/** The honest placeholder for a screen whose feature has not landed yet. */
export function ComingSoon({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="screen" aria-labelledby="coming-soon-title">
      <header className="screen-header">
        <h1 id="coming-soon-title">{title}</h1>
      </header>
      <div className="card coming-soon">
        <p className="badge badge-neutral">Coming in this release</p>
        <p>{children}</p>
        <p className="muted">
          This screen is not built yet. Settings already works: set up a profile and token there.
        </p>
      </div>
    </section>
  );
}
