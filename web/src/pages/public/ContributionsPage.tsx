import { useEffect, useState, type FormEvent } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { ConsultationNav } from './ConsultationPage.tsx';
import { ReportContribution } from './Engagement.tsx';
import { useApi } from '../../hooks.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { CHANNEL_LABELS, COLLEGES, COLLEGE_LABELS, CONTRIBUTION_KINDS, KIND_LABELS, collegeLabel, formatDate, kindLabel, nf } from '../../labels.ts';
import type { ConsultationDetail, Page as PageOf, PublicContribution } from '../../types.ts';

const FILTERS = ['q', 'theme', 'kind', 'meeting', 'college'] as const;
const PAGE_SIZE = 20;

export function ContributionsPage({ slug }: { slug: string }) {
  const { path, query } = useLocation();
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  const [form, setForm] = useState<Record<string, string>>({});
  const qs = new URLSearchParams();
  for (const f of FILTERS) {
    const v = query.get(f);
    if (v) qs.set(f, v);
  }
  const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
  const filterKey = qs.toString();
  useEffect(() => {
    const q = new URLSearchParams(filterKey);
    setForm(Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? ''])));
  }, [filterKey]);
  const apiQs = new URLSearchParams(qs);
  apiQs.set('page', String(page));
  apiQs.set('pageSize', String(PAGE_SIZE));
  const res = useApi<PageOf<PublicContribution>>(`/consultations/${encodeURIComponent(slug)}/contributions?${apiQs}`);
  const c = cons.data;
  const themeLabel = (code: string) => c?.themes.find((t) => t.code === code)?.label ?? code;
  const meetingLabel = (id: string) => c?.meetings.find((m) => m.id === id)?.title ?? id;

  function apply(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (form[f]?.trim()) next.set(f, form[f]!.trim());
    navigate(`${path}${next.size ? `?${next}` : ''}`);
  }
  const set = (k: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const total = res.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const title = c ? `Contributions publiées : ${c.title}` : 'Contributions publiées';

  return (
    <Page title={title} crumbs={[{ label: 'Consultations', href: '/' }, { label: c?.title ?? slug, href: `/consultations/${slug}` }]}>
      <ConsultationNav slug={slug} current="/contributions" open={c?.status === 'open'} />
      <form onSubmit={apply} className="filters fr-p-3w fr-mb-4w" role="search" aria-label="Rechercher et filtrer les contributions">
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input label="Recherche plein texte" hintText="Exemple : médecin, urgences, transport" nativeInputProps={{ type: 'search', name: 'q', value: form.q ?? '', onChange: set('q') }} />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label="Thème" nativeSelectProps={{ name: 'theme', value: form.theme ?? '', onChange: set('theme') }}>
              <option value="">Tous les thèmes</option>
              {c?.themes.map((t) => <option key={t.code} value={t.code}>{t.label}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Nature" nativeSelectProps={{ name: 'kind', value: form.kind ?? '', onChange: set('kind') }}>
              <option value="">Toutes</option>
              {CONTRIBUTION_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Réunion" nativeSelectProps={{ name: 'meeting', value: form.meeting ?? '', onChange: set('meeting') }}>
              <option value="">Toutes</option>
              {c?.meetings.map((m) => <option key={m.id} value={m.id}>{m.title}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Collège" nativeSelectProps={{ name: 'college', value: form.college ?? '', onChange: set('college') }}>
              <option value="">Tous</option>
              {COLLEGES.map((k) => <option key={k} value={k}>{COLLEGE_LABELS[k]}</option>)}
            </Select>
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-mt-2w">
          <li><Button type="submit" iconId="fr-icon-search-line">Rechercher</Button></li>
          {filterKey ? (
            <li><Button type="button" priority="tertiary" onClick={() => navigate(path)}>Effacer les filtres</Button></li>
          ) : null}
        </ul>
      </form>

      <ErrorAlert message={res.error} />
      <p role="status" aria-live="polite" className="fr-text--lg">
        {res.loading ? 'Recherche en cours…' : `${nf.format(total)} contribution${total > 1 ? 's' : ''} trouvée${total > 1 ? 's' : ''}${pages > 1 ? ` — page ${page} sur ${pages}` : ''}`}
      </p>
      {res.loading && !res.data ? <Loading /> : null}
      <ul className="contribution-list">
        {res.data?.items.map((it) => (
          <li key={it.id} className="contribution fr-mb-3w fr-p-3w">
            <p className="contribution__text">{it.text}</p>
            <ul className="fr-tags-group" aria-label="Classement">
              {it.themes.map((t) => <li key={t}><Tag small>{themeLabel(t)}</Tag></li>)}
              <li><Tag small>{kindLabel(it.kind)}</Tag></li>
            </ul>
            <p className="fr-text--xs fr-mb-0 contribution__meta">
              {collegeLabel(it.college)} · {CHANNEL_LABELS[it.channel] ?? it.channel}
              {it.meeting ? ` · ${meetingLabel(it.meeting)}` : ''}
              {it.date ? ` · ${formatDate(it.date)}` : ''}
            </p>
            <p className="fr-text--sm fr-mt-1w fr-mb-0">
              <Link href={`/contributions/${encodeURIComponent(it.id)}`}>Que devient cette contribution ?</Link>
            </p>
            <ReportContribution id={it.id} />
          </li>
        ))}
      </ul>
      {pages > 1 ? (
        <Pagination
          key={`${filterKey}-${page}`}
          count={pages}
          defaultPage={page}
          showFirstLast
          getPageLinkProps={(n) => {
            const q = new URLSearchParams(qs);
            if (n > 1) q.set('page', String(n));
            return { href: `${path}${q.size ? `?${q}` : ''}` };
          }}
        />
      ) : null}
    </Page>
  );
}
