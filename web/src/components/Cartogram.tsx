import { Link } from '../router.tsx';
import { DEPARTEMENTS } from '../../../src/domain/geography.ts';

/**
 * Tile cartogram of metropolitan départements: one square per département, placed on a grid
 * computed from approximate prefecture coordinates (rounded, collisions moved to the nearest free
 * cell). Overseas départements sit on a row of their own. The picture is one image with a text
 * summary; the list of links that follows is the equivalent for every user.
 */
const GRID: Record<string, [number, number]> = {
  '10': [11, 5], '11': [9, 14], '12': [9, 12], '13': [13, 14], '14': [6, 4], '15': [9, 11], '16': [6, 10], '17': [5, 9],
  '18': [9, 7], '19': [8, 11], '21': [13, 7], '22': [3, 5], '23': [9, 9], '24': [7, 11], '25': [14, 7], '26': [12, 11],
  '27': [8, 4], '28': [8, 5], '29': [1, 6], '30': [12, 13], '31': [8, 14], '32': [7, 13], '33': [5, 11], '34': [11, 14],
  '35': [4, 6], '36': [8, 8], '37': [7, 7], '38': [13, 11], '39': [13, 8], '40': [6, 13], '41': [8, 6], '42': [12, 10],
  '43': [11, 11], '44': [4, 7], '45': [9, 6], '46': [8, 12], '47': [7, 12], '48': [11, 12], '49': [5, 7], '50': [5, 4],
  '51': [12, 4], '52': [13, 6], '53': [5, 6], '54': [14, 4], '55': [13, 4], '56': [3, 6], '57': [14, 3], '58': [10, 8],
  '59': [10, 1], '60': [9, 3], '61': [6, 5], '62': [10, 2], '63': [10, 10], '64': [6, 14], '65': [7, 14], '66': [10, 15],
  '67': [16, 5], '68': [16, 6], '69': [13, 10], '70': [14, 6], '71': [12, 9], '72': [6, 6], '73': [14, 10], '74': [14, 9],
  '75': [9, 4], '76': [8, 3], '77': [10, 5], '78': [9, 5], '79': [6, 9], '80': [9, 2], '81': [9, 13], '82': [8, 13],
  '83': [14, 14], '84': [13, 13], '85': [4, 8], '86': [7, 8], '87': [8, 10], '88': [14, 5], '89': [11, 6], '90': [15, 6],
  '91': [10, 4], '92': [10, 3], '93': [11, 4], '94': [10, 6], '95': [7, 4], '01': [13, 9], '02': [11, 3], '03': [11, 8],
  '04': [14, 13], '05': [14, 12], '06': [15, 13], '07': [12, 12], '08': [12, 3], '09': [8, 15], '2A': [17, 16], '2B': [18, 15],
  '971': [1, 17], '972': [2, 17], '973': [3, 17], '974': [4, 17], '976': [5, 17],
};

const CELL = 30;

export interface CartogramItem { code: string; name: string; count: number; href: string }

export function Cartogram({ items, caption }: { items: CartogramItem[]; caption: string }) {
  const active = new Map(items.map((i) => [i.code, i]));
  const names = items.map((i) => `${i.name} (${i.code})`).join(', ');
  const summary = items.length
    ? `Carte schématique des départements de France : ${items.length} département${items.length > 1 ? 's ont' : ' a'} au moins une consultation : ${names}.`
    : 'Carte schématique des départements de France : aucune consultation publiée.';
  // the grid's cells run from column 1 to 18 and row 1 to 17: the drawing is cut to them, so its labels stay large
  const w = 18 * CELL;
  const h = 17.1 * CELL;
  return (
    <figure className="cartogram fr-mb-4w">
      <svg viewBox={`${CELL} ${CELL} ${w} ${h}`} role="img" aria-label={summary} className="cartogram__svg" focusable="false">
        {Object.entries(GRID).map(([code, [x, y]]) => {
          const a = active.get(code);
          return (
            <g key={code} transform={`translate(${x * CELL},${y * CELL})`}>
              <rect width={CELL - 3} height={CELL - 3} rx={3} className={a ? 'tile tile--on' : 'tile'}>
                <title>{`${DEPARTEMENTS[code]?.[0] ?? code}${a ? ` : ${a.count} consultation${a.count > 1 ? 's' : ''}` : ''}`}</title>
              </rect>
              <text x={(CELL - 3) / 2} y={(CELL - 3) / 2} textAnchor="middle" dominantBaseline="central" className={a ? 'tile-label tile-label--on' : 'tile-label'}>
                {code}
              </text>
            </g>
          );
        })}
        <text x={CELL} y={16.9 * CELL} className="cartogram__note">Outre-mer</text>
      </svg>
      <figcaption className="fr-text--sm">{caption}</figcaption>
      {items.length > 0 ? (
        <ul className="fr-mt-2w" aria-label="Départements ayant une consultation">
          {items.map((i) => (
            <li key={i.code}>
              <Link href={i.href}>
                {i.name} ({i.code})
              </Link>{' '}
              : {i.count} consultation{i.count > 1 ? 's' : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
