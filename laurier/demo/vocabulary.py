"""Words the demo and generated organisations are made of: names, departments, jobs, reasons.

Names and places are Québec French and Canadian English because Laurier's first
users are Québec organisations; every draw goes through a seeded `random.Random`
so that a seed always gives the same people.
"""

import unicodedata

FRENCH_FIRST_NAMES = (
    "Amélie", "Anne-Marie", "Annie", "Audrey", "Béatrice", "Camille", "Caroline", "Catherine",
    "Chantal", "Chloé", "Claudia", "Danielle", "Élise", "Émilie", "Éloïse", "Florence",
    "France", "Geneviève", "Isabelle", "Jacinthe", "Joanie", "Josée", "Julie", "Karine",
    "Laurence", "Léa", "Louise", "Lyne", "Manon", "Marie-Ève", "Marie-Pier", "Maude",
    "Mélanie", "Nathalie", "Noémie", "Rosalie", "Sophie", "Stéphanie", "Sylvie", "Valérie",
    "Alexandre", "André", "Antoine", "Benoît", "Charles", "Christian", "Denis", "Dominic",
    "Éric", "Étienne", "Félix", "François", "Frédéric", "Gabriel", "Guillaume", "Hugo",
    "Jean-François", "Jean-Philippe", "Jérôme", "Jonathan", "Julien", "Louis", "Luc",
    "Marc-André", "Mathieu", "Maxime", "Michel", "Nicolas", "Olivier", "Patrick",
    "Philippe", "Pierre-Luc", "Raphaël", "Réjean", "Samuel", "Sébastien", "Simon",
    "Stéphane", "Vincent", "Yannick",
)  # fmt: skip

FRENCH_LAST_NAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
    "Fortin", "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron",
    "Leblanc", "Paquette", "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier",
    "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault",
    "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard",
    "Bernier", "Richard", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte",
    "Lachance", "Parent", "Blais", "Gosselin", "Savard", "Proulx", "Beaudoin", "Demers",
    "Perreault", "Boudreau", "Lemieux", "Cyr", "Perron", "Dufour", "Dion", "Mercier",
    "Bolduc", "Bérubé", "Boivin", "Langlois", "Ménard", "Laplante", "Drouin", "Vachon",
)  # fmt: skip

ENGLISH_FIRST_NAMES = (
    "Emily", "Sarah", "Jessica", "Ashley", "Megan", "Rachel", "Hannah", "Olivia", "Grace",
    "Claire", "Laura", "Natalie", "Heather", "Kathleen", "Fiona", "Priya", "Aisha", "Mei",
    "James", "Michael", "David", "Daniel", "Matthew", "Ryan", "Kevin", "Brian", "Andrew",
    "Connor", "Liam", "Ethan", "Owen", "Graham", "Ian", "Rajesh", "Omar", "Wei",
)  # fmt: skip

ENGLISH_LAST_NAMES = (
    "Smith", "Brown", "Wilson", "Campbell", "Stewart", "Johnson", "MacDonald", "Taylor",
    "Anderson", "Murphy", "Thompson", "O'Brien", "Fraser", "Robertson", "Kelly", "Walsh",
    "Mitchell", "Young", "Reid", "Graham", "Patel", "Singh", "Nguyen", "Chen", "Wong",
    "Ali", "Khan", "Kowalski", "Rossi", "Santos",
)  # fmt: skip

# (department, job titles of people who mentor, job titles of people who are mentored)
DEPARTMENTS = (
    (
        "Finances",
        ("Directrice des finances", "Contrôleur", "Analyste financière principale"),
        ("Analyste financier", "Technicienne comptable", "Commis aux comptes payables"),
    ),
    (
        "Ressources humaines",
        ("Directeur des ressources humaines", "Conseillère principale en RH"),
        ("Conseiller en acquisition de talents", "Technicienne en paie", "Agent de dotation"),
    ),
    (
        "Technologies de l'information",
        ("Architecte de solutions", "Chef d'équipe développement", "Directrice des TI"),
        ("Développeuse logicielle", "Analyste en sécurité", "Technicien de soutien"),
    ),
    (
        "Ingénierie",
        ("Ingénieur principal", "Chargée de projets senior", "Directeur de l'ingénierie"),
        ("Ingénieure junior", "Technicien en génie civil", "Dessinatrice"),
    ),
    (
        "Opérations",
        ("Directeur des opérations", "Surintendante de production"),
        ("Coordonnateur logistique", "Opératrice de production", "Planificateur"),
    ),
    (
        "Service aux membres",
        ("Directrice du service aux membres", "Chef de service"),
        ("Conseiller aux membres", "Agente au centre d'appels", "Représentant"),
    ),
    (
        "Marketing et communications",
        ("Directrice marketing", "Conseiller principal en communication"),
        ("Coordonnatrice aux communications", "Spécialiste des médias sociaux"),
    ),
    (
        "Affaires juridiques",
        ("Avocate principale", "Secrétaire corporatif"),
        ("Parajuriste", "Conseiller juridique"),
    ),
    (
        "Santé et sécurité",
        ("Directeur santé et sécurité", "Conseillère principale SST"),
        ("Préventionniste", "Technicienne en hygiène industrielle"),
    ),
    (
        "Approvisionnement",
        ("Directrice de l'approvisionnement",),
        ("Acheteur", "Agente d'approvisionnement"),
    ),
)

LEAVING_REASONS = (
    "A quitté l'organisation",
    "Mutation dans une autre région",
    "Départ à la retraite",
    "Changement de poste, moins disponible",
    "Fin du contrat",
)

PAUSING_REASONS = (
    "Congé parental",
    "Surcharge de travail pendant la fin d'exercice",
    "Congé de maladie",
    "Projet prioritaire jusqu'à la fin du trimestre",
    "Congé sabbatique",
)

SESSION_NOTES = (
    "Préparation de l'entrevue pour le poste de chef d'équipe",
    "Retour sur la première évaluation de rendement",
    "Tour des outils et des processus du service",
    "Discussion sur la gestion des priorités",
    "Plan de développement pour l'année",
    "Rencontre avec l'équipe de l'ingénierie",
    "Conseils pour une première présentation au comité de direction",
    "Équilibre travail-vie personnelle",
    "Lecture commentée d'un rapport financier",
    "Réseautage : présentation à trois collègues",
    "Suivi des objectifs du trimestre",
    "Préparer une négociation salariale",
)

# Minutes a session lasts, and how often each length occurs.
SESSION_LENGTHS = (30, 45, 60, 75, 90, 120)
SESSION_LENGTH_WEIGHTS = (2, 3, 6, 1, 3, 1)

# Share of people with an English name; about one in five at a Québec employer.
ENGLISH_SHARE = 0.2


def ascii_slug(text):
    """'Marie-Ève Côté' → 'marie-eve-cote', for e-mail addresses that every mail server accepts."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return "".join(char if char.isalnum() else "-" for char in text).strip("-").replace("--", "-")


def random_name(rng):
    """(first name, last name, language) of one person."""
    if rng.random() < ENGLISH_SHARE:
        # Some English speakers in Québec still prefer to work in French.
        language = "en" if rng.random() < 0.7 else "fr-ca"
        return rng.choice(ENGLISH_FIRST_NAMES), rng.choice(ENGLISH_LAST_NAMES), language
    return rng.choice(FRENCH_FIRST_NAMES), rng.choice(FRENCH_LAST_NAMES), "fr-ca"


def random_position(rng, *, senior):
    """(department, job title) of a mentor (`senior`) or a mentee."""
    department, senior_titles, junior_titles = rng.choice(DEPARTMENTS)
    return department, rng.choice(senior_titles if senior else junior_titles)


def clamp(value, lowest, highest):
    """`value` rounded to a whole answer on a scale from `lowest` to `highest`."""
    return max(lowest, min(highest, round(value)))
