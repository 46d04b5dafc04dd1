"""Common French words that are also first names, surnames or parts of names.

The pseudonymiser (:mod:`rd_territoriale.privacy.pseudonymise`) treats a name
form made only of these words ("Pierre", "Rose", "Blanc", "La Tour") as
*ambiguous*: "pierre" may be the stone, "rose" the flower, "blanc" the
colour. Such a form is replaced only where it is written with a capital and
every occurrence that needs a human look is listed in the run's report.

The list is written here, in the repository (no download): a few hundred
words, lower case and without accents (the form the matcher compares),
chosen for the names met in France — trades (Boulanger, Marchand, Meunier),
colours (Blanc, Roux), nature (Pierre, Rose, Bois, Fontaine), qualities
(Petit, Grand), first names that are words (Aurore, Constance, Olive,
Prudence) — plus the small words that build compound names (le, la, de,
du, des…) and frequent everyday words, so that a nickname such as
« Bouchon » or « Coco » is treated as ambiguous too. Add words here when a
study meets a new collision.
"""

from __future__ import annotations

_WORDS = """
a ai aime aimee aine ainee aigle aiguille alliance amande ami amie amour ange anges
ardent argent arbre arc arche aube aubepine aurore automne avril
bailli baron barbe barbier barre bas basse bastide beau beaufort bel belle berger
bergere bete bien blanc blanche blond blonde bois boisseau bon bonne
bonheur bosquet bouc boucher bouchon boulanger boulangere bourgeois bouvier branche
bras brave brebis breton bretonne brun brune bruyere buisson but
cabane cadet cadette caille camus carre cerise chaise chameau champ champs
chanoine chapelle chapelier charbon charme charmes charpentier charron chasseur
chat chateau chaud chaume chauve chemin chene cheval chevalier chevre chevreuil chou
ciel clair claire clement clemence colombe comte concorde constance coq coquelicot
corbeau cordier cordonnier cote couture couturier croix cure
dame dauphin dauphine de des desire desiree devant d di dieu doux douce du duc
ecole eglise ermite espoir esperance est et etang ete etoile eve
 faucon faux fer ferme fermier feuille fevrier fidele fils fleur
foi foin fontaine fort forte fosse fou four france franc franche frere
froid fromage
gai gaie garde gauche gaulois gendre gentil geai grand grande grange gras
gris gros grosse guerre
hardi haut haute herbe hermine heureux hiver homme
iris jade janvier jardin jardinier jeune joli jolie joyeux juge juillet juin jour
la lac lame lance landes lapin large le leger legere les lievre lion lis loup lune
lys
maire maison maitre mai mal malin manche marchand marchande marechal
marguerite mari marin marine mars masse matin mauve mercier mere merle
meunier midi mignon mine moine moineau moissons monde mont montagne mouton
moulin mur muraille
neige neuf noble noel noir noire nord nouveau nouvelle noyer
ocean oiseau olive olivier or orange ore orme ours
page paille pain palais papillon paquet parent pasteur patron paume pecheur
peintre perdrix perle petit petite peuple peuplier pierre pin pinson plaine plante
pommier pont porte potier poulain poule prairie pre premier presse pretre
prince prosper prudence prune puits
quatre
raison raisin reine renard riche riviere roc roche rocher roi rose rosier rossignol
rouge rousse roux ruche rue
sable sage saint sainte saison salle sapin sauvage seigneur sel serre soleil sol
source sourd sud
tailleur tanneur terre tisserand tour tourneur tresor tuilier
valet vallee vallon vacher vaillant veau vent verger vert verte vieux vigne vigneron
ville violette voisin
"""

# Frequent function words and everyday words (so that a one-word variant such
# as « Bouchon », « Coco » or « Chef » is never replaced in lower case).
_FREQUENT = """
au aux avec ce ces cet cette chez comme dans elle elles en entre et il ils je
l leur leurs lui ma mais me mes moi mon ne ni nous on ou par pas pour qu que qui
sa se ses si son sous sur ta te tes toi ton tu un une vos votre vous y
alors ainsi apres aussi autre avant bientot bon car certes deja depuis donc encore
enfin ensuite hier ici jamais la loin lors maintenant meme moins peu plus puis
quand tant tard tot toujours tout toute tres trop vers voici voila
an annee argent base bureau cause chef coco chose compte corps cote coup droit eau
enfant etat face fait famille fois femme fin force gens guide heure histoire idee
jeu lieu ligne livre loi main mer mot nom nuit ordre part pays pere place point
port poste prix projet question reste route sens service suite table temps tete
texte titre train travail vie voie voix vue zone
"""


def _build() -> frozenset:
    return frozenset((_WORDS + _FREQUENT).split())


COMMON_WORDS: frozenset = _build()
"""Lower-case, accent-free common French words (a few hundred)."""


def is_common_word(folded_token: str) -> bool:
    """Whether a folded token (lower case, no accents) is a common French word.

    Examples
    --------
    >>> is_common_word("pierre"), is_common_word("dupont")
    (True, False)
    """
    return folded_token in COMMON_WORDS
