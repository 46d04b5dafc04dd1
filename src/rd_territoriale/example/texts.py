"""The example's French texts: interview and journal templates, fill-ins, document titles.

Templates are assembled with fill-ins by :mod:`.builder`; nothing here is
real speech.
"""

from __future__ import annotations

# --------------------------------------------------------------------------

# Actors' spoken French, per code. Templates start in lower case (a spoken
# opener may precede them); the first letter is raised when it starts the text.
INTERVIEW_TEMPLATES = {
    "enthousiasme": (
        "au début, sur {projet}, on y croyait tous, il y avait une énergie folle dans les ateliers.",
        "moi j'ai tout de suite accroché, je me suis dit : enfin un projet qui part du territoire.",
        "les premières réunions, c'était plein, les gens restaient même après pour continuer à discuter.",
        "on sortait des ateliers avec plein d'idées, on avait envie d'y aller tout de suite.",
        "ça a créé un vrai élan, même des gens {de_lieu} qu'on ne voyait jamais sont venus.",
        "il y avait de l'enthousiasme, vraiment. Tout le monde voulait mettre la main à la pâte.",
        "pour {projet}, on a eu {n} fois plus d'inscrits que prévu à la première réunion.",
    ),
    "cooperation": (
        "on a appris à travailler avec {acteurs}, alors qu'avant chacun restait dans son coin.",
        "on a mutualisé un local et un véhicule avec deux autres structures. Ça n'aurait jamais existé sans le pôle.",
        "quand on a eu un souci de planning, {acteurs} nous ont dépannés tout de suite.",
        "ce qui marche, c'est qu'on se connaît maintenant, on s'appelle directement.",
        "on a monté la réponse à l'appel à projets à quatre structures, chacun a apporté sa pièce.",
        "les échanges avec {acteurs} sont devenus naturels, on partage nos contacts et nos outils.",
    ),
    "essoufflement": (
        "là, honnêtement, on est moins nombreux aux réunions, les gens se sont un peu lassés.",
        "ça s'est essoufflé. Il y a eu des départs et personne n'a vraiment repris derrière.",
        "au bout de {duree}, on tournait en rond, les mêmes trois personnes portaient tout.",
        "les bénévoles du début ne viennent plus, on a du mal à remobiliser.",
        "on sent que l'élan est retombé, c'est devenu une réunion parmi d'autres.",
        "{projet}, aujourd'hui, ça tient à un fil, il n'y a plus la même dynamique.",
    ),
    "concurrence_projets": (
        "on s'est retrouvés en concurrence avec un autre projet du pôle sur le même financement.",
        "il y a eu des frictions, parce que deux projets visaient les mêmes clients {a_lieu}.",
        "chacun défend son projet maintenant, ce n'est plus vraiment collectif.",
        "quand {partenaire} a dit qu'il n'y aurait qu'un seul dossier retenu, ça a tendu les relations.",
        "on a eu l'impression qu'un autre projet récupérait nos bénévoles et nos partenaires.",
    ),
    "temporalite_lente": (
        "tout prend un temps fou, il faut attendre que chaque structure valide en interne.",
        "entre l'idée et le démarrage, il s'est passé {duree}. C'est long pour les gens qui attendent.",
        "avec {partenaire}, on attend toujours la délibération, ça décale tout.",
        "le temps des élus, le temps des associations, le temps des entreprises, ça ne colle jamais.",
        "on avance, mais au rythme du plus lent, c'est le prix quand on est nombreux autour de la table.",
    ),
    "gouvernance_partagee": (
        "les décisions se prennent en collège, chacun a voix au chapitre, même les petits.",
        "au conseil, on décide au consentement. Ça prend du temps mais personne n'est écrasé.",
        "le fait d'être associé à la SCIC, ça change tout, on n'est pas juste un client.",
        "on a notre mot à dire sur les orientations, on l'a vu à la dernière assemblée.",
        "la gouvernance à plusieurs collèges, au début je n'y croyais pas, mais ça fonctionne.",
    ),
    "role_flou": (
        "je ne sais plus très bien si Clus'Ter nous accompagne ou s'il porte le projet à notre place.",
        "des fois on se demande qui est le porteur : nous, le pôle, ou les salariés du pôle ?",
        "Clus'Ter est à la fois animateur, financeur et un peu concurrent, c'est ambigu.",
        "pour les partenaires extérieurs, {projet}, c'est Clus'Ter, alors que pour nous c'est notre projet.",
        "le pôle devait juste faciliter, et au final il gère directement une activité.",
    ),
    "animation_reseau": (
        "c'est Clus'Ter qui nous a mis en relation avec {acteurs}, on ne se connaissait pas.",
        "les ateliers thématiques, c'est là que j'ai rencontré la moitié de mes partenaires actuels.",
        "l'équipe du pôle fait le lien, elle relance, elle prépare les réunions. Sans ça rien ne bougerait.",
        "on reçoit la lettre d'information et les invitations, ça permet de rester dans la boucle.",
        "ils ont organisé une visite {a_lieu} pour nous faire rencontrer d'autres porteurs.",
    ),
    "ancrage_territorial": (
        "ce projet, il ne pourrait exister qu'ici, il part des gens et des ressources {de_lieu}.",
        "on travaille avec des producteurs à moins de trente kilomètres, c'est ça le sens.",
        "l'idée, c'est que la richesse reste sur le territoire, qu'elle ne parte pas ailleurs.",
        "on est d'ici, on connaît les gens, les élus, les associations, c'est notre force.",
        "le Jura, c'est rural, c'est dispersé, il faut des solutions pensées pour ici.",
    ),
    "ressource_latente": (
        "il y avait un bâtiment vide {a_lieu}, personne n'y pensait, et maintenant c'est un atelier.",
        "les chutes de bois des scieries partaient en déchet, on en a fait une ressource.",
        "des compétences de retraités dormaient, on les a remises en mouvement.",
        "on a découvert que plusieurs entreprises avaient des besoins qu'on pouvait couvrir ensemble.",
        "les invendus, les surplus, il y en avait partout, il fallait juste les voir.",
    ),
    "besoin_social": (
        "il y a des gens sans voiture {a_lieu} qui ne peuvent pas aller travailler, c'est un vrai besoin.",
        "les cantines voulaient du local, mais personne ne pouvait fournir des légumes prêts à cuisiner.",
        "des personnes éloignées de l'emploi n'avaient aucune solution près de chez elles.",
        "les habitants demandaient un lieu pour se retrouver, il n'y avait plus rien au village.",
        "les petites entreprises n'arrivaient pas à recruter ni à garder leurs salariés.",
    ),
    "tension_financement": (
        "le financement, c'est la galère : on a {montant} de trou et on ne sait pas comment le combler.",
        "on vit d'appels à projets, et quand {partenaire} ne renouvelle pas, tout vacille.",
        "la trésorerie est tendue, on a dû avancer des salaires avant de toucher la subvention.",
        "on nous demande d'être autonomes en {duree}, c'est impossible avec ce modèle.",
        "les financeurs veulent de la nouveauté, mais personne ne finance le fonctionnement.",
        "on a passé plus de temps à monter des dossiers qu'à faire vivre {projet}.",
    ),
    "hybridation_ressources": (
        "on combine de la vente, des subventions et du mécénat, c'est un équilibre fragile.",
        "une partie vient des prestations aux entreprises, une partie {de_partenaire}.",
        "le bénévolat compte aussi dans le modèle, même s'il n'apparaît pas dans les comptes.",
        "on a ouvert le capital de la SCIC aux habitants, ça fait une ressource de plus.",
    ),
    "pression_salaries": (
        "on est trois salariés pour porter une quinzaine de projets, c'est intenable.",
        "la pression est énorme, il faut que ça marche coûte que coûte, sinon on perd les financements.",
        "les objectifs tombent d'en haut et c'est nous qui devons tenir les délais.",
        "on nous demande d'être partout : sur le terrain, en réunion, sur les dossiers.",
        "je ne compte plus les soirs où je finis à vingt-deux heures.",
    ),
    "surinvestissement": (
        "je travaille aussi le week-end, parce que si je ne le fais pas, personne ne le fera.",
        "on s'investit énormément, presque trop, c'est difficile de poser des limites.",
        "j'ai failli craquer l'an dernier, j'avais mis toute ma vie dans {projet}.",
        "on se sent responsables de tout : des bénévoles, des partenaires, des résultats.",
    ),
    "engagement_benevole": (
        "je donne à peu près {n} heures par semaine, je le fais parce que j'y crois.",
        "les bénévoles tiennent les permanences, sans eux il n'y aurait pas d'ouverture le samedi.",
        "on s'est engagés comme habitants, pas comme experts, et ça compte.",
        "je suis venu donner un coup de main une fois et je ne suis jamais reparti.",
    ),
    "utilite_sociale": (
        "ce qu'on fait sert vraiment aux gens d'ici, on le voit tous les jours.",
        "des personnes ont retrouvé du lien, une place, c'est ça l'utilité du projet.",
        "on répond à un besoin que ni le marché ni la collectivité ne couvraient.",
        "pour moi, la réussite, ce n'est pas le chiffre d'affaires, c'est ce que ça change pour les habitants.",
    ),
    "effets_emploi": (
        "on a créé {n} postes, dont plusieurs pour des personnes en insertion.",
        "deux personnes ont été embauchées en CDI après leur parcours chez nous.",
        "le projet a permis de maintenir des emplois qui allaient disparaître {a_lieu}.",
        "ça a surtout consolidé des emplois existants dans les structures partenaires.",
    ),
    "reconnaissance_externe": (
        "on a été cités en exemple à la Région, ça fait plaisir et ça ouvre des portes.",
        "des gens d'autres départements viennent voir comment on fait.",
        "les élus parlent de nous maintenant, avant on était invisibles.",
        "on a eu un article dans la presse locale, les habitants nous en parlent.",
    ),
    "posture_chercheur": (
        "avec la thèse, on ne sait pas toujours si on parle au chercheur ou au collègue.",
        "c'est bien d'avoir quelqu'un qui prend du recul, mais il est aussi dans l'action avec nous.",
        "je me demande ce que vous allez écrire sur nous, honnêtement.",
    ),
    "apport_recherche": (
        "les restitutions de la recherche nous ont aidés à mettre des mots sur ce qu'on vivait.",
        "les schémas présentés en atelier, on les a repris pour expliquer le projet aux élus.",
        "la recherche nous oblige à regarder ce qui a marché et ce qui n'a pas marché.",
    ),
}

# The interviewer's own talk (questions, framing), per code and interviewer.
INTERVIEWER_TEMPLATES = {
    ("R01", "posture_chercheur"): (
        "Je vous pose la question en tant que chercheur, même si je suis aussi salarié du pôle.",
        "Vous pouvez me parler franchement, l'entretien est anonymisé, même si on se croise souvent.",
        "Je précise que je suis partie prenante de {projet}, donc n'hésitez pas à me contredire.",
    ),
    ("R02", "posture_chercheur"): (
        "Je viens du laboratoire partenaire, je ne travaille pas pour le pôle, vous pouvez être direct.",
        "Je ne connais pas le dossier de l'intérieur, alors racontez-moi comme à quelqu'un d'extérieur.",
    ),
    ("R01", "apport_recherche"): (
        "L'idée, c'est aussi de vous restituer ce qu'on observe, pour que ça serve au collectif.",
        "On fera une restitution des entretiens en atelier, vous y serez invité.",
    ),
    ("R02", "apport_recherche"): ("Les résultats seront d'abord discutés avec les associés avant toute publication.",),
    ("*", "role_flou"): (
        "Et Clus'Ter, vous le voyez plutôt comme un animateur ou comme un porteur de projet ?",
        "Quand vous dites « on », vous parlez de votre structure ou du pôle ?",
        "Est-ce que vous savez toujours qui décide, entre le pôle et {projet} ?",
    ),
    ("*", "animation_reseau"): (
        "Comment êtes-vous arrivé dans la boucle, au départ ? Par un atelier ?",
        "Qui vous a mis en relation avec {acteurs} ?",
    ),
}

# The researcher's field-journal voice, per code.
JOURNAL_TEMPLATES = {
    "enthousiasme": (
        "L'ambiance est très enthousiaste : chacun veut s'impliquer dans {projet}.",
        "Beaucoup d'énergie dans la salle, les propositions fusent et personne ne veut partir.",
        "Forte adhésion à l'idée ; plusieurs participants proposent déjà de donner du temps.",
    ),
    "cooperation": (
        "Les structures présentes proposent spontanément de mutualiser moyens et contacts.",
        "Belle séquence de coopération : {acteurs} et l'équipe salariée construisent le planning ensemble.",
        "Deux structures qui ne se parlaient pas décident de répondre ensemble à un appel à projets.",
    ),
    "essoufflement": (
        "Moins de monde que d'habitude ; plusieurs membres se sont excusés au dernier moment.",
        "Le groupe {de_projet} peine à trouver de nouveaux volontaires, la dynamique retombe.",
        "Les mêmes trois personnes portent tout ; les autres ne répondent plus aux relances.",
    ),
    "concurrence_projets": (
        "Tension palpable : deux projets du pôle visent le même financement {de_partenaire}.",
        "Un porteur reproche à un autre projet de lui prendre ses bénévoles.",
        "Chacun défend désormais son projet ; la logique collective s'efface derrière la compétition.",
    ),
    "temporalite_lente": (
        "Décision encore reportée : il faut attendre la délibération {de_partenaire}.",
        "Le calendrier glisse de {duree} ; les délais de validation de chaque structure s'additionnent.",
    ),
    "gouvernance_partagee": (
        "Décisions prises au consentement ; chaque collège a pu s'exprimer avant le vote.",
        "Le conseil a pris un long temps pour écouter les petits associés, ce qui a été apprécié.",
    ),
    "role_flou": (
        "Les partenaires ne savent plus très bien si Clus'Ter accompagne {projet} ou le porte.",
        "On m'a présenté comme « le porteur du projet », ce qui brouille encore le rôle du pôle.",
        "Le pôle se retrouve à gérer directement une activité : facilitateur ou opérateur ?",
    ),
    "animation_reseau": (
        "Mise en relation de {acteurs} avec une structure d'insertion du territoire.",
        "Relances téléphoniques et préparation de l'ordre du jour : le travail invisible de l'animation.",
        "Visite organisée {a_lieu} pour faire se rencontrer des porteurs de projets.",
    ),
    "ancrage_territorial": (
        "Le projet s'appuie sur des ressources {de_lieu} que personne n'avait encore valorisées.",
        "Les participants insistent : la richesse créée doit rester sur le territoire.",
    ),
    "ressource_latente": (
        "Un local inoccupé {a_lieu} est repéré comme support possible d'une activité.",
        "Les surplus de production repérés chez trois entreprises pourraient nourrir un nouveau projet.",
    ),
    "besoin_social": (
        "Les élus présents confirment le besoin de solutions de mobilité pour les personnes sans voiture.",
        "Remontée d'un besoin non couvert : des personnes éloignées de l'emploi sans solution de proximité.",
    ),
    "tension_financement": (
        "Le budget {de_projet} n'est pas bouclé : il manque environ {montant}.",
        "Inquiétude sur la trésorerie ; la subvention {de_partenaire} arrivera avec plusieurs mois de retard.",
        "Longue discussion sur le modèle économique : personne ne finance le fonctionnement.",
    ),
    "hybridation_ressources": (
        "Le plan de financement mêle ventes, subventions {de_partenaire} et apports en nature.",
        "Proposition d'ouvrir le capital aux habitants pour diversifier les ressources.",
    ),
    "pression_salaries": (
        "Les salariés enchaînent les réunions le soir ; l'un d'eux parle ouvertement de fatigue.",
        "La direction rappelle que les objectifs doivent être tenus « coûte que coûte ».",
    ),
    "surinvestissement": (
        "Une salariée explique qu'elle a travaillé tous les week-ends du mois.",
        "Je remarque que l'équipe accepte toutes les sollicitations, sans jamais arbitrer.",
    ),
    "engagement_benevole": (
        "Les bénévoles ont assuré toutes les permanences de la semaine.",
        "Un habitant propose de prendre en charge la logistique du prochain événement.",
    ),
    "utilite_sociale": (
        "Témoignage d'une bénéficiaire sur ce que le projet a changé dans son quotidien.",
        "Le groupe revient sur le sens du projet : répondre à des besoins que personne ne couvrait.",
    ),
    "effets_emploi": (
        "Annonce de {n} recrutements, dont plusieurs en insertion.",
        "Un poste est consolidé grâce à la mutualisation entre deux structures.",
    ),
    "reconnaissance_externe": (
        "Une délégation d'un autre territoire est venue étudier la démarche.",
        "Le projet est cité en exemple lors d'une rencontre régionale.",
    ),
    "posture_chercheur": (
        "Je m'interroge sur ma double position de salarié et de chercheur dans ce dossier.",
        "Difficile de garder la distance : on attend de moi des réponses, pas des questions.",
        "Je note que ma présence modifie sans doute ce qui se dit autour de la table.",
    ),
    "apport_recherche": (
        "La grille d'analyse proposée la semaine dernière a été reprise par le groupe.",
        "Restitution intermédiaire des entretiens : les participants se reconnaissent dans les constats.",
        "Le groupe me demande un schéma pour expliquer la démarche aux partenaires.",
    ),
}

JOURNAL_INTROS = {
    "réunion": (
        "Réunion de travail {sur_projet} {a_lieu}, {n_part} personnes autour de la table ({cats}).",
        "Point d'étape {sur_projet} avec {n_part} personnes ({cats}).",
    ),
    "atelier": (
        "Atelier thématique {sur_projet} : {n_part} participants ({cats}).",
        "Atelier collectif d'émergence {a_lieu}, {n_part} participants de plusieurs collèges ({cats}).",
    ),
    "comité": (
        "Comité de pilotage {sur_projet} : {n_part} membres présents ({cats}).",
        "Comité technique {sur_projet}, {n_part} personnes ({cats}).",
    ),
    "événement": (
        "Soirée de présentation publique {a_lieu}, environ {n_part} personnes ({cats}).",
        "Forum des acteurs du territoire {a_lieu} : environ {n_part} personnes ({cats}).",
    ),
    "informel": (
        "Échange informel après une réunion, avec {n_part} membres ({cats}).",
        "Discussion à la pause café avec {n_part} associés ({cats}).",
    ),
    "note réflexive": (
        "Note réflexive, à froid, après une semaine chargée.",
        "Note pour moi-même après les derniers entretiens.",
        "Relecture de mes notes du mois, {sur_projet}.",
    ),
}
ROLE_SENTENCES = {
    "observateur": (
        "Je suis resté en retrait et j'ai pris des notes.",
        "Posture d'observation : je ne suis pas intervenu sur le fond.",
        "J'ai surtout écouté, sans prendre position.",
    ),
    "facilitateur": (
        "J'ai animé la séance et reformulé les propositions.",
        "Mon rôle : distribuer la parole et tenir le temps.",
        "J'ai proposé une méthode pour faire émerger les idées de chacun.",
    ),
    "acteur": (
        "J'ai porté moi-même la proposition au nom du pôle.",
        "J'ai pris en charge la rédaction du dossier de financement.",
        "Je me suis retrouvé à défendre le projet face aux élus.",
    ),
    "évaluateur": (
        "J'ai présenté une première lecture des indicateurs.",
        "J'ai proposé une grille pour évaluer ce qui a été produit.",
        "J'ai restitué les résultats intermédiaires de l'évaluation.",
    ),
}
CLOSINGS = (
    "",
    "",
    "Prochaine étape : {suite}.",
    "À suivre au prochain comité.",
    "Compte rendu envoyé le lendemain.",
    "Je reviendrai sur ce point dans les entretiens.",
)
NEXT_STEPS = (
    "relancer les partenaires",
    "finaliser le budget",
    "organiser une visite",
    "préparer la restitution",
    "rédiger la note de cadrage",
)

OPENERS = (
    "",
    "",
    "",
    "",
    "Alors, ",
    "Bon, ",
    "Franchement, ",
    "Euh... ",
    "Ben, ",
    "En fait, ",
    "Vous savez, ",
    "Honnêtement, ",
    "Oui, ",
    "Alors là, ",
)
TRAILERS = (
    "",
    "",
    "",
    "",
    "",
    " Voilà.",
    " C'est comme ça.",
    " Enfin, c'est mon ressenti.",
    " Vous voyez ?",
    " Je ne sais pas si c'est clair.",
    " C'est vrai, hein.",
)

FILLS = {
    "acteurs": (
        "les maraîchers",
        "les cantines scolaires",
        "les élus de l'agglomération",
        "les chefs d'entreprise du club local",
        "les structures d'insertion",
        "l'association des habitants",
        "les artisans du bois",
        "les communes rurales",
        "les commerçants du centre-ville",
    ),
    "partenaire": (
        "la Région",
        "le Département",
        "l'agglomération",
        "la fondation",
        "l'État",
        "la banque coopérative",
        "la caisse de retraite",
    ),
    "de_partenaire": (
        "de la Région",
        "du Département",
        "de l'agglomération",
        "de la fondation",
        "de l'État",
        "de la banque coopérative",
        "de la caisse de retraite",
    ),
    "a_lieu": (
        "à Lons",
        "à Montmorot",
        "à Perrigny",
        "à Conliège",
        "à Bletterans",
        "à Orgelet",
        "à Champagnole",
        "en Bresse jurassienne",
        "en Petite Montagne",
        "dans le Revermont",
    ),
    "de_lieu": (
        "de Lons",
        "de Montmorot",
        "de Perrigny",
        "de Conliège",
        "de Bletterans",
        "d'Orgelet",
        "de Champagnole",
        "de la Bresse jurassienne",
        "de la Petite Montagne",
        "du Revermont",
    ),
    "duree": ("six mois", "un an", "dix-huit mois", "deux ans", "trois mois", "huit mois"),
    "montant": ("15 000 €", "8 000 €", "30 000 €", "12 000 €", "45 000 €", "20 000 €"),
    "n": ("deux", "trois", "quatre", "cinq", "six"),
    "suite": NEXT_STEPS,
}
FILL_KEYS = tuple(FILLS)

# Lexicon sentences. {t} is replaced by one of the written forms.
CVE_FORMS = (
    "chaîne de valeur élargie",
    "chaîne de valeur élargie",
    "Chaîne de valeur élargie",
    "chaînes de valeur élargies",
    "chaine de valeur elargie",
    "chaines de valeur elargies",
    "CHAÎNE DE VALEUR ÉLARGIE",
)
META_FORMS = ("méta-organisation", "méta-organisation", "Méta-organisation", "méta-organisations", "meta-organisation")
ECT_FORMS = ("ECT", "entrepreneuriat coopératif de territoire")
RD_FORMS = ("R&D territoriale", "R&D territoriale")
ACTOR_LEXICON_SENTENCES = {
    "cve": (
        "maintenant on raisonne en {t}, avec tout le monde autour de la table.",
        "le mot qui revient, c'est {t}, on l'a repris dans nos bilans.",
        "on a refait le tableau de bord façon {t}, pour les financeurs.",
        "avec cette histoire de {t}, on voit mieux qui apporte quoi.",
        "ce qu'on appelle {t}, pour moi, c'est montrer que la valeur se crée à plusieurs.",
    ),
    "meta": (
        "on parle beaucoup de {t} aux assemblées, c'est le vocabulaire du pôle.",
        "pour moi, le terme {t}, ça veut dire qu'on est une organisation faite d'organisations.",
        "l'histoire de {t}, ça résume bien ce que fait Clus'Ter.",
    ),
    "ect": (
        "c'est ce qu'ils appellent l'{t}, monter des activités à plusieurs.",
        "on fait de l'{t} sans le savoir, comme monsieur Jourdain.",
    ),
    "rd": (
        "la {t}, au départ je ne voyais pas ce que c'était.",
        "avec la {t}, on prend le temps de regarder ce qui marche.",
    ),
}
INTERVIEWER_CVE = (
    "Est-ce que la chaîne de valeur élargie vous parle, comme façon de présenter le bilan ?",
    "Si on reprend la chaîne de valeur élargie, qui contribue à ce projet, selon vous ?",
)
JOURNAL_LEXICON = {
    "meta": (
        "Clus'Ter fonctionne ici pleinement comme une méta-organisation.",
        "Cela confirme la lecture du pôle comme méta-organisation, organisation d'organisations.",
        "Les méta-organisations ont ce problème classique de légitimité auprès de leurs membres.",
    ),
    "cve": (
        "Piste : relire ces éléments avec la chaîne de valeur élargie de La Fonda.",
        "Je propose de présenter le bilan selon la chaîne de valeur élargie, maillon par maillon.",
        "Dans la chaîne de valeur élargie, ces acteurs seraient des contributeurs, pas seulement des bénéficiaires.",
    ),
    "ect": (
        "On retrouve la logique de l'entrepreneuriat coopératif de territoire.",
        "Exemple typique d'ECT : le projet part d'une ressource repérée collectivement.",
    ),
    "rd": (
        "C'est précisément l'enjeu de la R&D territoriale : apprendre en faisant.",
        "La R&D territoriale reste difficile à expliquer aux nouveaux associés.",
    ),
    "intra": (
        "Le salarié joue ici un rôle d'intrapreneur au service du territoire.",
        "Les intrapreneurs du pôle portent des projets qui les dépassent.",
    ),
}
FIRST_CVE_TEXT = (
    "Note réflexive, à froid, après la lecture des travaux de La Fonda.",
    "Première formulation, pour moi-même, du cadre de la chaîne de valeur élargie : "
    "ressources, activités, réalisations, résultats et impacts, avec les contributeurs de chaque maillon.",
    "Je pourrais proposer ce cadre au prochain comité pour relire nos indicateurs.",
    "J'ai proposé une grille pour évaluer ce qui a été produit.",
)

DOC_TITLES = {
    "entretien": "Entretien individuel ({cat}) — {about}",
    "entretien collectif": "Entretien collectif ({cat}) — {about}",
    "compte rendu": (
        "Compte rendu du comité de pilotage — {about}",
        "Compte rendu de l'atelier thématique — {about}",
        "Compte rendu du conseil d'administration",
    ),
    "document interne": (
        "Note de cadrage interne — {about}",
        "Bilan d'activité intermédiaire",
        "Feuille de route du pôle",
    ),
    "presse": ("Article de la presse locale — {about}", "Portrait dans le bulletin intercommunal"),
}
