import type { ReactNode } from 'react';

/**
 * A DSFR table with a caption and row headers (first cell of each row), the one table of the app.
 *
 * On a screen narrower than 48em (a phone) each row becomes a card (`data-table--cards`, web/src/app.css): the row
 * header on top, then each cell under the name of its column, so that no column, and no action, sits off-screen
 * and nothing scrolls sideways. The column name printed in a cell is for the eye only (`aria-hidden`): the table
 * keeps its semantics (explicit ARIA roles, since some browsers drop those of a table that is not displayed as
 * one), so a screen reader still announces the header of each cell. `cards={false}` keeps the grid scrolling in
 * its focusable region, for a table whose comparison across columns is the point and which fits no phone anyway.
 */
export function DataTable({ caption, headers, rows, hideCaption = false, className = '', cards = true }: {
  caption: string;
  headers: ReactNode[];
  rows: ReactNode[][];
  hideCaption?: boolean;
  className?: string;
  cards?: boolean;
}) {
  return (
    <div className={`fr-table fr-table--bordered${cards ? ' data-table--cards' : ''} ${className}`}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0} role="region" aria-label={`${caption} (zone défilante)`}>
          <div className="fr-table__content">
            <table role={cards ? 'table' : undefined}>
              <caption className={hideCaption ? 'fr-sr-only' : undefined}>{caption}</caption>
              <thead role={cards ? 'rowgroup' : undefined}>
                <tr role={cards ? 'row' : undefined}>
                  {headers.map((h, i) => (
                    <th key={i} scope="col" role={cards ? 'columnheader' : undefined}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody role={cards ? 'rowgroup' : undefined}>
                {rows.map((r, i) => (
                  <tr key={i} role={cards ? 'row' : undefined}>
                    {r.map((c, j) =>
                      j === 0 ? (
                        <th key={j} scope="row" role={cards ? 'rowheader' : undefined}>
                          {c}
                        </th>
                      ) : (
                        cards && headers[j] !== undefined && headers[j] !== '' ? (
                          <td key={j} role="cell" className="data-table__cell">
                            <span className="data-table__label" aria-hidden="true">{headers[j]}</span>
                            <div className="data-table__value">{c}</div>
                          </td>
                        ) : (
                          <td key={j} role={cards ? 'cell' : undefined}>{c}</td>
                        )
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
