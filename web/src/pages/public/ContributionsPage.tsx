import { useEffect, useRef, useState, type FormEvent } from 'react';
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
import { CHANNEL_LABELS, COLLEGES, COLLEGE_LABELS, CONTRIBUTION_KINDS, KIND_LABELS, collegeLabel, count, formatDate, kindLabel } from '../../labels.ts';
import { usePageFocus } from '../../components/page-focus.ts';
import type { ConsultationDetail, Page as PageOf, PublicContribution, Stats } from '../../types.ts';

// every filter and the sort live in the address: back, forward and shared links give the same list
const FILTERS = ['q', 'theme', 'kind', 'meeting', 'college', 'du', 'au', 'tri'] as const;
const SORTS: Record<string, string> = { recentes: 'Les plus récentes d’abord', anciennes: 'Les plus anciennes d’abord', pertinence: 'Les plus pertinentes d’abord' };
const PAGE_SIZE = 20;

export function ContributionsPage({ slug }: { slug: string }) {
  const { path, query } = useLocation();
  const cons = useApi<ConsultationDetail>(`/consultations/${encodeURIComponent(slug)}`);
  // the public figures: a meeting is offered only with published contributions, with their number
  const stats = useApi<Stats>(`/consultations/${encodeURIComponent(slug)}/stats`);
  const status = useRef<HTMLParagraphElement>(null);
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
  apiQs.delete('tri');
  const tri = qs.get('tri');
  // relevance needs words to search: without them, the default order
  if (tri && SORTS[tri] && (tri !== 'pertinence' || qs.get('q'))) apiQs.set('sort', tri);
  apiQs.set('page', String(page));
  apiQs.set('pageSize', String(PAGE_SIZE));
  const res = useApi<PageOf<PublicContribution>>(`/consultations/${encodeURIComponent(slug)}/contributions?${apiQs}`);
  const c = cons.data;
  const themeLabel = (code: string) => c?.themes.find((t) => t.code === code)?.label ?? code;
  const meetingLabel = (id: string) => c?.meetings.find((m) => m.id === id)?.title ?? id;

  usePageFocus(status, `${filterKey}|${page}`, !res.loading);
  const byMeeting = stats.data?.byMeeting ?? {};
  const meetings = (c?.meetings ?? []).filter((m) => (byMeeting[m.id] ?? 0) > 0 || m.id === form.meeting);

  function apply(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (form[f]?.trim()) next.set(f, form[f]!.trim());
    if (next.get('tri') === 'pertinence' && !next.get('q')) next.delete('tri');
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
              {meetings.map((m) => <option key={m.id} value={m.id}>{m.title} ({count(byMeeting[m.id] ?? 0, 'contribution', 'contributions')})</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Collège" nativeSelectProps={{ name: 'college', value: form.college ?? '', onChange: set('college') }}>
              <option value="">Tous</option>
              {COLLEGES.map((k) => <option key={k} value={k}>{COLLEGE_LABELS[k]}</option>)}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="Du" hintText="Datées de ce jour ou après" nativeInputProps={{ type: 'date', name: 'du', value: form.du ?? '', onChange: set('du'), max: form.au || undefined }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="Au" hintText="Datées de ce jour ou avant" nativeInputProps={{ type: 'date', name: 'au', value: form.au ?? '', onChange: set('au'), min: form.du || undefined }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label="Ordre" hint={form.q?.trim() ? undefined : 'La pertinence suppose une recherche'} nativeSelectProps={{ name: 'tri', value: form.tri || (form.q?.trim() ? 'pertinence' : 'recentes'), onChange: set('tri') }}>
              {Object.entries(SORTS).map(([k, label]) => <option key={k} value={k} disabled={k === 'pertinence' && !form.q?.trim()}>{label}</option>)}
            </Select>
          </div>
          {form.du || form.au ? <p className="fr-col-12 fr-text--xs fr-mb-0">Avec une date, les contributions sans date (comptes-rendus d’ateliers non datés) sont écartées.</p> : null}
        </div>
        <ul className="fr-btns-group fr-btns-group--icon-left fr-btns-group--inline-sm fr-mt-2w">
          <li><Button type="submit" iconId="fr-icon-search-line">Rechercher</Button></li>
          {filterKey ? (
            <li><Button type="button" priority="tertiary" onClick={() => navigate(path)}>Effacer les filtres</Button></li>
          ) : null}
        </ul>
      </form>

      <ErrorAlert message={res.error} />
      <p ref={status} tabIndex={-1} role="status" aria-live="polite" className="fr-text--lg list-status">
        {res.loading ? 'Recherche en cours…' : `${count(total, 'contribution trouvée', 'contributions trouvées')}${pages > 1 ? ` — page ${page} sur ${pages}` : ''}`}
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
