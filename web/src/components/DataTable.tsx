import type { ReactNode } from 'react';

/** A DSFR table with a caption and row headers (first cell of each row). */
export function DataTable({ caption, headers, rows, hideCaption = false, className = '' }: {
  caption: string;
  headers: ReactNode[];
  rows: ReactNode[][];
  hideCaption?: boolean;
  className?: string;
}) {
  return (
    <div className={`fr-table fr-table--bordered ${className}`}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0} role="region" aria-label={`${caption} (zone défilante)`}>
          <div className="fr-table__content">
            <table>
              <caption className={hideCaption ? 'fr-sr-only' : undefined}>{caption}</caption>
              <thead>
                <tr>
                  {headers.map((h, i) => (
                    <th key={i} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((c, j) =>
                      j === 0 ? (
                        <th key={j} scope="row">
                          {c}
                        </th>
                      ) : (
                        <td key={j}>{c}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
