"""French vocabulary for the generated benchmark corpus: lemmas by theme, and their inflections.

Nouns carry a gender ("m" or "f"); adjectives are given in the masculine singular and verbs in
the infinitive, and the functions below inflect them (plural, feminine, a few tenses). Lists are
written roughly from frequent to rare: the corpus draws from them with Zipf-like weights by rank.
Irregular forms are spelled out; the rules cover the rest well enough for realistic text.
"""

from __future__ import annotations

import re


def _nouns(gender: str, text: str) -> list[tuple[str, str]]:
    return [(w.replace("_", " "), gender) for w in text.split()]


# General nouns, shared by every theme (an underscore joins a compound noun).
GENERAL_NOUNS = _nouns(
    "m",
    """
    projet travail temps milieu réseau outil besoin moyen exemple niveau rôle secteur domaine lien
    partenaire organisme processus changement résultat enjeu objectif contexte accès soutien suivi
    service usage développement accompagnement partage modèle cadre point ensemble nombre sens
    groupe document guide rapport portrait diagnostic bilan chiffre taux risque obstacle frein
    levier avenir horizon moment cas jour mois an choix effort succès échec équilibre mandat
    thème sujet aspect élément principe critère indicateur repère fonctionnement mode volet axe
    calendrier budget échéancier plan programme appel dossier texte article exercice mécanisme
    savoir constat souci défi atout potentiel rythme seuil écart progrès retard regard discours
    vocabulaire langage terrain quotidien public territoire lieu espace village quartier pays monde
""",
) + _nouns(
    "f",
    """
    culture communauté pratique démarche question action équipe ressource région organisation
    personne année semaine fois façon manière partie place idée situation société structure
    condition capacité compétence expertise responsabilité relation confiance vision priorité
    piste solution proposition recommandation synthèse étape phase rencontre réflexion approche
    perspective difficulté limite force faiblesse occasion tendance évolution transformation
    croissance demande offre aide évaluation mesure analyse étude enquête réponse base logique
    dynamique cohérence visibilité reconnaissance autonomie durée échelle taille valeur qualité
    attention ambition intention volonté posture méthode règle entente charge vie voix histoire
    matière forme nature origine suite fin raison cause conséquence preuve trace manière_de_faire
""",
)

THEMES: dict[str, dict] = {
    "culture numérique": {
        "nouns": _nouns(
            "m",
            """
            numérique contenu site web logiciel algorithme format fichier internet code moteur
            navigateur usager utilisateur écran courriel balado référencement identifiant lien
            wiki dépôt hébergement serveur nuage tableur formulaire compte mot_de_passe réseau_social
            virage écosystème répertoire calendrier gabarit agenda robot tutoriel webinaire clavardage
        """,
        )
        + _nouns(
            "f",
            """
            plateforme métadonnée interface découvrabilité application vidéo diffusion page version
            sauvegarde numérisation licence infolettre ontologie navigation recherche publication
            mise_à_jour fiche vitrine boutique billetterie_en_ligne présence visibilité_en_ligne
            littératie transition_numérique adresse migration infrastructure cybersécurité
        """,
        ),
        "adjs": """numérique en_ligne ouvert libre interopérable accessible web informatique
            technologique virtuel automatisé collaboratif mobile connecté découvrable documenté
            structuré sémantique hybride sécurisé gratuit propriétaire""",
        "verbs": """numériser publier héberger diffuser référencer indexer migrer documenter
            automatiser moissonner décrire télécharger partager connecter configurer installer
            tester prototyper""",
    },
    "économie sociale": {
        "nouns": _nouns(
            "m",
            """
            financement revenu emploi travailleur membre conseil marché coût investissement fonds
            bénévole bénévolat entrepreneuriat partenariat impact modèle_d'affaires bailleur
            démarrage incubateur capital surplus salaire achat service_partagé regroupement
            mouvement chantier_d'économie_sociale loyer prêt
        """,
        )
        + _nouns(
            "f",
            """
            coopérative entreprise subvention gouvernance assemblée mission économie solidarité
            mutuelle fondation retombée rentabilité viabilité croissance_inclusive travailleuse
            entreprise_collective cotisation dépense ristourne philanthropie relève pérennité
            économie_sociale main-d'œuvre gestion comptabilité campagne_de_financement
        """,
        ),
        "adjs": """social solidaire collectif coopératif communautaire économique financier
            durable rentable viable local équitable responsable associatif démocratique
            autonome partagé mutualisé régional inclusif""",
        "verbs": """financer investir embaucher gérer coopérer mutualiser rentabiliser
            négocier acheter vendre solliciter obtenir recruter administrer emprunter
            rembourser diversifier consolider""",
    },
    "mutualisation des données": {
        "nouns": _nouns(
            "m",
            """
            entrepôt standard schéma partage protocole consentement indicateur jeu_de_données
            traitement profil registre inventaire tableau_de_bord référentiel vocabulaire_contrôlé
            identifiant_unique croisement appariement nettoyage modèle_de_données lac_de_données
            gisement flux échange_de_données
        """,
        )
        + _nouns(
            "f",
            """
            mutualisation donnée norme interopérabilité agrégation confidentialité sécurité
            statistique collecte qualité_des_données source visualisation fiducie fréquentation
            audience base_de_données donnée_ouverte propriété anonymisation traçabilité
            gouvernance_des_données politique_de_confidentialité requête API carte
        """,
        ),
        "adjs": """ouvert partagé agrégé anonyme anonymisé confidentiel structuré normalisé
            interopérable fiable complet brut commun sécurisé statistique quantitatif
            qualitatif croisé centralisé décentralisé""",
        "verbs": """mutualiser agréger collecter croiser nettoyer normaliser structurer
            anonymiser protéger stocker partager analyser visualiser interroger alimenter
            consolider harmoniser""",
    },
    "chantiers et cercles": {
        "nouns": _nouns(
            "m",
            """
            chantier cercle atelier animateur participant groupe comité échange savoir
            apprentissage codéveloppement retour récit témoignage livrable gabarit mentorat
            agent agent_de_développement_culturel_numérique legs mandat prototype cohorte_d'agents
            compte_rendu ordre_du_jour tour_de_table remue-méninges
        """,
        )
        + _nouns(
            "f",
            """
            communauté_de_pratique rencontre animation facilitation animatrice participante
            réunion séance connaissance expérience leçon feuille_de_route trousse veille
            agente cohorte fiche_pratique rencontre_nationale documentation intelligence_collective
            co-construction coanimation démarche_collective mise_en_commun
        """,
        ),
        "adjs": """collectif partagé concret pratique temporaire ouvert national régional
            transversal participatif collaboratif interrégional commun fructueux intense
            informel bimensuel mensuel structurant""",
        "verbs": """animer réunir léguer documenter partager échanger rassembler ouvrir
            fermer prototyper piloter coordonner mobiliser outiller accompagner
            synthétiser faciliter présenter""",
    },
    "médiation culturelle": {
        "nouns": _nouns(
            "m",
            """
            public citoyen élève jeune aîné quartier parcours artiste spectacle festival
            diffuseur loisir théâtre cinéma livre auteur éditeur milieu_scolaire médiateur
            atelier_de_création organisme_culturel musicien lecteur spectateur conte
        """,
        )
        + _nouns(
            "f",
            """
            médiation médiatrice école famille jeunesse bibliothèque maison_de_la_culture
            activité visite exposition œuvre création résidence représentation salle scène
            programmation accessibilité inclusion participation sortie tournée musique danse
            lecture littérature poésie citoyenne autrice médiation_culturelle pratique_artistique
        """,
        ),
        "adjs": """culturel artistique citoyen participatif accessible inclusif jeune
            familial scolaire littéraire musical théâtral vivant contemporain local
            intergénérationnel gratuit éducatif créatif populaire""",
        "verbs": """rejoindre sensibiliser accueillir programmer diffuser créer exposer
            animer initier inviter toucher rencontrer fidéliser développer découvrir
            interpréter raconter""",
    },
    "patrimoine": {
        "nouns": _nouns(
            "m",
            """
            patrimoine musée objet fonds document bâtiment paysage héritage savoir-faire conte
            site lieu monument artisan métier centre_d'archives historien chercheur classement
            inventaire_patrimonial patrimoine_immatériel patrimoine_bâti moulin presbytère phare
            manoir lieu_de_mémoire
        """,
        )
        + _nouns(
            "f",
            """
            collection mémoire histoire archive photographie conservation restauration église
            tradition légende généalogie notice description numérisation chercheuse historienne
            société_d'histoire maison_historique institution_muséale pièce mise_en_valeur
            muséologie transmission commémoration
        """,
        ),
        "adjs": """patrimonial historique ancien muséal archivistique traditionnel
            immatériel bâti religieux régional local précieux fragile rare inédit
            familial ancestral oral identitaire""",
        "verbs": """conserver restaurer numériser inventorier décrire transmettre valoriser
            préserver cataloguer exposer classer protéger documenter raconter
            redécouvrir sauvegarder""",
    },
    "territoire et politiques publiques": {
        "nouns": _nouns(
            "m",
            """
            ministère programme plan développement règlement partenaire acteur milieu élu
            tourisme environnement climat territoire_rural regroupement_régional conseil_municipal
            appel_de_projets pôle entente_de_développement_culturel cadre_financier levier_régional
        """,
        )
        + _nouns(
            "f",
            """
            politique stratégie municipalité MRC région administration loi entente instance
            table_de_concertation concertation consultation élue population collectivité
            ruralité transition vitalité attractivité mobilité santé éducation formation
            politique_culturelle occupation décentralisation
        """,
        ),
        "adjs": """public municipal régional provincial fédéral national politique
            territorial rural urbain gouvernemental intersectoriel durable concerté
            structurant local métropolitain prioritaire stratégique administratif""",
        "verbs": """adopter financer consulter concerter planifier déployer implanter
            réviser évaluer attribuer annoncer négocier signer reconduire soutenir
            arrimer prioriser""",
    },
    "recherche et intelligence artificielle": {
        "nouns": _nouns(
            "m",
            """
            modèle corpus biais algorithme laboratoire résultat article colloque concept
            cadre_théorique entretien sondage échantillon partenariat_de_recherche questionnaire
            apprentissage_automatique robot_conversationnel agent_conversationnel enjeu_éthique
        """,
        )
        + _nouns(
            "f",
            """
            intelligence_artificielle éthique transparence automatisation recommandation
            prédiction science recherche université chaire étude enquête entrevue méthode
            méthodologie hypothèse publication conférence thèse théorie problématique
            recherche-action revue_de_littérature grille_d'analyse
        """,
        ),
        "adjs": """scientifique universitaire éthique automatique artificiel génératif
            prédictif empirique théorique méthodologique critique exploratoire
            quantitatif qualitatif responsable transparent fiable explicable""",
        "verbs": """analyser étudier observer mesurer comparer interroger entraîner générer
            expérimenter publier démontrer questionner modéliser valider documenter
            encadrer""",
    },
}

GENERAL_ADJS = """
    culturel numérique social économique public collectif commun local régional national
    important essentiel nécessaire possible difficile simple complexe concret pratique technique
    stratégique politique professionnel récent actuel futur principal général particulier
    spécifique différent nombreux certain propre efficace pertinent utile nouveau grand petit
    premier dernier prochain meilleur innovant créatif ambitieux modeste majeur significatif
    solide fragile stable régulier annuel quotidien initial final global entier complet
    juridique administratif opérationnel organisationnel institutionnel interne externe
    humain naturel léger lourd rapide lent fort faible clair précis riche vivant réel
    disponible prioritaire exemplaire inspirant prometteur encourageant original actif
    international québécois francophone canadien européen flexible souple long court vaste
""".split()

GENERAL_VERBS = """
    favoriser permettre développer soutenir partager accompagner mobiliser proposer présenter
    organiser améliorer renforcer valoriser créer identifier explorer évaluer adapter intégrer
    faciliter assurer produire contribuer participer collaborer coordonner aborder examiner
    répondre offrir prendre mettre faire voir devenir obtenir construire rejoindre suivre
    recevoir concevoir promouvoir reconnaître décrire réduire élargir enrichir choisir réunir
    établir définir garantir favoriser encourager engager rassembler relier consulter informer
    communiquer observer constater souligner montrer démontrer illustrer expliquer préciser
    recommander suggérer souhaiter viser chercher trouver utiliser exploiter gérer piloter
    protéger respecter encadrer négocier mesurer comparer estimer augmenter limiter alimenter
    inspirer stimuler susciter générer transformer moderniser simplifier accélérer dépasser
    surmonter rendre attendre entendre défendre étendre maintenir transmettre apprendre
    comprendre entreprendre traduire conduire inscrire ouvrir découvrir prévoir connaître
    servir lancer commencer poursuivre mener amener répéter compléter considérer
""".split()

ADVERBS = """
    aussi encore déjà souvent toujours parfois bien mieux davantage surtout notamment
    également ensemble rapidement progressivement concrètement directement clairement
    largement réellement simplement beaucoup peu trop assez plutôt vraiment désormais
    ensuite enfin finalement actuellement récemment régulièrement collectivement
    localement durablement pleinement entièrement particulièrement davantage ailleurs
""".split()

CONNECTORS = """
    Par_ailleurs, Ainsi, De_plus, En_effet, Cependant, Pourtant, Toutefois, En_revanche,
    Dans_ce_contexte, Concrètement, Au_fil_des_rencontres, À_terme, Enfin, D'abord,
    Ensuite, Finalement, En_pratique, Pour_l'instant, Jusqu'ici, Depuis_lors, Bref,
    Autrement_dit, À_l'inverse, De_son_côté, Selon_les_participants, Sur_le_terrain,
    Dans_les_faits, Au_départ, À_cet_égard, En_somme,
""".split()
CONNECTORS = [c.replace("_", " ") for c in CONNECTORS]

PLACES = """
    Montréal Québec Sherbrooke Gatineau Trois-Rivières Rimouski Saguenay Lévis Laval Longueuil
    Drummondville Granby Joliette Victoriaville Rouyn-Noranda Val-d'Or Sept-Îles Baie-Comeau
    Gaspé Matane Chicoutimi Alma Shawinigan Saint-Jérôme Magog Rivière-du-Loup Mont-Laurier
    Amos Kamouraska Carleton-sur-Mer Baie-Saint-Paul La_Malbaie Sorel-Tracy Saint-Hyacinthe
    Lyon Nantes Bordeaux Lille Marseille Toulouse Bruxelles Liège Namur Genève Lausanne
    Moncton Caraquet Sudbury Ottawa Winnipeg Natashquan Havre-Saint-Pierre Percé Tadoussac
""".split()
PLACES = [p.replace("_", " ") for p in PLACES]

REGIONS = """
    Bas-Saint-Laurent Saguenay–Lac-Saint-Jean Capitale-Nationale Mauricie Estrie Montréal
    Outaouais Abitibi-Témiscamingue Côte-Nord Nord-du-Québec Gaspésie–Îles-de-la-Madeleine
    Chaudière-Appalaches Laval Lanaudière Laurentides Montérégie Centre-du-Québec
""".split()

ACRONYMS = "OBNL MRC CALQ SODEC BAnQ RIDEAU CRÉ UQAM UQAR UQTR CDEC FRQSC TIC IA RGPD API OCDE UNESCO".split()

FIRST_NAMES = """
    Alice Frédérique Samuel Marie-Hélène Jean-Philippe Émilie Mathieu Catherine Olivier Geneviève
    Julie Maxime Isabelle François Sophie Étienne Nathalie Louis Valérie Guillaume Amélie Simon
    Mélanie Alexandre Stéphanie Gabriel Annie Benoît Chloé Félix Josée Hugo Karine Léa Marc-André
    Noémie Patrice Rosalie Sébastien Véronique Yannick Zoé Anaïs Béatrice Dominique Éloïse Gaëlle
    Hélène Jérôme Laurence Martine Nicolas Océane Philippe Raphaël Sandrine Thierry Ursule Vincent
    Maude Francis Audrey Kevin Myriam Charles Elsa Denis Lucie Pierre-Luc Ariane Claude Inès Malik
""".split()

LAST_NAMES = """
    Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier Bélanger
    Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron Beaulieu Cloutier Dubé Poirier
    Fournier Lapointe Leclerc Lefebvre Poulin Thibault St-Pierre Nadeau Martin Landry Martel Bédard
    Grenier Lessard Bernier Richard Michaud Hébert Desjardins Couture Turcotte Lachance Parent
    Blais Gosselin Savard Proulx Beaudoin Demers Perreault Boivin Cyr Nguyen Diallo Haddad Mbaye
    Rivard Vachon Lemieux Ménard Laflamme Dufour Giroux Chabot Brassard Dion Harvey Laberge
""".split()

SECTION_HEADINGS = """
    Contexte|Objectifs|Démarche|Le constat|Constats|Résultats|Enjeux|Pistes d'action|Prochaines étapes
    |Ressources|Retour sur la rencontre|Ce que nous retenons|Questions ouvertes|Méthode|Calendrier
    |Partenaires|Bilan|Recommandations|Pour aller plus loin|Leçons apprises|Un exemple concret
    |Ce qui a fonctionné|Ce qui reste à faire|Historique|Portée et limites|Financement|Gouvernance
    |Outils utilisés|Témoignages|En résumé|Mise en œuvre|Annexe|Définitions|Public visé
""".split("|")
SECTION_HEADINGS = [" ".join(h.split()) for h in SECTION_HEADINGS]

# Grammatical words and elision-prone forms are built by the grammar in french_corpus.py.
H_ASPIRE = {"hasard", "haut", "hauteur", "hiérarchie", "handicap", "halte", "hâte", "honte", "hangar", "héros"}
VOWELS = "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÉÈÊÎÔÛŒ"


def starts_with_vowel(word: str) -> bool:
    """Whether le/la/de/que elide before this word (vowel or mute h)."""
    if not word:
        return False
    if word[0] in VOWELS:
        return True
    return word[0] in "hH" and word.split(" ")[0].lower() not in H_ASPIRE


# ---------------------------------------------------------------- nouns

_NOUN_PLURALS = {
    "travail": "travaux",
    "œil": "yeux",
    "festival": "festivals",
    "carnaval": "carnavals",
    "récital": "récitals",
    "bal": "bals",
    "pneu": "pneus",
    "bleu": "bleus",
    "MRC": "MRC",
    "API": "API",
    "jeu": "jeux",
    "lieu": "lieux",
    "feu": "feux",
}


def noun_plural(noun: str) -> str:
    """The plural of a (possibly compound) noun: "jeu de données" -> "jeux de données"."""
    head, sep, rest = noun.partition(" ")
    if "-" in head:
        return noun  # savoir-faire, main-d'œuvre, recherche-action: left as they are
    if head in _NOUN_PLURALS:
        plural = _NOUN_PLURALS[head]
    elif head[-1] in "sxz":
        plural = head
    elif head.endswith(("eau", "au", "eu")):
        plural = head + "x"
    elif head.endswith("al"):
        plural = head[:-2] + "aux"
    else:
        plural = head + "s"
    if sep:
        # "mise en commun" stays; an adjective after the head agrees ("donnée ouverte").
        words = rest.split(" ")
        if words[0] not in ("de", "du", "des", "d'", "à", "en", "au", "aux") and not words[0].startswith(("d'", "l'")):
            words = [adj_form(words[0], "m", "p") if len(words) == 1 else words[0]] + words[1:]
        rest = " ".join(words)
    return plural + sep + rest


# ---------------------------------------------------------------- adjectives

_ADJ_IRREGULAR = {
    # masculine singular: (feminine singular, masculine plural, feminine plural)
    "nouveau": ("nouvelle", "nouveaux", "nouvelles"),
    "beau": ("belle", "beaux", "belles"),
    "vieux": ("vieille", "vieux", "vieilles"),
    "long": ("longue", "longs", "longues"),
    "public": ("publique", "publics", "publiques"),
    "gros": ("grosse", "gros", "grosses"),
    "bas": ("basse", "bas", "basses"),
    "bref": ("brève", "brefs", "brèves"),
    "gentil": ("gentille", "gentils", "gentilles"),
    "nul": ("nulle", "nuls", "nulles"),
    "favori": ("favorite", "favoris", "favorites"),
    "frais": ("fraîche", "frais", "fraîches"),
    "doux": ("douce", "doux", "douces"),
    "faux": ("fausse", "faux", "fausses"),
    "final": ("finale", "finaux", "finales"),
    "meilleur": ("meilleure", "meilleurs", "meilleures"),
    "prometteur": ("prometteuse", "prometteurs", "prometteuses"),
    "fédéral": ("fédérale", "fédéraux", "fédérales"),
    "en_ligne": ("en ligne", "en ligne", "en ligne"),
    "web": ("web", "web", "web"),
    "bâti": ("bâtie", "bâtis", "bâties"),
    "MRC": ("MRC", "MRC", "MRC"),
    "bimensuel": ("bimensuelle", "bimensuels", "bimensuelles"),
}


def adj_form(adj: str, gender: str, number: str) -> str:
    """An adjective agreeing in gender ("m"/"f") and number ("s"/"p")."""
    if adj in _ADJ_IRREGULAR:
        fem, mpl, fpl = _ADJ_IRREGULAR[adj]
        return {("m", "s"): adj.replace("_", " "), ("f", "s"): fem, ("m", "p"): mpl, ("f", "p"): fpl}[(gender, number)]
    if gender == "f":
        if adj.endswith("é"):
            fem = adj + "e"
        elif adj.endswith("e"):
            fem = adj
        elif adj.endswith(("el", "eil")):
            fem = adj + "le"
        elif adj.endswith(("en", "on")):
            fem = adj + "ne"
        elif adj.endswith("et"):
            fem = adj[:-2] + "ète"
        elif adj.endswith("eux"):
            fem = adj[:-1] + "se"
        elif adj.endswith("if"):
            fem = adj[:-1] + "ve"
        elif adj.endswith("er"):
            fem = adj[:-2] + "ère"
        elif adj.endswith("teur"):
            fem = adj[:-4] + "trice"
        elif adj.endswith("c"):
            fem = adj + "he" if adj.endswith("anc") else adj[:-1] + "que"
        else:
            fem = adj + "e"
        return fem + ("s" if number == "p" else "")
    if number == "s":
        return adj
    if adj[-1] in "sx":
        return adj
    if adj.endswith("eau"):
        return adj + "x"
    if adj.endswith("al"):
        return adj[:-2] + "aux"
    return adj + "s"


# ---------------------------------------------------------------- verbs

# Spelled-out forms: infinitive -> (il, ils, il [imparfait], ils [imparfait], il [futur],
# ils [futur], il [conditionnel], participe passé, participe présent, nous)
_VERB_IRREGULAR: dict[str, tuple[str, ...]] = {
    "être": ("est", "sont", "était", "étaient", "sera", "seront", "serait", "été", "étant", "sommes"),
    "avoir": ("a", "ont", "avait", "avaient", "aura", "auront", "aurait", "eu", "ayant", "avons"),
    "faire": ("fait", "font", "faisait", "faisaient", "fera", "feront", "ferait", "fait", "faisant", "faisons"),
    "pouvoir": (
        "peut",
        "peuvent",
        "pouvait",
        "pouvaient",
        "pourra",
        "pourront",
        "pourrait",
        "pu",
        "pouvant",
        "pouvons",
    ),
    "devoir": ("doit", "doivent", "devait", "devaient", "devra", "devront", "devrait", "dû", "devant", "devons"),
    "vouloir": (
        "veut",
        "veulent",
        "voulait",
        "voulaient",
        "voudra",
        "voudront",
        "voudrait",
        "voulu",
        "voulant",
        "voulons",
    ),
    "savoir": ("sait", "savent", "savait", "savaient", "saura", "sauront", "saurait", "su", "sachant", "savons"),
    "aller": ("va", "vont", "allait", "allaient", "ira", "iront", "irait", "allé", "allant", "allons"),
    "venir": (
        "vient",
        "viennent",
        "venait",
        "venaient",
        "viendra",
        "viendront",
        "viendrait",
        "venu",
        "venant",
        "venons",
    ),
    "devenir": (
        "devient",
        "deviennent",
        "devenait",
        "devenaient",
        "deviendra",
        "deviendront",
        "deviendrait",
        "devenu",
        "devenant",
        "devenons",
    ),
    "soutenir": (
        "soutient",
        "soutiennent",
        "soutenait",
        "soutenaient",
        "soutiendra",
        "soutiendront",
        "soutiendrait",
        "soutenu",
        "soutenant",
        "soutenons",
    ),
    "obtenir": (
        "obtient",
        "obtiennent",
        "obtenait",
        "obtenaient",
        "obtiendra",
        "obtiendront",
        "obtiendrait",
        "obtenu",
        "obtenant",
        "obtenons",
    ),
    "maintenir": (
        "maintient",
        "maintiennent",
        "maintenait",
        "maintenaient",
        "maintiendra",
        "maintiendront",
        "maintiendrait",
        "maintenu",
        "maintenant",
        "maintenons",
    ),
    "permettre": (
        "permet",
        "permettent",
        "permettait",
        "permettaient",
        "permettra",
        "permettront",
        "permettrait",
        "permis",
        "permettant",
        "permettons",
    ),
    "mettre": ("met", "mettent", "mettait", "mettaient", "mettra", "mettront", "mettrait", "mis", "mettant", "mettons"),
    "transmettre": (
        "transmet",
        "transmettent",
        "transmettait",
        "transmettaient",
        "transmettra",
        "transmettront",
        "transmettrait",
        "transmis",
        "transmettant",
        "transmettons",
    ),
    "prendre": (
        "prend",
        "prennent",
        "prenait",
        "prenaient",
        "prendra",
        "prendront",
        "prendrait",
        "pris",
        "prenant",
        "prenons",
    ),
    "apprendre": (
        "apprend",
        "apprennent",
        "apprenait",
        "apprenaient",
        "apprendra",
        "apprendront",
        "apprendrait",
        "appris",
        "apprenant",
        "apprenons",
    ),
    "comprendre": (
        "comprend",
        "comprennent",
        "comprenait",
        "comprenaient",
        "comprendra",
        "comprendront",
        "comprendrait",
        "compris",
        "comprenant",
        "comprenons",
    ),
    "entreprendre": (
        "entreprend",
        "entreprennent",
        "entreprenait",
        "entreprenaient",
        "entreprendra",
        "entreprendront",
        "entreprendrait",
        "entrepris",
        "entreprenant",
        "entreprenons",
    ),
    "produire": (
        "produit",
        "produisent",
        "produisait",
        "produisaient",
        "produira",
        "produiront",
        "produirait",
        "produit",
        "produisant",
        "produisons",
    ),
    "réduire": (
        "réduit",
        "réduisent",
        "réduisait",
        "réduisaient",
        "réduira",
        "réduiront",
        "réduirait",
        "réduit",
        "réduisant",
        "réduisons",
    ),
    "conduire": (
        "conduit",
        "conduisent",
        "conduisait",
        "conduisaient",
        "conduira",
        "conduiront",
        "conduirait",
        "conduit",
        "conduisant",
        "conduisons",
    ),
    "construire": (
        "construit",
        "construisent",
        "construisait",
        "construisaient",
        "construira",
        "construiront",
        "construirait",
        "construit",
        "construisant",
        "construisons",
    ),
    "traduire": (
        "traduit",
        "traduisent",
        "traduisait",
        "traduisaient",
        "traduira",
        "traduiront",
        "traduirait",
        "traduit",
        "traduisant",
        "traduisons",
    ),
    "décrire": (
        "décrit",
        "décrivent",
        "décrivait",
        "décrivaient",
        "décrira",
        "décriront",
        "décrirait",
        "décrit",
        "décrivant",
        "décrivons",
    ),
    "inscrire": (
        "inscrit",
        "inscrivent",
        "inscrivait",
        "inscrivaient",
        "inscrira",
        "inscriront",
        "inscrirait",
        "inscrit",
        "inscrivant",
        "inscrivons",
    ),
    "offrir": (
        "offre",
        "offrent",
        "offrait",
        "offraient",
        "offrira",
        "offriront",
        "offrirait",
        "offert",
        "offrant",
        "offrons",
    ),
    "ouvrir": (
        "ouvre",
        "ouvrent",
        "ouvrait",
        "ouvraient",
        "ouvrira",
        "ouvriront",
        "ouvrirait",
        "ouvert",
        "ouvrant",
        "ouvrons",
    ),
    "découvrir": (
        "découvre",
        "découvrent",
        "découvrait",
        "découvraient",
        "découvrira",
        "découvriront",
        "découvrirait",
        "découvert",
        "découvrant",
        "découvrons",
    ),
    "voir": ("voit", "voient", "voyait", "voyaient", "verra", "verront", "verrait", "vu", "voyant", "voyons"),
    "prévoir": (
        "prévoit",
        "prévoient",
        "prévoyait",
        "prévoyaient",
        "prévoira",
        "prévoiront",
        "prévoirait",
        "prévu",
        "prévoyant",
        "prévoyons",
    ),
    "recevoir": (
        "reçoit",
        "reçoivent",
        "recevait",
        "recevaient",
        "recevra",
        "recevront",
        "recevrait",
        "reçu",
        "recevant",
        "recevons",
    ),
    "concevoir": (
        "conçoit",
        "conçoivent",
        "concevait",
        "concevaient",
        "concevra",
        "concevront",
        "concevrait",
        "conçu",
        "concevant",
        "concevons",
    ),
    "connaître": (
        "connaît",
        "connaissent",
        "connaissait",
        "connaissaient",
        "connaîtra",
        "connaîtront",
        "connaîtrait",
        "connu",
        "connaissant",
        "connaissons",
    ),
    "reconnaître": (
        "reconnaît",
        "reconnaissent",
        "reconnaissait",
        "reconnaissaient",
        "reconnaîtra",
        "reconnaîtront",
        "reconnaîtrait",
        "reconnu",
        "reconnaissant",
        "reconnaissons",
    ),
    "rejoindre": (
        "rejoint",
        "rejoignent",
        "rejoignait",
        "rejoignaient",
        "rejoindra",
        "rejoindront",
        "rejoindrait",
        "rejoint",
        "rejoignant",
        "rejoignons",
    ),
    "promouvoir": (
        "promeut",
        "promeuvent",
        "promouvait",
        "promouvaient",
        "promouvra",
        "promouvront",
        "promouvrait",
        "promu",
        "promouvant",
        "promouvons",
    ),
    "suivre": (
        "suit",
        "suivent",
        "suivait",
        "suivaient",
        "suivra",
        "suivront",
        "suivrait",
        "suivi",
        "suivant",
        "suivons",
    ),
    "poursuivre": (
        "poursuit",
        "poursuivent",
        "poursuivait",
        "poursuivaient",
        "poursuivra",
        "poursuivront",
        "poursuivrait",
        "poursuivi",
        "poursuivant",
        "poursuivons",
    ),
    "servir": (
        "sert",
        "servent",
        "servait",
        "servaient",
        "servira",
        "serviront",
        "servirait",
        "servi",
        "servant",
        "servons",
    ),
    "accueillir": (
        "accueille",
        "accueillent",
        "accueillait",
        "accueillaient",
        "accueillera",
        "accueilleront",
        "accueillerait",
        "accueilli",
        "accueillant",
        "accueillons",
    ),
    "dire": ("dit", "disent", "disait", "disaient", "dira", "diront", "dirait", "dit", "disant", "disons"),
    "vendre": (
        "vend",
        "vendent",
        "vendait",
        "vendaient",
        "vendra",
        "vendront",
        "vendrait",
        "vendu",
        "vendant",
        "vendons",
    ),
    "rendre": (
        "rend",
        "rendent",
        "rendait",
        "rendaient",
        "rendra",
        "rendront",
        "rendrait",
        "rendu",
        "rendant",
        "rendons",
    ),
    "répondre": (
        "répond",
        "répondent",
        "répondait",
        "répondaient",
        "répondra",
        "répondront",
        "répondrait",
        "répondu",
        "répondant",
        "répondons",
    ),
    "attendre": (
        "attend",
        "attendent",
        "attendait",
        "attendaient",
        "attendra",
        "attendront",
        "attendrait",
        "attendu",
        "attendant",
        "attendons",
    ),
    "entendre": (
        "entend",
        "entendent",
        "entendait",
        "entendaient",
        "entendra",
        "entendront",
        "entendrait",
        "entendu",
        "entendant",
        "entendons",
    ),
    "défendre": (
        "défend",
        "défendent",
        "défendait",
        "défendaient",
        "défendra",
        "défendront",
        "défendrait",
        "défendu",
        "défendant",
        "défendons",
    ),
    "étendre": (
        "étend",
        "étendent",
        "étendait",
        "étendaient",
        "étendra",
        "étendront",
        "étendrait",
        "étendu",
        "étendant",
        "étendons",
    ),
    "mener": ("mène", "mènent", "menait", "menaient", "mènera", "mèneront", "mènerait", "mené", "menant", "menons"),
    "amener": (
        "amène",
        "amènent",
        "amenait",
        "amenaient",
        "amènera",
        "amèneront",
        "amènerait",
        "amené",
        "amenant",
        "amenons",
    ),
    "acheter": (
        "achète",
        "achètent",
        "achetait",
        "achetaient",
        "achètera",
        "achèteront",
        "achèterait",
        "acheté",
        "achetant",
        "achetons",
    ),
    "redécouvrir": (
        "redécouvre",
        "redécouvrent",
        "redécouvrait",
        "redécouvraient",
        "redécouvrira",
        "redécouvriront",
        "redécouvrirait",
        "redécouvert",
        "redécouvrant",
        "redécouvrons",
    ),
    "reconduire": (
        "reconduit",
        "reconduisent",
        "reconduisait",
        "reconduisaient",
        "reconduira",
        "reconduiront",
        "reconduirait",
        "reconduit",
        "reconduisant",
        "reconduisons",
    ),
}

_SECOND_GROUP = {
    "investir",
    "choisir",
    "réunir",
    "établir",
    "définir",
    "garantir",
    "élargir",
    "enrichir",
    "agir",
    "réfléchir",
    "fournir",
    "bâtir",
    "aboutir",
    "approfondir",
    "nourrir",
    "accomplir",
}


def _er_forms(inf: str) -> tuple[str, ...]:
    stem = inf[:-2]
    soft = stem + ("e" if stem.endswith("g") else "")  # partageons, partageait
    soft = soft[:-1] + "ç" if stem.endswith("c") else soft  # lançons, lançait
    present = stem
    future = inf
    if stem.endswith(("oy", "uy")):
        present = stem[:-1] + "i"
        future = present + "er"
    else:
        # répéter -> répète, intégrer -> intègre, protéger -> protège
        m = re.search(r"é((?:gu|qu|[^aeiouyéèêàâîôû])+)$", stem)
        if m:
            present = stem[: m.start()] + "è" + m.group(1)
    return (
        present + "e",
        present + "ent",
        soft + "ait",
        soft + "aient",
        future + "a",
        future + "ont",
        future + "ait",
        stem + "é",
        soft + "ant",
        soft + "ons",
    )


def _ir_forms(inf: str) -> tuple[str, ...]:
    stem = inf[:-2]
    return (
        stem + "it",
        stem + "issent",
        stem + "issait",
        stem + "issaient",
        inf + "a",
        inf + "ont",
        inf + "ait",
        stem + "i",
        stem + "issant",
        stem + "issons",
    )


VERB_FORM_NAMES = (
    "present",
    "present_pl",
    "imperfect",
    "imperfect_pl",
    "future",
    "future_pl",
    "conditional",
    "participle",
    "gerund",
    "nous",
)


def verb_forms(inf: str) -> dict[str, str]:
    """Forms of a verb by name (see VERB_FORM_NAMES), plus "infinitive"."""
    if inf in _VERB_IRREGULAR:
        forms = _VERB_IRREGULAR[inf]
    elif inf in _SECOND_GROUP:
        forms = _ir_forms(inf)
    else:
        forms = _er_forms(inf)
    return {"infinitive": inf, **dict(zip(VERB_FORM_NAMES, forms))}


def participle(forms: dict[str, str], gender: str, number: str) -> str:
    """A past participle agreeing with a preceding object or a passive subject."""
    pp = forms["participle"]
    if pp.endswith(("s", "x")) and gender == "m":
        return pp
    if pp in ("été", "eu", "pu", "su", "dû"):
        return pp
    return pp + ("e" if gender == "f" else "") + ("s" if number == "p" else "")
