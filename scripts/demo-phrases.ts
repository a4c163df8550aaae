/**
 * Phrase pieces of the demo consultation (fictional, written for Fabrique). `make-demo-data.ts`
 * combines them into contributions. `{ville}` is replaced by the contributor's town, `{hopital}` by
 * a hospital of the département.
 */

export type DemoTheme = '1' | '2' | '3' | '4' | 'sante-mentale-jeunes';

export interface ThemePhrases {
  constats: string[];
  propositions: string[];
  temoignages: string[];
  /** short, spoken-style texts that stand alone */
  courts: string[];
}

export const PHRASES: Record<DemoTheme, ThemePhrases> = {
  '1': {
    constats: [
      'Depuis le départ en retraite de notre généraliste, plus aucun médecin ne prend de nouveaux patients à {ville}.',
      'Beaucoup de personnes âgées de la commune n’ont plus de médecin traitant et renoncent à se soigner.',
      'Les médecins qui restent sont débordés, ils travaillent soixante heures par semaine et finiront par partir eux aussi.',
      'Il faut parfois trois semaines pour obtenir un rendez-vous chez un généraliste, et encore, quand on est déjà suivi.',
      'Sans médecin traitant, on est moins bien remboursé et on ne peut pas faire renouveler ses ordonnances.',
      'La maison de santé de {ville} a des locaux neufs mais deux cabinets médicaux restent vides.',
      'Les patients en ALD sont les premiers pénalisés quand un médecin part sans successeur.',
      'La téléconsultation dépanne mais elle ne remplace pas un médecin qui connaît votre histoire.',
      'Les infirmiers et les pharmaciens font déjà beaucoup de choses que le médecin n’a plus le temps de faire, sans que ce soit reconnu.',
      'Quand on arrive dans le département, aucun cabinet n’accepte de nous inscrire comme patient.',
      'Le secrétariat téléphonique renvoie vers Doctolib, mais beaucoup d’anciens n’ont pas internet.',
      'Les distances sont longues : 40 minutes de route pour voir un médecin, c’est devenu normal ici.',
    ],
    propositions: [
      'Créer des postes de médecins salariés dans un centre de santé départemental, avec des antennes dans les bourgs.',
      'Développer les assistants médicaux pour libérer du temps de consultation.',
      'Permettre aux infirmières en pratique avancée de suivre les patients chroniques stables.',
      'Attribuer en priorité un médecin traitant aux personnes de plus de 70 ans et aux malades chroniques.',
      'Organiser des consultations avancées de généralistes une ou deux demi-journées par semaine dans les petites communes.',
      'Soutenir la création de la CPTS sur notre secteur pour que les professionnels travaillent ensemble.',
      'Mettre en place un bus médical qui passe dans les villages les plus isolés.',
      'Confier le renouvellement de certaines ordonnances aux pharmaciens, sous protocole.',
      'Aider les maisons de santé à financer un secrétariat commun et un coordinateur.',
      'Faire une liste départementale des patients sans médecin traitant et la répartir entre les équipes.',
      'Accompagner les personnes âgées pour utiliser la téléconsultation dans une pharmacie ou une mairie.',
    ],
    temoignages: [
      'Mon médecin est parti à la retraite l’an dernier et j’ai appelé onze cabinets avant d’en trouver un qui accepte de me voir une fois.',
      'Ma mère de 86 ans n’a plus de médecin traitant, c’est l’infirmière qui s’occupe de tout et qui appelle le 15 quand ça ne va pas.',
      'Je suis diabétique et depuis un an je fais renouveler mon traitement en téléconsultation avec un médecin différent à chaque fois.',
      'Nous sommes arrivés à {ville} avec deux enfants en bas âge et nous n’avons trouvé aucun médecin pour eux.',
      'J’ai attendu un mois pour un rendez-vous, au final je suis allé aux urgences parce que ça s’était aggravé.',
    ],
    courts: [
      'Il nous faut des médecins !',
      'Plus de médecin traitant depuis 2 ans.',
      'Trop de délai pour voir un généraliste.',
      'Un médecin pour chaque habitant, c’est la base.',
      'Des médecins salariés dans les campagnes.',
    ],
  },
  '2': {
    constats: [
      'Les urgences de {hopital} ont fermé plusieurs nuits cet été faute de médecins, il fallait aller à une heure de route.',
      'La nuit et le week-end, il n’y a plus aucun médecin de garde sur le secteur.',
      'Les urgences sont engorgées par des personnes qui n’ont nulle part ailleurs où aller pour un problème simple.',
      'Attendre six heures aux urgences pour une entorse, ce n’est pas acceptable.',
      'Le SMUR met parfois plus de trente minutes à arriver dans les villages du nord du département.',
      'Peu de gens connaissent le SAS et ne savent pas qu’on peut appeler avant de se déplacer.',
      'Les transports sanitaires manquent, les ambulances sont mobilisées pour des trajets très longs.',
      'Quand les urgences ferment la nuit, les pompiers font le travail que l’hôpital ne fait plus.',
      'Les médecins libéraux ne veulent plus faire de gardes car ils sont déjà épuisés par leur journée.',
      'Les touristes l’été doublent la population et les services ne sont pas dimensionnés pour ça.',
      'Le retour à domicile après les urgences est mal organisé, surtout pour les personnes seules.',
    ],
    propositions: [
      'Maintenir les urgences ouvertes 24 heures sur 24 à {hopital}, avec une ligne de SMUR toute l’année.',
      'Ouvrir un centre de soins non programmés en journée à côté des urgences pour les petits problèmes.',
      'Mieux faire connaître le numéro du SAS et le réflexe d’appeler le 15 avant de se déplacer.',
      'Organiser une permanence de soins partagée entre médecins, infirmiers et pharmaciens le samedi matin.',
      'Former des médecins correspondants SAMU dans les zones situées à plus de trente minutes d’un SMUR.',
      'Réserver des créneaux de soins non programmés chaque jour dans les maisons de santé.',
      'Renforcer les effectifs des urgences l’été pour faire face à l’afflux de touristes.',
      'Mieux rémunérer les gardes de nuit et de week-end pour que les médecins acceptent d’y participer.',
      'Mettre en place une navette ou un transport à la demande pour rentrer des urgences la nuit.',
      'Permettre aux pompiers et aux ambulanciers de réaliser certains soins sur place sans transport systématique.',
    ],
    temoignages: [
      'Un dimanche soir, mon fils s’est ouvert l’arcade : urgences de {hopital} fermées, nous avons roulé une heure et demie.',
      'Mon père a fait un malaise, le SMUR est arrivé au bout de quarante minutes, heureusement les pompiers étaient là avant.',
      'J’ai appelé le 15 pour de la fièvre chez mon bébé, on m’a donné un rendez-vous le lendemain matin, ça m’a rassurée.',
      'Aide-soignante aux urgences, je vois tous les soirs des patients qui attendent sur des brancards dans le couloir.',
      'Cet été, la pharmacie de garde était à 35 kilomètres, sans voiture c’était impossible.',
    ],
    courts: [
      'Non à la fermeture des urgences la nuit !',
      'Urgences saturées.',
      'Le 15 ne répond pas assez vite.',
      'Il faut un médecin de garde le week-end.',
      'Garder notre SMUR !!',
    ],
  },
  '3': {
    constats: [
      'Les jeunes médecins ne veulent plus s’installer seuls, ils veulent travailler en équipe et avoir du temps libre.',
      'Le conjoint ne trouve pas de travail dans le secteur, c’est souvent ce qui fait échouer une installation.',
      'Les internes ne viennent pas en stage chez nous parce qu’ils n’ont ni logement ni moyen de transport.',
      'Il n’y a pas assez de maîtres de stage dans le département pour accueillir des internes.',
      'Les infirmiers quittent l’hôpital au bout de quelques années à cause des conditions de travail.',
      'Les EHPAD n’arrivent plus à recruter d’aides-soignants, certains lits sont fermés.',
      'Les aides à l’installation existent mais personne ne s’y retrouve, il y en a trop et elles changent tout le temps.',
      'Nos jeunes partent faire leurs études à Toulouse ou Montpellier et ne reviennent pas.',
      'Les kinés, orthophonistes et dentistes manquent autant que les médecins, on en parle beaucoup moins.',
      'Le logement est cher à Rodez et introuvable dans les villages pour un remplacement de quelques semaines.',
      'Les communes se font concurrence pour attirer un médecin, c’est une surenchère qui ne sert personne.',
    ],
    propositions: [
      'Mettre à disposition des logements meublés pour les internes et les remplaçants, financés par les intercommunalités.',
      'Créer un guichet unique départemental pour accompagner les professionnels qui veulent s’installer.',
      'Aider le conjoint à trouver un emploi et les enfants une place en crèche ou à l’école.',
      'Former davantage de maîtres de stage universitaires et valoriser ce rôle.',
      'Organiser une journée d’accueil des internes pour leur faire découvrir le territoire et ses atouts.',
      'Ouvrir une formation d’infirmiers ou d’aides-soignants au plus près des besoins, par exemple à {ville}.',
      'Proposer des bourses aux étudiants en santé originaires du département en échange de quelques années d’exercice.',
      'Faciliter l’exercice mixte entre l’hôpital et un cabinet de ville.',
      'Revaloriser les salaires et les contrats des soignants dans les EHPAD et l’aide à domicile.',
      'Donner du temps de secrétariat et de coordination pour que les soignants fassent du soin et pas de la paperasse.',
    ],
    temoignages: [
      'Maître de stage depuis six ans, j’ai vu trois internes s’installer dans le secteur : le stage est la meilleure porte d’entrée.',
      'Interne en médecine générale, j’ai refusé un stage à {ville} parce que je ne trouvais pas de logement pour trois mois.',
      'Infirmière, j’ai quitté l’hôpital pour le libéral : plannings changés la veille, rappels sur les repos, je n’en pouvais plus.',
      'Nous avons accueilli une jeune médecin dans notre maison de santé, c’est la bonne entente de l’équipe qui l’a décidée.',
      'Mon mari est kiné, nous sommes venus pour le cadre de vie mais il a fallu deux ans pour que je retrouve un emploi.',
    ],
    courts: [
      'Des logements pour les internes.',
      'Revaloriser les métiers du soin.',
      'Former sur place, embaucher sur place.',
      'Aider les conjoints des médecins à trouver un travail.',
    ],
  },
  '4': {
    constats: [
      'Les campagnes de dépistage du cancer touchent peu les personnes isolées et celles qui ne vont jamais chez le médecin.',
      'La prévention passe toujours après l’urgence, faute de temps pour les soignants.',
      'Les enfants passent de plus en plus de temps sur les écrans et bougent de moins en moins.',
      'La PMI et la médecine scolaire manquent de moyens, certains enfants ne voient jamais de médecin à l’école.',
      'L’alcool reste très présent dans les fêtes de village, chez les jeunes comme chez les plus âgés.',
      'Beaucoup d’agriculteurs ne prennent pas le temps de s’occuper de leur santé avant qu’il soit trop tard.',
      'Les actions de prévention existent mais elles sont dispersées et personne ne les connaît.',
      'Les personnes âgées chutent à domicile faute d’aménagement et d’activité physique adaptée.',
      'Il y a de moins en moins de dentistes, les enfants arrivent avec des caries non soignées.',
      'La vaccination recule chez certains parents, il manque des informations claires.',
    ],
    propositions: [
      'Organiser des journées de dépistage itinérantes sur les marchés et les foires.',
      'Faire des clubs sportifs et des associations des relais de prévention, avec le sport sur ordonnance.',
      'Intégrer l’éducation à la santé à l’école dès la maternelle, avec les infirmières scolaires.',
      'Créer un annuaire unique des actions de prévention du département, mis à jour par le CLS.',
      'S’appuyer sur la MSA et les coopératives pour toucher les agriculteurs là où ils sont.',
      'Former des habitants volontaires comme ambassadeurs santé dans chaque bassin de vie.',
      'Proposer des ateliers équilibre et nutrition pour les seniors dans les foyers ruraux.',
      'Développer les bilans de prévention gratuits aux âges clés de la vie.',
      'Associer les pharmaciens aux campagnes de vaccination et de dépistage.',
      'Inscrire un volet prévention dans chaque contrat local de santé, avec un budget.',
    ],
    temoignages: [
      'J’anime un club de marche de seniors, on voit la différence sur le moral et l’équilibre au bout de quelques mois.',
      'Infirmière scolaire, je couvre onze établissements : je ne peux faire que de l’urgence, jamais de prévention.',
      'Ma voisine a découvert son cancer tard, elle ne savait pas qu’elle pouvait faire le dépistage gratuitement.',
      'Au comité des fêtes, nous avons mis en place un stand sans alcool et un retour en navette, ça a bien marché.',
    ],
    courts: [
      'Plus de prévention dans les écoles.',
      'Le sport c’est la santé.',
      'Dépistage pour tous.',
      'Mieux vaut prévenir que guérir.',
    ],
  },
  'sante-mentale-jeunes': {
    constats: [
      'Il faut attendre plus de six mois pour un rendez-vous en pédopsychiatrie ou au CMP pour un adolescent.',
      'Depuis le Covid, beaucoup de jeunes vont mal : anxiété, phobie scolaire, idées noires.',
      'Les psychologues ne sont pas remboursés ou très peu, les familles modestes n’y ont pas accès.',
      'Le harcèlement sur les réseaux sociaux poursuit les élèves jusque chez eux.',
      'La Maison des adolescents est à Rodez, c’est loin pour un jeune du sud du département sans permis.',
      'Les professeurs repèrent des élèves en souffrance mais ne savent pas vers qui les orienter.',
      'Les jeunes agriculteurs et les apprentis sont isolés et n’osent pas parler de leur mal-être.',
      'Les lits de psychiatrie pour adolescents manquent, certains sont hospitalisés avec des adultes.',
    ],
    propositions: [
      'Organiser des permanences de psychologues dans les lycées et les maisons France services.',
      'Former les enseignants, les animateurs et les entraîneurs aux premiers secours en santé mentale.',
      'Créer une équipe mobile qui se déplace auprès des jeunes dans les petites villes.',
      'Ouvrir une antenne de la Maison des adolescents à {ville}.',
      'Mieux faire connaître le dispositif de séances de psychologue remboursées.',
      'Mettre en place des groupes de parole entre pairs, animés par des jeunes formés.',
      'Renforcer le CMP enfants et adolescents pour réduire les délais d’attente.',
      'Lancer une campagne contre le harcèlement avec les élèves eux-mêmes.',
    ],
    temoignages: [
      'Ma fille de 15 ans a fait une tentative de suicide, nous avons attendu quatre mois un premier rendez-vous au CMP.',
      'Lycéen à {ville}, je connais plusieurs amis qui vont mal et ne savent pas à qui parler.',
      'Éducatrice, j’accompagne des jeunes en rupture : l’accès au soin psychique est le point qui bloque toujours.',
      'Mon fils a arrêté d’aller au collège pendant des mois, personne ne savait quoi nous proposer.',
    ],
    courts: [
      'Des psys dans les lycées !',
      'Nos ados vont mal.',
      'Trop d’attente au CMP.',
    ],
  },
};

/** Openers and closers, any theme. */
export const OPENERS = [
  'Bonjour,', 'Bonjour à tous,', 'Merci pour cette consultation.', 'Je me permets de contribuer.',
  'Habitant de {ville} depuis vingt ans,', 'Je voulais dire que', 'Voilà mon avis :', 'Pour ma part,',
  'Retraitée, je trouve que', 'À mon sens,', 'Franchement,', 'En quelques mots :',
];

export const CLOSERS = [
  'Merci de nous écouter.', 'J’espère que cette consultation servira à quelque chose.', 'Cordialement.',
  'Il est urgent d’agir.', 'Ne nous oubliez pas dans les campagnes.', 'Merci à tous les soignants qui tiennent bon.',
  'On compte sur vous.', 'Bon courage.', 'Il faut des actes maintenant, pas seulement des réunions.',
  'La santé n’est pas un luxe.', 'Nous sommes des citoyens comme les autres.',
];

/** How an elected official, a health professional or an association introduces itself. */
export const FRAMES = {
  elus: [
    'En tant que maire d’une commune de 400 habitants,',
    'Conseillère municipale à {ville},',
    'Au nom du conseil communautaire,',
    'Élu local, je constate que',
    'Adjoint aux affaires sociales,',
    'Comme élue, je reçois chaque semaine des habitants qui me disent que',
  ],
  professionnels: [
    'Médecin généraliste installé à {ville},',
    'Infirmière libérale depuis quinze ans sur le plateau,',
    'Pharmacien en milieu rural,',
    'Kinésithérapeute,',
    'Sage-femme libérale,',
    'Cadre de santé à l’hôpital,',
    'Directrice d’EHPAD,',
  ],
  associations: [
    'Pour notre association d’usagers,',
    'Au nom de l’association des familles rurales,',
    'Bénévole dans une association d’aide aux aînés,',
    'Notre association de patients souhaite rappeler que',
  ],
};

/** A small copy-paste campaign about the night closure of an emergency department. */
export const CAMPAIGN = [
  'NON à la fermeture des urgences de nuit de {hopital} ! Nous demandons le maintien des urgences 24h/24 et d’une ligne de SMUR toute l’année. La vie des habitants du Sud-Aveyron en dépend.',
  'Non à la fermeture des urgences de nuit de {hopital} ! Nous demandons le maintien des urgences 24h/24 et d’une ligne de SMUR toute l’année. La vie des habitants du Sud-Aveyron en dépend.',
  'NON à la fermeture des urgences de nuit de {hopital} ! Nous demandons le maintien des urgences 24h/24 et d’une ligne de SMUR toute l’année. La vie des habitants du Sud-Aveyron en dépend !!',
  'NON à la fermeture des urgences de nuit de {hopital}. Nous demandons le maintien des urgences 24h/24 et d’une ligne SMUR toute l’année. La vie des habitants du Sud Aveyron en dépend.',
];

/** Communes of the Aveyron with their postcode, and a few from neighbouring départements. */
export const COMMUNES: { cp: string; ville: string; weight: number }[] = [
  { cp: '12000', ville: 'Rodez', weight: 14 }, { cp: '12850', ville: 'Onet-le-Château', weight: 5 },
  { cp: '12100', ville: 'Millau', weight: 10 }, { cp: '12200', ville: 'Villefranche-de-Rouergue', weight: 7 },
  { cp: '12300', ville: 'Decazeville', weight: 5 }, { cp: '12400', ville: 'Saint-Affrique', weight: 5 },
  { cp: '12500', ville: 'Espalion', weight: 4 }, { cp: '12700', ville: 'Capdenac-Gare', weight: 3 },
  { cp: '12800', ville: 'Naucelle', weight: 2 }, { cp: '12110', ville: 'Aubin', weight: 2 },
  { cp: '12130', ville: 'Saint-Geniez-d’Olt', weight: 2 }, { cp: '12150', ville: 'Sévérac-le-Château', weight: 2 },
  { cp: '12160', ville: 'Baraqueville', weight: 2 }, { cp: '12170', ville: 'Réquista', weight: 2 },
  { cp: '12210', ville: 'Laguiole', weight: 2 }, { cp: '12240', ville: 'Rieupeyroux', weight: 1 },
  { cp: '12270', ville: 'Najac', weight: 1 }, { cp: '12290', ville: 'Pont-de-Salars', weight: 1 },
  { cp: '12310', ville: 'Laissac', weight: 1 }, { cp: '12330', ville: 'Marcillac-Vallon', weight: 2 },
  { cp: '12340', ville: 'Bozouls', weight: 2 }, { cp: '12360', ville: 'Camarès', weight: 1 },
  { cp: '12370', ville: 'Belmont-sur-Rance', weight: 1 }, { cp: '12390', ville: 'Rignac', weight: 1 },
  { cp: '12450', ville: 'La Primaube', weight: 2 }, { cp: '12510', ville: 'Olemps', weight: 1 },
  { cp: '12600', ville: 'Mur-de-Barrez', weight: 1 }, { cp: '12740', ville: 'Sébazac-Concourès', weight: 1 },
  { cp: '46100', ville: 'Figeac', weight: 1 }, { cp: '81000', ville: 'Albi', weight: 1 },
];

export const HOPITAUX: Record<string, string> = {
  default: 'l’hôpital de Rodez',
  '12100': 'l’hôpital de Millau', '12400': 'l’hôpital de Saint-Affrique', '12360': 'l’hôpital de Saint-Affrique',
  '12370': 'l’hôpital de Saint-Affrique', '12200': 'l’hôpital de Villefranche', '12270': 'l’hôpital de Villefranche',
  '12300': 'l’hôpital de Decazeville', '12110': 'l’hôpital de Decazeville', '12500': 'l’hôpital d’Espalion',
  '12130': 'l’hôpital d’Espalion', '12210': 'l’hôpital d’Espalion',
};
