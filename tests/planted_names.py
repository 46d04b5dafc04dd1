"""Names that the key of ``test_pseudonymise`` does not hold, planted in free text.

Every name here is invented. The sentences mix the forms a field note or a
transcript takes: first names alone, full names, civilities, capitals,
hyphenated and accented names, elisions (« d'Anaïs »), initials, a
surname that is a French word (« Poux »), names after « avec », « chez »,
« selon ». ``FORMS`` are the distinct forms the pseudonymiser must list
(civility and elision left out), as written.

Contact details are planted too, in every common spelling.
"""

from __future__ import annotations

# (sentence, forms the run must list)
SENTENCES = [
    ("Réunion avec Mme Lefébure et Jean-Baptiste Morizot à la mairie.", ["Lefébure", "Jean-Baptiste Morizot"]),
    ("Échange informel avec M. CARDOT puis avec Tiphaine Rigoulot.", ["CARDOT", "Tiphaine Rigoulot"]),
    ("Comme disait Thibault, on n'a pas le choix.", ["Thibault"]),
    ("Le projet d'Anaïs avance ; l'avis d'Émilien aussi.", ["Anaïs", "Émilien"]),
    ("Selon Vuillermoz, la filière bois tient bon.", ["Vuillermoz"]),
    ("J.-M. a appelé ; A.-L. Pernot-Vial aussi.", ["J.-M.", "A.-L. Pernot-Vial"]),
    ("Docteur Bouveret et Maître Jeanningros ont signé la convention.", ["Bouveret", "Jeanningros"]),
    ("Étaient absents : ROUSSELET Thibaud et GUYON Marinette.", ["ROUSSELET Thibaud", "GUYON Marinette"]),
    ("Chez Maëlys Tissot-Bidal, on a parlé du marché de producteurs.", ["Maëlys Tissot-Bidal"]),
    ("Noël Bréchet a rejoint le bureau, Aurélien reste trésorier.", ["Noël Bréchet", "Aurélien"]),
    ("La présidente, Ségolène Cattin, a remercié Mlle Grandjacquet.", ["Ségolène Cattin", "Grandjacquet"]),
    ("On a déjeuné chez Pianet avec Mathurin Le Bihan.", ["Pianet", "Mathurin Le Bihan"]),
    ("Amélie de Montrichard et Kader Benali portent le projet.", ["Amélie de Montrichard", "Kader Benali"]),
    ("Mamadou Diallo a traduit pour Linh Nguyen.", ["Mamadou Diallo", "Linh Nguyen"]),
    ("Joëlle ne viendra pas ; Mme VERMOT-DESROCHES non plus.", ["Joëlle", "VERMOT-DESROCHES"]),
    ("Françoise Balland-Ferrer a relu le compte rendu avec Rémi.", ["Françoise Balland-Ferrer", "Rémi"]),
    ("Ginette Poux tient la buvette depuis vingt ans.", ["Ginette Poux"]),
    ("C'est l'avis de Léonie, et Benoît Jacquin l'a confirmé.", ["Léonie", "Benoît Jacquin"]),
    ("Clotilde et Arsène Grosjean ont ouvert l'atelier.", ["Clotilde", "Arsène Grosjean"]),
    ("Mme Aubry-Laforge a écrit à Maxime la semaine dernière.", ["Aubry-Laforge", "Maxime"]),
    ("Le Pr Thiébaud est intervenu, puis Anthony GAUTHERON.", ["Thiébaud", "Anthony GAUTHERON"]),
    ("Ophélie a noté que Frédérique Vionnet était d'accord.", ["Ophélie", "Frédérique Vionnet"]),
    ("Yannick Cuenot a présenté le budget d'Apolline.", ["Yannick Cuenot", "Apolline"]),
    ("Il faut qu'Émile rappelle Mme Lacroix-Guyot.", ["Émile", "Lacroix-Guyot"]),
]
FORMS = [form for _, forms in SENTENCES for form in forms]

# Contact details: (text planted, what must not remain in the output)
CONTACTS = [
    (
        "Écrire à jb.morizot@exemple.fr ou à contact [at] ferme-des-pres.fr.",
        ["jb.morizot@exemple.fr", "ferme-des-pres.fr", "morizot"],
    ),
    (
        "Portable 06 12 34 56 78, fixe 03.84.47.12.34, autre 0612345679.",
        ["06 12 34 56 78", "03.84.47.12.34", "0612345679"],
    ),
    (
        "Depuis l'étranger : +33 6 98 76 54 32 ou +33 (0)3 84 00 11 22 ou 0033 6 11 22 33 44.",
        ["+33 6 98 76 54 32", "+33 (0)3 84 00 11 22", "0033 6 11 22 33 44"],
    ),
    ("Numéros : 06-55-44-33-22 et +33755443322.", ["06-55-44-33-22", "+33755443322"]),
    ("Le local est au 12, rue des Lilas, 39000 Lons-le-Saunier.", ["12, rue des Lilas", "39000"]),
    ("Rendez-vous 3 bis avenue Jean Jaurès à Champagnole.", ["3 bis avenue Jean Jaurès"]),
    (
        "Elle habite 7 chemin de la Combe, puis 21 place de la Liberté.",
        ["7 chemin de la Combe", "21 place de la Liberté"],
    ),
]
