import { useMemo, useState, type ReactNode } from 'react';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { ErrorAlert } from './Page.tsx';
import { errorMessage } from '../api.ts';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** the change; the dialog stays open with its error when it fails */
  run: () => Promise<void>;
}

/**
 * A DSFR confirmation dialog for irreversible actions (deletions): `ask` opens it with what will happen,
 * `element` is placed once in the page. `id` must be unique in the page.
 */
export function useConfirmDialog(id: string): { ask: (r: ConfirmRequest) => void; element: ReactNode } {
  const modal = useMemo(() => createModal({ id, isOpenedByDefault: false }), [id]);
  const [req, setReq] = useState<ConfirmRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ask = (r: ConfirmRequest) => { setReq(r); setError(undefined); modal.open(); };
  const confirm = async () => {
    if (!req || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await req.run();
      modal.close();
      setReq(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const element = (
    <modal.Component title={req?.title ?? 'Confirmation'} titleAs="h2" iconId="fr-icon-warning-line" buttons={[
      { children: 'Annuler', priority: 'secondary' },
      { children: busy ? 'Suppression en cours…' : req?.confirmLabel ?? 'Confirmer', doClosesModal: false, disabled: busy, onClick: () => { void confirm(); } },
    ]}>
      {req?.body}
      <div aria-live="polite"><ErrorAlert message={error} title="Rien n’a été supprimé" /></div>
    </modal.Component>
  );
  return { ask, element };
}
