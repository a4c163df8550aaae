import { Button } from '@codegouvfr/react-dsfr/Button';
import { del, post } from '../api.ts';
import { useConfirmDialog } from './ConfirmDialog.tsx';
import { excerptTitle } from '../../../src/domain/moderation.ts';

/**
 * Delete or erase one contribution (analysts and administrators), each behind a confirmation dialog.
 * For a moderation card or a contribution view: `onDone` is called once it is gone (e.g. reload the list).
 * delete: it should not be there (test, wrong entry); erase: the person asked for it (GDPR), its words go
 * from every copy and the document's stored file is no longer kept.
 */
export function ContributionDeletion({ id, excerpt, onDone, asListItems = false }: {
  id: string; excerpt: string; onDone: (mode: 'delete' | 'erase') => void;
  /** render two <li> for a list of buttons the caller already has (the dialog goes in the last one) */
  asListItems?: boolean;
}) {
  const safeId = `suppr-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const dialog = useConfirmDialog(safeId);
  const path = `/admin/contributions/${encodeURIComponent(id)}`;
  const quote = excerptTitle(excerpt, 140);
  const items = (
    <>
        <li>
          <Button type="button" size="small" priority="tertiary" iconId="fr-icon-delete-line" onClick={() => dialog.ask({
            title: 'Supprimer cette contribution ?',
            body: <>
              <p>« {quote} »</p>
              <p>Elle sera retirée des chiffres, des idées communes et des citations. Les restitutions publiées qui la comptaient ne seront plus affichées jusqu’à leur republication. Cette action est définitive et inscrite au journal.</p>
            </>,
            confirmLabel: 'Supprimer définitivement',
            run: async () => { await del(path); onDone('delete'); },
          })}>Supprimer</Button>
        </li>
        <li>
          <Button type="button" size="small" priority="tertiary" iconId="fr-icon-eraser-line" onClick={() => dialog.ask({
            title: 'Effacer cette contribution à la demande de son auteur ?',
            body: <>
              <p>« {quote} »</p>
              <p>Demande d’effacement (RGPD) : son texte disparaîtra de partout, y compris du journal d’audit, des synthèses et du fichier d’origine de son document, qui ne sera plus conservé. Le journal gardera la trace de l’effacement, sans le texte. Cette action est définitive.</p>
            </>,
            confirmLabel: 'Effacer définitivement',
            run: async () => { await post(`${path}/erase`); onDone('erase'); },
          })}>Effacer (demande RGPD)</Button>
          {asListItems ? dialog.element : null}
        </li>
    </>
  );
  if (asListItems) return items;
  return (
    <>
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">{items}</ul>
      {dialog.element}
    </>
  );
}
