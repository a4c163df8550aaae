/**
 * Who may use which part of the back office: the one table the API's route guards and the web app's
 * navigation both read, so that what a role is shown is exactly what the API lets it do.
 */

// owner (« Porteur d’action », issue 15): an account of an organisation that carries actions of a plan; it only
// reaches the follow-up, and there only the actions assigned to it (src/usecases/actions.ts)
export const ROLES = ['admin', 'analyst', 'facilitator', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const BACK_OFFICE_SECTIONS = ['consultations', 'meetings', 'reports', 'settings', 'import', 'moderation', 'analysis', 'synthesis', 'plans', 'reopen', 'followup', 'outbox', 'accounts'] as const;
export type Section = (typeof BACK_OFFICE_SECTIONS)[number];

export const SECTION_LABELS: Record<Section, string> = {
  consultations: 'Consultations',
  meetings: 'Consultation et réunions',
  reports: 'Comptes-rendus d’ateliers',
  settings: 'Paramètres des consultations',
  import: 'Import',
  moderation: 'Modération',
  analysis: 'Analyse',
  synthesis: 'Synthèse',
  plans: 'Schémas territoriaux de santé',
  reopen: 'Réouverture des consultations closes',
  followup: 'Suivi du schéma',
  outbox: 'Messages aux abonnés',
  accounts: 'Comptes',
};

const TEAM = ['admin', 'analyst', 'facilitator'] as const;
const ANALYSTS = ['admin', 'analyst'] as const;

/** Roles allowed in each section (admin is in every one; route guards also let admin through). */
export const SECTION_ROLES: Record<Section, readonly Role[]> = {
  consultations: TEAM,
  meetings: TEAM,
  reports: TEAM,
  settings: ANALYSTS,
  import: ANALYSTS,
  moderation: ANALYSTS,
  analysis: ANALYSTS,
  synthesis: ANALYSTS,
  plans: ANALYSTS,
  // reopening a consultation past its end date overrides its published period: administrators only
  reopen: ['admin'],
  // every role reaches the follow-up; what each may read and change there is decided by the use cases
  // (owners and facilitators: the actions assigned to them; analysts and administrators: all)
  followup: ['admin', 'analyst', 'facilitator', 'owner'],
  // the subscribers' addresses (masked) and the messages sent to them: administrators only
  outbox: ['admin'],
  // creating, disabling, deleting accounts, their one-time password links and the facilitators' consultations
  accounts: ['admin'],
};

/** Labels of the roles, shown in the back office and by `fabrique user`. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur',
  analyst: 'Analyste',
  facilitator: 'Animateur',
  owner: 'Porteur d’action',
};

export function mayUse(role: Role, section: Section): boolean {
  return SECTION_ROLES[section].includes(role);
}

export function sectionsOf(role: Role): Section[] {
  return BACK_OFFICE_SECTIONS.filter((s) => mayUse(role, s));
}

/** The roles a route guard lists for a section (the guard always admits admin, so it is left out). */
export function routeRoles(section: Section): readonly Exclude<Role, 'admin'>[] {
  return SECTION_ROLES[section].filter((r): r is Exclude<Role, 'admin'> => r !== 'admin');
}

/** The French sentence shown to someone whose role may not use a section. */
export function forbiddenSectionMessage(section: Section): string {
  const who = SECTION_ROLES[section].includes('analyst') ? 'aux analystes et aux administrateurs' : 'aux administrateurs';
  return `La partie « ${SECTION_LABELS[section]} » est réservée ${who} : votre rôle ne permet pas d’y accéder.`;
}
