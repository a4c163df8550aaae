/**
 * The legal pages: accessibility declaration (RGAA template), mentions légales, données personnelles, gestion des
 * cookies. What the operator configures comes from `GET /api/site` (FABRIQUE_SITE_*, docs/site-legal.md); what
 * the software does is written here from the code, and must change with it.
 */
import type { ReactNode } from 'react';
import { Page, Loading, ErrorAlert } from '../../components/Page.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { Link } from '../../router.tsx';
import { useSite } from '../../site.ts';
import { formatDate } from '../../labels.ts';
import { RGAA_STATUS_LABELS, isEmailContact, type PublicSite } from '../../../../src/domain/site.ts';
import { OUTBOX_RETENTION_DAYS, PENDING_SUBSCRIPTION_DAYS } from '../../../../src/domain/engagement.ts';

const NOT_SET = 'non renseigné par l’exploitant';

/** « 1er décembre 2026 » from YYYY-MM-DD. */
function frenchDate(day: string): string {
  return formatDate(day);
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function Value({ value }: { value: string | null }) {
  return value ? <>{value}</> : <span className="nc">{NOT_SET}</span>;
}

function Contact({ value }: { value: string | null }) {
  if (!value) return <span className="nc">{NOT_SET}</span>;
  return isEmailContact(value) ? <a href={`mailto:${value}`}>{value}</a> : <a href={value} rel="noopener">{value}</a>;
}

/** The page frame: loads the settings, then renders. Long addresses wrap at 375 px. */
function LegalPage({ title, children }: { title: string; children: (site: PublicSite) => ReactNode }) {
  const { site, error } = useSite();
  return (
    <Page title={title}>
      <div style={{ overflowWrap: 'break-word' }}>
        {error ? <ErrorAlert message={error} /> : site ? children(site) : <Loading />}
      </div>
    </Page>
  );
}

function External({ href, children }: { href: string; children: ReactNode }) {
  return <a href={href} target="_blank" rel="noopener" title={`${typeof children === 'string' ? children : href} – nouvelle fenêtre`}>{children}</a>;
}

// ---- accessibility ----

/** Known failures, checked against the code and the measurements of issue 16; update them as the app changes. */
const NON_CONFORMITIES: ReactNode[] = [
  <>La session de l’espace ARS se ferme 12 heures après la connexion, sans avertissement ni moyen de la prolonger (critère 13.1).</>,
  <>Dans l’espace ARS, certains tableaux larges (réunions d’une consultation, anomalies d’import…) obligent à défiler horizontalement, et une action peut se trouver hors de l’écran, même à 1&nbsp;280 pixels de large (critère 10.11).</>,
  <>Sur un écran de téléphone, certains graphiques de la page « En chiffres » et la carte schématique des départements sont difficiles à lire (libellés serrés, très petits). Chaque graphique est suivi de son tableau de données et la carte d’une liste de liens équivalente (critère 10.11).</>,
  <>Certains messages de l’espace ARS affichent un code interne (code d’une anomalie d’import, d’une action annulée) plutôt qu’une explication en français.</>,
];

const NOT_VERIFIED: ReactNode[] = [
  <>Aucune vérification n’a été faite avec un lecteur d’écran (NVDA, JAWS, VoiceOver, TalkBack), une loupe d’écran ou une commande vocale.</>,
  <>Les critères qui demandent un jugement humain (pertinence des alternatives textuelles et des titres, ordre de lecture, cohérence de la navigation, restitution des graphiques aux technologies d’assistance) n’ont pas été évalués un à un.</>,
  <>Les documents téléchargeables (restitutions et rapports en PDF, DOCX, Markdown) n’ont pas été audités ; le PDF est produit balisé, avec ses signets.</>,
  <>Les contributions sont publiées telles que leurs auteurs les ont écrites, après pseudonymisation : abréviations et passages dans une autre langue n’y sont pas signalés (critères 8.7 et 8.8).</>,
];

export function AccessibilityPage() {
  return (
    <LegalPage title="Déclaration d’accessibilité">
      {(site) => {
        const status = RGAA_STATUS_LABELS[site.rgaaStatus];
        return (
          <>
            <p>
              {site.publisher ?? <>L’éditeur de ce site (<span className="nc">{NOT_SET}</span>)</>} s’engage à rendre ses sites internet
              accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.
            </p>
            <p>Cette déclaration d’accessibilité s’applique au site « Fabrique », plateforme de consultation en démocratie sanitaire.</p>

            <h2>État de conformité</h2>
            <p>
              Ce site est <strong>{status}</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1
              {site.audit ? (site.rgaaStatus === 'non-conforme' ? ', moins de la moitié des critères applicables étant respectés.' : '.') : ' : aucun audit de conformité n’a encore été réalisé, et le RGAA demande de se déclarer non conforme tant qu’il ne l’est pas.'}
            </p>

            <h2>Résultats des tests</h2>
            {site.audit ? (
              <p>
                L’audit de conformité réalisé le {frenchDate(site.audit.date)}{site.audit.auditor ? <> par {site.audit.auditor}</> : null} révèle
                que {site.audit.rate.toLocaleString('fr-FR')} % des critères du RGAA applicables sont respectés.
              </p>
            ) : (
              <>
                <p>Aucun audit RGAA n’a été réalisé. L’équipe qui développe Fabrique fait, à chaque modification du logiciel, les vérifications suivantes, qui ne remplacent pas un audit :</p>
                <ul>
                  <li>tests automatiques axe-core (règles WCAG 2.1, niveaux A et AA) des pages publiques et des principales pages de l’espace ARS à 1&nbsp;280 pixels de large, et de certaines d’entre elles à 375 pixels (pages légales, plan du site, schéma territorial, rapport de couverture, quelques pages de l’espace ARS) : aucune violation détectée ;</li>
                  <li>parcours au seul clavier : dépôt d’une contribution, déplacement d’une contribution d’un groupe d’idées à un autre ;</li>
                  <li>absence de défilement horizontal à 375 pixels sur les pages où il est contrôlé (pages légales, plan du site, rapport de couverture…) ; les autres pages ne sont pas encore contrôlées ainsi.</li>
                </ul>
                <p>Les tests automatiques ne détectent qu’une partie des défauts d’accessibilité.</p>
              </>
            )}

            <h2>Contenus non accessibles</h2>
            <h3>Non-conformités connues</h3>
            <ul>{NON_CONFORMITIES.map((n, i) => <li key={i}>{n}</li>)}</ul>
            <h3>Ce qui n’a pas été vérifié</h3>
            <ul>{NOT_VERIFIED.map((n, i) => <li key={i}>{n}</li>)}</ul>
            <h3>Dérogations pour charge disproportionnée</h3>
            <p>Aucune dérogation n’est invoquée.</p>
            <h3>Contenus non soumis à l’obligation d’accessibilité</h3>
            <p>Aucun contenu n’en est exclu.</p>

            <h2>Établissement de cette déclaration</h2>
            <p>Cette déclaration a été établie le {site.declarationDate ? frenchDate(site.declarationDate) : <span className="nc">(date {NOT_SET})</span>}.</p>
            <h3>Technologies utilisées pour la réalisation du site</h3>
            <ul>
              <li>HTML5 et WAI-ARIA</li>
              <li>CSS (Système de design de l’État, DSFR)</li>
              <li>JavaScript (React)</li>
              <li>SVG (graphiques et carte schématique)</li>
            </ul>
            <h3>Environnement de test</h3>
            <p>Navigateur Chromium (version de Debian), sans interface graphique, à 1&nbsp;280 et 375 pixels de large.</p>
            <h3>Outils pour évaluer l’accessibilité</h3>
            <ul>
              <li>axe-core, par @axe-core/playwright</li>
              <li>Playwright : parcours au clavier, mesure du défilement horizontal</li>
            </ul>
            <h3>Pages du site ayant fait l’objet de la vérification</h3>
            <ul>
              <li><Link href="/">Accueil</Link></li>
              <li>Présentation d’une consultation, formulaire de contribution, contributions publiées, « En chiffres », restitution</li>
              <li>Schéma territorial de santé et rapport de couverture</li>
              <li>Connexion et pages de l’espace ARS</li>
              <li>Pages légales et <Link href="/plan-du-site">plan du site</Link></li>
            </ul>

            <h2>Retour d’information et contact</h2>
            <p>
              Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du site pour être
              orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : <Contact value={site.contact} />.
            </p>

            <h2>Voies de recours</h2>
            <p>
              Si vous avez signalé au responsable du site un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un
              service, et que vous n’avez pas obtenu de réponse satisfaisante, vous pouvez :
            </p>
            <ul>
              <li>écrire un message au Défenseur des droits : <External href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne du Défenseur des droits</External> ;</li>
              <li>contacter le délégué du Défenseur des droits dans votre région : <External href="https://www.defenseurdesdroits.fr/saisir/delegues">liste des délégués</External> ;</li>
              <li>appeler le 09 69 39 00 00 (prix d’un appel local) ;</li>
              <li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
            </ul>
          </>
        );
      }}
    </LegalPage>
  );
}

// ---- mentions légales ----

export function LegalNoticePage() {
  return (
    <LegalPage title="Mentions légales">
      {(site) => (
        <>
          <h2>Éditeur</h2>
          <p><Value value={site.publisher} /></p>
          <p>Adresse : <Value value={site.publisherAddress} /></p>
          <h2>Directeur ou directrice de la publication</h2>
          <p><Value value={site.director} /></p>
          <h2>Hébergement</h2>
          <p><Value value={site.host} /></p>
          <h2>Contact</h2>
          <p><Contact value={site.contact} /></p>
          <h2>Logiciel</h2>
          <p>
            Ce site fonctionne avec Fabrique, logiciel libre publié sous la licence publique de l’Union européenne
            ({site.licence}) : <External href="https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32017D0863">texte de la licence EUPL 1.2</External>.
          </p>
          <h2>Contributions publiées</h2>
          <p>
            Les contributions sont relues par l’équipe de l’éditeur avant publication. Leur texte est pseudonymisé dès
            l’enregistrement : adresses électroniques et postales, numéros de téléphone, numéros de sécurité sociale, noms,
            identifiants et dates de naissance sont masqués.
          </p>
          <h2>Voir aussi</h2>
          <ul>
            <li><Link href="/donnees-personnelles">Données personnelles</Link></li>
            <li><Link href="/gestion-des-cookies">Gestion des cookies</Link></li>
            <li><Link href="/accessibilite">Accessibilité</Link></li>
          </ul>
        </>
      )}
    </LegalPage>
  );
}

// ---- données personnelles ----

export function PersonalDataPage() {
  return (
    <LegalPage title="Données personnelles">
      {(site) => {
        const rights = site.dpo ?? site.contact;
        return (
          <>
            <p>
              Responsable du traitement : <Value value={site.publisher} />. Cette page décrit ce que le site enregistre, pourquoi,
              combien de temps, et comment exercer vos droits (règlement général sur la protection des données, RGPD, et loi
              « Informatique et libertés »).
            </p>

            <h2>Ce qui est enregistré</h2>
            <h3>Quand vous déposez une contribution</h3>
            <ul>
              <li>Le texte de votre contribution (seul champ obligatoire). Aucun nom, aucune adresse électronique, aucun compte ne vous est demandé.</li>
              <li>Le thème, votre qualité (« Vous êtes ») et votre code postal, si vous les donnez. Le département du code postal est enregistré avec la contribution ; le code postal lui-même est gardé à part, jamais publié avec elle : il ne sert qu’à compter les contributions publiées par commune sur la carte de la consultation, où un secteur n’est nommé qu’à partir de 5 contributions (les plus petits sont réunis). Il est effacé avec la contribution.</li>
              <li>La date de l’envoi.</li>
              <li>
                Votre adresse IP est comptée, pendant une minute, pour limiter le nombre de requêtes et d’envois depuis une même
                adresse ; ce compteur n’est pas relié à la contribution et il est ensuite effacé.
              </li>
            </ul>
            <div className="fr-callout fr-mb-3w">
              <p className="fr-callout__text">
                Ne donnez pas d’informations sur votre santé ni sur celle d’une autre personne qui permettraient de la reconnaître :
                décrivez la situation, sans nom ni détail identifiant.
              </p>
            </div>
            <p>
              Le texte est pseudonymisé dès l’enregistrement : adresses électroniques et postales, numéros de téléphone et de sécurité
              sociale, noms, identifiants (numéro de dossier, de patient…) et dates de naissance sont remplacés par [courriel],
              [téléphone], [NIR], [adresse], [nom], [identifiant], [date de naissance]. Le texte d’origine est gardé à part : seuls les
              comptes administrateur et analyste de l’espace ARS peuvent le lire, pour la modération. Seul le texte pseudonymisé et
              publié après relecture est visible de tous, avec son thème, sa nature, sa qualité, son département, sa réunion et sa date.
            </p>
            <h3>Quand vous signalez une contribution</h3>
            <p>
              La raison choisie dans la liste, les précisions si vous en écrivez, et la date ; aucun compte ni adresse ne vous est
              demandé. Le signalement est lu par l’équipe de modération seulement, jamais publié ; il est supprimé dès qu’elle a décidé
              (contribution gardée ou retirée), et avec la contribution si elle est effacée. Le journal d’audit garde la raison et la
              décision, jamais vos précisions.
            </p>
            <h3>Quand vous vous abonnez aux nouvelles d’une consultation</h3>
            <p>
              Votre adresse électronique, la consultation choisie, les dates de la demande et de la confirmation. Elle sert
              uniquement à vous écrire quand la consultation s’ouvre ou se clôt et quand sa restitution est publiée. Rien n’est
              envoyé avant que vous ayez confirmé par le lien du premier message ; sans confirmation sous {PENDING_SUBSCRIPTION_DAYS} jours,
              l’adresse est effacée. Chaque message contient un lien pour vous désabonner, qui efface l’adresse aussitôt, avec ses
              messages. Les liens sont à usage unique ; le site n’en garde qu’une empreinte. L’espace ARS ne montre l’adresse que
              masquée (première lettre et domaine), le journal d’audit aussi.
            </p>
            <h3>Ateliers, réunions et documents importés</h3>
            <p>
              Les contributions recueillies en réunion (comptes-rendus saisis par les animateurs) ou importées d’un fichier (tableur,
              compte-rendu) sont pseudonymisées de la même façon. Le fichier importé est conservé avec son document, pour l’archive
              de la consultation.
            </p>
            <h3>Comptes de l’espace ARS</h3>
            <p>
              Pour les personnes qui ont un compte (agents, animateurs, porteurs d’actions) : adresse électronique, rôle, consultations affectées, date de création,
              mot de passe (conservé sous la forme d’une empreinte, jamais en clair). La session est gardée par un cookie (voir
              la <Link href="/gestion-des-cookies">gestion des cookies</Link>) ; les échecs de connexion sont comptés par adresse IP et par
              compte pour bloquer les tentatives répétées.
            </p>
            <h3>Suivi du schéma territorial de santé</h3>
            <p>
              Pour chaque action du schéma, l’organisation qui la porte et, si elle est indiquée, la personne à contacter. Seule
              l’organisation est publiée, jamais la personne à contacter ni le compte qui a fait une modification.
            </p>
            <h3>Journal d’audit</h3>
            <p>
              Chaque modification faite dans l’espace ARS est inscrite au journal d’audit : qui (adresse électronique du compte),
              quand, quoi, avant et après — y compris le texte d’une contribution modérée.
            </p>
            <h3>Journaux techniques du serveur</h3>
            <p>Le serveur écrit pour chaque requête l’adresse IP, l’adresse de la page demandée et la date, pour la sécurité et le diagnostic.</p>

            <h2>Pourquoi</h2>
            <p>
              Ces données servent à recueillir, modérer et analyser les contributions d’une consultation, et à en publier la synthèse
              de restitution ; les comptes et journaux servent à la sécurité du service et à la traçabilité des décisions. Base
              légale : l’exécution d’une mission d’intérêt public dont est investi le responsable du traitement, la démocratie
              sanitaire (article 6, paragraphe 1, point e, du RGPD).
            </p>

            <h2>Qui y a accès</h2>
            <p>
              L’équipe de l’éditeur, selon le rôle de chaque compte : administrateurs et analystes pour toutes les consultations,
              animateurs pour les consultations qui leur sont affectées. L’hébergeur conserve les données pour le compte de l’éditeur.
              Le site n’envoie aucune donnée à un autre service : il ne charge aucun script, police ni contenu d’un autre site.
            </p>

            <h2>Combien de temps</h2>
            <DataTable
              caption="Durées de conservation"
              className="fr-table--multiline"
              headers={['Donnée', 'Durée']}
              rows={[
                ['Contribution (texte pseudonymisé, texte d’origine, thème, qualité, département, date)', 'tant que la consultation est conservée dans Fabrique, ou jusqu’à son effacement à votre demande ; aucune suppression automatique'],
                ['Texte d’une contribution rejetée ou supprimée, dans le journal d’audit', `${plural(site.auditTextRetentionDays, 'jour', 'jours')}, puis retiré (la décision, sa date et son auteur restent)`],
                ['Autres entrées du journal d’audit', 'sans suppression automatique'],
                ['Compteur de requêtes et d’envois par adresse IP', 'une minute, puis effacé'],
                ['Signalement d’une contribution (raison, précisions)', 'jusqu’à la décision de l’équipe de modération, puis supprimé'],
                ['Adresse abonnée aux nouvelles d’une consultation', `jusqu’au désabonnement ou à l’effacement à votre demande ; ${PENDING_SUBSCRIPTION_DAYS} jours si elle n’est jamais confirmée`],
                ['Message envoyé à une adresse abonnée (état de l’envoi, adresse masquée)', `${OUTBOX_RETENTION_DAYS} jours, ou jusqu’au désabonnement`],
                ['Blocage d’un compte après des échecs de connexion', plural(site.loginLockMinutes, 'minute', 'minutes')],
                ['Session de l’espace ARS', `${plural(site.sessionHours, 'heure', 'heures')}, ou jusqu’à la déconnexion`],
                ['Compte de l’espace ARS', 'jusqu’à sa suppression par un administrateur (le journal d’audit garde l’adresse électronique)'],
                ['Fichier importé', 'avec son document, jusqu’à la suppression du document ou de la consultation'],
                ['Journaux techniques du serveur, sauvegardes', 'selon la politique de l’exploitant'],
              ]}
            />

            <h2>Vos droits</h2>
            <p>
              Vous pouvez demander l’accès aux données qui vous concernent, leur rectification, leur effacement ou la limitation de leur
              traitement, et vous opposer à leur traitement (articles 15 à 21 du RGPD). Aucun nom n’étant demandé, indiquez, pour que
              l’équipe retrouve votre contribution, la consultation, la date approximative de l’envoi et quelques mots du texte.
            </p>
            <p>
              L’effacement retire le texte de la contribution de toutes ses copies dans Fabrique : journal d’audit, synthèses et
              restitutions, fichier d’origine. Les sauvegardes déjà faites le gardent jusqu’à leur propre expiration.
            </p>

            <h2>Exercer vos droits</h2>
            <p>
              Écrivez {site.dpo ? 'au délégué à la protection des données' : 'au contact du site'} : <Contact value={rights} />.
            </p>

            <h2>Réclamation</h2>
            <p>
              Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation
              à la Commission nationale de l’informatique et des libertés (CNIL) : <External href="https://www.cnil.fr/fr/plaintes">déposer une plainte auprès de la CNIL</External>,
              ou par courrier : CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris CEDEX 07.
            </p>
          </>
        );
      }}
    </LegalPage>
  );
}

// ---- cookies ----

export function CookiesPage() {
  return (
    <LegalPage title="Gestion des cookies">
      {(site) => (
        <>
          <p>
            Ce site ne dépose que les cookies nécessaires à son fonctionnement et à sa sécurité. Il n’utilise aucun outil de mesure
            d’audience, aucune publicité et aucun cookie d’un autre site : sa politique de sécurité interdit de charger un script ou
            de joindre un autre domaine. Ces cookies étant strictement nécessaires, ils ne demandent pas votre consentement.
          </p>
          <h2>Cookies déposés par le site</h2>
          <h3><code>fabrique_csrf</code></h3>
          <ul>
            <li>Rôle : protège l’envoi des formulaires contre leur falsification depuis un autre site.</li>
            <li>Déposé à la première demande envoyée par un formulaire (suggestion de thème pendant la saisie, contribution, connexion) ; une fois connecté à l’espace ARS, la session le remplace.</li>
            <li>Durée : jusqu’à la fermeture du navigateur.</li>
          </ul>
          <h3><code>fabrique_session</code></h3>
          <ul>
            <li>Rôle : garde la connexion à l’espace ARS ; les scripts de la page ne peuvent pas le lire.</li>
            <li>Déposé à la connexion d’un compte de l’espace ARS.</li>
            <li>Durée : {plural(site.sessionHours, 'heure', 'heures')}, ou jusqu’à la déconnexion.</li>
          </ul>
          <h2>Stockage dans le navigateur</h2>
          <p>
            Dans l’espace ARS, la page de revue des liens avec le schéma mémorise dans votre navigateur si vous avez désactivé ses
            raccourcis clavier (<code>fabrique.liens.raccourcis</code>). Rien n’est envoyé au serveur.
          </p>
          <h2>Les supprimer</h2>
          <p>
            Vous pouvez supprimer ces cookies dans les réglages de votre navigateur ; le site vous en redonnera un au prochain envoi
            de formulaire, et vous devrez vous reconnecter à l’espace ARS.
          </p>
        </>
      )}
    </LegalPage>
  );
}
