"""Demo data: a small Lyon web agency, two clients, three projects, eight people.

Dates are relative to today so the demo always looks alive: one project started three weeks
ago, one last week, one starts next week; some leave falls in the coming weeks.
All demo logins share the password DEMO_PASSWORD (stored hashed, like any password).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import holidays
from django.db import transaction
from django.utils import timezone

from jalon.accounts.models import Organisation, User
from jalon.people.models import Absence, Person, PersonSkill, Skill
from jalon.projects.models import (
    Assignment,
    Client,
    Deliverable,
    Dependency,
    Phase,
    Project,
    ProjectMember,
    Task,
    TaskSkill,
)
from jalon.projects.services import ensure_skills
from jalon.projects.templates_data import SKILL_CATEGORIES, template_for
from jalon.specs.models import Requirement, Spec, SpecVersion

DEMO_ORGANISATION = "Atelier Pixel & Plume"
DEMO_PASSWORD = "jalon-demo"
DEMO_USERNAMES = ("admin", "chef", "dev", "client", "client2")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    who: str


@dataclass
class DemoSummary:
    organisation: str
    created: bool  # False when the demo was already there and left untouched
    password: str = DEMO_PASSWORD
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What `make run` prints: one line per login."""
        head = f"Démo « {self.organisation} » — mot de passe de tous les comptes : {self.password}"
        return [head, *(f"  {login.username:<8} {login.role:<20} {login.who}" for login in self.logins)]


class DemoConflictError(RuntimeError):
    """A demo username already belongs to an account outside the demo organisation."""


# --- calendar helpers --------------------------------------------------------------------

_FR_HOLIDAYS = holidays.country_holidays("FR")


def _is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _FR_HOLIDAYS


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not _is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _monday(day: dt.date, weeks: int) -> dt.date:
    """The Monday `weeks` weeks from the week of `day` (negative = in the past)."""
    return day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


# --- people ------------------------------------------------------------------------------

# (first name, last name, job title, daily rate, daily cost, capacity, login, skills)
PEOPLE: tuple[tuple[str, str, str, int, int, str, str, dict[str, int]], ...] = (
    ("Claire", "Martin", "Cheffe de projet", 650, 390, "1", "chef",
     {"Gestion de projet": 5, "UX design": 3, "Recette / tests": 3}),
    ("Julien", "Moreau", "Graphiste", 480, 280, "1", "",
     {"Design UI": 5, "UX design": 2}),
    ("Inès", "Benali", "UX designer", 550, 310, "0.8", "",
     {"UX design": 5, "Design UI": 3, "Recette / tests": 2}),
    ("Thomas", "Girard", "Développeur web", 650, 360, "1", "dev",
     {"Développement back-end": 5, "E-commerce": 4, "Base de données": 4, "Administration système": 3,
      "Développement front-end": 3}),
    ("Camille", "Roux", "Développeuse web", 600, 340, "1", "",
     {"Développement front-end": 5, "Intégration HTML/CSS": 4, "Développement back-end": 3, "E-commerce": 3}),
    ("Hugo", "Lefebvre", "Développeur mobile", 700, 380, "1", "",
     {"Développement mobile": 5, "Développement back-end": 3, "Développement front-end": 2}),
    ("Léa", "Fontaine", "Intégratrice", 450, 260, "1", "",
     {"Intégration HTML/CSS": 5, "Développement front-end": 3, "Recette / tests": 3}),
    ("Nicolas", "Petit", "Consultant SEO et rédacteur", 550, 300, "1", "",
     {"SEO": 5, "Rédaction web": 4, "Data analyse": 3, "Marketing d'affiliation": 2}),
)

# --- project breakdowns ------------------------------------------------------------------
# A task: (key, name, effort j/h, {skill: min level}, predecessors [(key, type, lag)]).
# Effort 0 with no skill = milestone. A predecessor key may be "PROJECT_CODE:key" (portfolio link).
TaskRow = tuple[str, str, str, dict[str, int], list[tuple[str, str, int]]]

ECOM: list[tuple[str, list[TaskRow]]] = [
    ("Cadrage", [
        ("kickoff", "Réunion de lancement", "0.5", {"Gestion de projet": 3}, []),
        ("besoins", "Ateliers de recueil des besoins", "2", {"Gestion de projet": 3, "UX design": 3}, [("kickoff", "FS", 0)]),
        ("cdc", "Rédaction du cahier des charges", "3", {"Gestion de projet": 4}, [("besoins", "FS", 0)]),
        ("cdc_ok", "Validation du cahier des charges", "0", {}, [("cdc", "FS", 2)]),
    ]),
    ("Conception / UX", [
        ("arbo", "Arborescence et parcours d'achat", "2", {"UX design": 4}, [("cdc_ok", "FS", 0)]),
        ("wireframes", "Wireframes (accueil, catalogue, fiche produit, tunnel)", "4", {"UX design": 3}, [("arbo", "FS", 0)]),
        ("specs", "Spécifications fonctionnelles et techniques", "3", {"Développement back-end": 4}, [("arbo", "SS", 1)]),
    ]),
    ("Design UI", [
        ("maquettes", "Maquettes graphiques desktop et mobile", "8", {"Design UI": 4}, [("wireframes", "FS", -1)]),
        ("maquettes_ok", "Validation des maquettes", "0", {}, [("maquettes", "FS", 2)]),
    ]),
    ("Développement / intégration", [
        ("boutique", "Installation et paramétrage de la boutique", "5", {"E-commerce": 3}, [("specs", "FS", 0)]),
        ("integration", "Intégration des gabarits HTML/CSS", "8", {"Intégration HTML/CSS": 3}, [("maquettes_ok", "FS", 0)]),
        ("paiement", "Paiement en ligne et transporteurs", "4", {"Développement back-end": 4}, [("boutique", "FS", 0)]),
        ("import", "Import des 250 fiches produits", "3", {"E-commerce": 2}, [("boutique", "SS", 3)]),
        ("fiches", "Rédaction des fiches produits et pages éditoriales", "5", {"Rédaction web": 3},
         [("import", "SS", 1), ("DUR-SEO:mots_cles", "FS", 0)]),
    ]),
    ("Recette", [
        ("vabf", "Recette interne (VABF)", "3", {"Recette / tests": 3},
         [("integration", "FS", 0), ("paiement", "FS", 0), ("fiches", "FS", 0)]),
        ("corrections", "Corrections des anomalies", "3", {"Développement back-end": 3}, [("vabf", "FS", 0)]),
        ("pv_recette", "PV de recette", "0", {}, [("corrections", "FS", 0)]),
    ]),
    ("Mise en ligne", [
        ("mep", "Mise en production et redirections 301", "1", {"Administration système": 3}, [("pv_recette", "FS", 0)]),
        ("en_ligne", "Mise en ligne", "0", {}, [("mep", "FS", 0)]),
    ]),
    ("Suivi", [
        ("suivi", "Suivi des ventes et statistiques du premier mois", "2", {"Data analyse": 2}, [("en_ligne", "FS", 5)]),
    ]),
]

APP: list[tuple[str, list[TaskRow]]] = [
    ("Cadrage", [
        ("kickoff", "Réunion de lancement avec l'office de tourisme", "0.5", {"Gestion de projet": 3}, []),
        ("cdc", "Rédaction du cahier des charges", "2", {"Gestion de projet": 4}, [("kickoff", "FS", 0)]),
        ("cdc_ok", "Validation du cahier des charges", "0", {}, [("cdc", "FS", 2)]),
    ]),
    ("Conception / UX", [
        ("wireframes", "Parcours utilisateurs et wireframes", "5", {"UX design": 4}, [("cdc_ok", "FS", 0)]),
        ("specs_api", "Spécifications de l'API", "2", {"Développement back-end": 4}, [("wireframes", "SS", 2)]),
    ]),
    ("Design UI", [
        ("maquettes", "Maquettes de l'application iOS et Android", "6", {"Design UI": 4}, [("wireframes", "FS", 0)]),
        ("maquettes_ok", "Validation des maquettes", "0", {}, [("maquettes", "FS", 2)]),
    ]),
    ("Développement", [
        ("api", "API des itinéraires et points d'intérêt", "8", {"Développement back-end": 4}, [("specs_api", "FS", 0)]),
        ("app", "Développement de l'application", "15", {"Développement mobile": 4}, [("maquettes_ok", "FS", 0)]),
        ("carte", "Carte hors ligne et géolocalisation", "5", {"Développement mobile": 4}, [("app", "SS", 5)]),
        ("saisie", "Saisie des 40 itinéraires de randonnée", "4", {"Rédaction web": 3}, [("api", "FS", 0)]),
    ]),
    ("Recette", [
        ("vabf", "Recette sur téléphones (VABF)", "4", {"Recette / tests": 3},
         [("app", "FS", 0), ("carte", "FS", 0), ("saisie", "FS", 0)]),
        ("corrections", "Corrections des anomalies", "3", {"Développement mobile": 3}, [("vabf", "FS", 0)]),
        ("pv_recette", "PV de recette", "0", {}, [("corrections", "FS", 0)]),
    ]),
    ("Publication", [
        ("stores", "Publication sur l'App Store et Google Play", "1", {"Développement mobile": 3}, [("pv_recette", "FS", 0)]),
        ("en_ligne", "Mise en ligne", "0", {}, [("stores", "FS", 3)]),
    ]),
]

SEO: list[tuple[str, list[TaskRow]]] = [
    ("Cadrage", [
        ("kickoff", "Réunion de lancement", "0.5", {"Gestion de projet": 3}, []),
        ("cdc", "Cahier des charges SEO", "1", {"SEO": 4}, [("kickoff", "FS", 0)]),
        ("cdc_ok", "Validation du cahier des charges", "0", {}, [("cdc", "FS", 1)]),
    ]),
    ("Audit", [
        ("audit", "Audit technique du site actuel", "3", {"SEO": 4}, [("cdc_ok", "FS", 0)]),
        ("mots_cles", "Étude des mots-clés (épicerie fine, produits régionaux)", "2", {"SEO": 3}, [("audit", "SS", 1)]),
        ("audit_ok", "Restitution de l'audit", "0", {}, [("audit", "FS", 0), ("mots_cles", "FS", 0)]),
    ]),
    ("Optimisation", [
        ("corrections", "Corrections techniques (balises, vitesse, données structurées)", "3",
         {"Développement front-end": 3}, [("audit_ok", "FS", 0)]),
        ("articles", "Rédaction de 10 articles de blog", "6", {"Rédaction web": 4}, [("audit_ok", "FS", 0)]),
        ("netlinking", "Netlinking local (presse, partenaires)", "3", {"SEO": 3}, [("articles", "SS", 3)]),
    ]),
    ("Suivi", [
        ("reporting", "Reporting mensuel des positions", "1", {"SEO": 2},
         [("corrections", "FS", 0), ("netlinking", "FS", 0)]),
        ("bilan", "Bilan à trois mois", "0", {}, [("reporting", "FS", 20)]),
    ]),
]

# Requirements of version 1: (code, title, MoSCoW, acceptance criteria, task keys).
ECOM_REQUIREMENTS = [
    ("EX-01", "Catalogue de 250 produits avec déclinaisons", "must",
     "Chaque produit a photo, prix TTC, poids et stock ; les déclinaisons (format, millésime) ont leur propre stock.",
     ["boutique", "import"]),
    ("EX-02", "Paiement par carte bancaire sécurisé (3-D Secure)", "must",
     "Une commande test payée par carte apparaît comme payée dans le back-office.", ["paiement"]),
    ("EX-03", "Livraison Colissimo et retrait en boutique", "must",
     "Les frais de port se calculent selon le poids ; le retrait en boutique est gratuit.", ["paiement"]),
    ("EX-04", "Site responsive, conforme RGAA niveau AA sur les pages clés", "should",
     "Accueil, fiche produit et tunnel passent l'audit RGAA sans erreur bloquante.", ["integration", "vabf"]),
    ("EX-05", "Fiches produits rédigées et optimisées pour le référencement", "should",
     "Chaque fiche a un titre, une méta-description et au moins 150 mots.", ["fiches"]),
    ("EX-06", "Programme de fidélité", "wont",
     "Hors périmètre de cette version.", []),
]
APP_REQUIREMENTS = [
    ("EX-01", "Consultation des 40 itinéraires de randonnée", "must",
     "Chaque itinéraire affiche distance, dénivelé, durée et description.", ["api", "saisie"]),
    ("EX-02", "Carte utilisable hors connexion", "must",
     "En mode avion, la carte d'un itinéraire téléchargé s'affiche et suit la position.", ["carte"]),
    ("EX-03", "Disponible sur iOS et Android", "must",
     "L'application est publiée sur les deux stores et s'installe sur iOS 16 et Android 11.", ["app", "stores"]),
    ("EX-04", "Points d'intérêt et producteurs locaux", "should",
     "Les points d'intérêt apparaissent sur la carte avec horaires et contact.", ["api"]),
    ("EX-05", "Version anglaise", "could",
     "Tous les textes de l'interface existent en anglais.", ["app"]),
]
SEO_REQUIREMENTS = [
    ("EX-01", "Audit technique complet du site actuel", "must",
     "Le rapport liste chaque anomalie avec sa priorité et sa correction.", ["audit"]),
    ("EX-02", "Liste de 50 mots-clés prioritaires", "must",
     "Chaque mot-clé a son volume de recherche et la page visée.", ["mots_cles"]),
    ("EX-03", "Dix articles de blog optimisés", "should",
     "Chaque article fait au moins 800 mots et vise un mot-clé de la liste.", ["articles"]),
    ("EX-04", "Reporting mensuel des positions", "must",
     "Un rapport par mois, envoyé avant le 5, avec l'évolution des positions.", ["reporting"]),
]
# What version 2 adds (the draft the manager is writing now).
V2_ADDITIONS = {
    "DUR-ECOM": ("EX-07", "Coffrets cadeaux composables", "could",
                 "Le client compose un coffret de 3 à 6 produits et voit son prix en direct.", ["boutique"]),
    "OT-RANDO": ("EX-06", "Notifications des événements locaux", "could",
                 "Une notification annonce les événements du week-end aux utilisateurs qui l'acceptent.", ["app"]),
    "DUR-SEO": ("EX-05", "Fiches Google Business Profile", "should",
                "La fiche de la boutique est complète, avec horaires et photos.", ["netlinking"]),
}

SECTION_TEXTS = {
    "DUR-ECOM": {
        "presentation": "Maison Durand est une épicerie fine lyonnaise fondée en 1962 : produits régionaux, vins et cadeaux gourmands.",
        "objectifs": "Vendre en ligne dans toute la France : 80 commandes par mois au bout de six mois, panier moyen de 65 €.",
        "perimetre": "Boutique en ligne, paiement, livraison et retrait en boutique. Hors périmètre : marketplace, programme de fidélité.",
    },
    "OT-RANDO": {
        "presentation": "L'office de tourisme des Monts du Lyonnais promeut la randonnée et les producteurs locaux.",
        "objectifs": "5 000 téléchargements la première saison ; 30 % des visiteurs de l'office utilisent l'application.",
        "perimetre": "Application iOS et Android, API et back-office de saisie. Hors périmètre : réservation d'hébergements.",
    },
    "DUR-SEO": {
        "presentation": "Maison Durand veut être trouvée sur les requêtes « épicerie fine Lyon » et les produits régionaux.",
        "objectifs": "Entrer dans le top 5 sur 20 requêtes locales en trois mois ; doubler le trafic organique.",
        "perimetre": "Site actuel de la boutique, blog et fiche Google. Hors périmètre : publicité payante.",
    },
}


# --- loading -----------------------------------------------------------------------------


def demo_load(*, reset: bool = False) -> DemoSummary:
    """Load the demo. With `reset`, the demo organisation is deleted first and reloaded; without
    it, an existing demo is left as is. Refuses to touch accounts outside the demo organisation."""
    with transaction.atomic():
        existing = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
        _check_usernames_free(existing)
        if existing is not None and not reset:
            return _summary(existing, created=False)
        if existing is not None:
            existing.delete()
        organisation = _load(timezone.localdate())
        return _summary(organisation, created=True)


def _check_usernames_free(demo_org: Organisation | None) -> None:
    taken = User.objects.filter(username__in=DEMO_USERNAMES)
    if demo_org is not None:
        taken = taken.exclude(organisation=demo_org)
    names = sorted(taken.values_list("username", flat=True))
    if names:
        raise DemoConflictError(
            f"Les identifiants {', '.join(names)} existent déjà hors de l'organisation « {DEMO_ORGANISATION} » : "
            "renommez ces comptes avant de charger la démo."
        )


def _load(today: dt.date) -> Organisation:
    organisation = Organisation.objects.create(
        name=DEMO_ORGANISATION,
        address="12 rue Mercière\n69002 Lyon",
        siret="81234567800027",
        vat_number="FR32812345678",
    )
    skills = ensure_skills(organisation, SKILL_CATEGORIES)
    durand = Client.objects.create(
        organisation=organisation, name="Maison Durand", contact_name="Sophie Durand",
        contact_email="sophie.durand@maison-durand.example", address="8 place des Célestins\n69002 Lyon",
        siret="39876543200019",
    )
    office = Client.objects.create(
        organisation=organisation, name="Office de tourisme des Monts du Lyonnais", contact_name="Marc Lefèvre",
        contact_email="m.lefevre@monts-du-lyonnais.example", address="Place de la Mairie\n69850 Saint-Martin-en-Haut",
    )
    users = _create_users(organisation, durand, office)
    people = _create_people(organisation, users, skills)
    _create_absences(people, today)
    specs = [
        ("DUR-ECOM", "Boutique en ligne Maison Durand", Project.Type.SITE_ECOMMERCE, durand, _monday(today, -3),
         Project.Status.IN_PROGRESS, 4, ECOM, ECOM_REQUIREMENTS,
         ["Claire", "Julien", "Inès", "Thomas", "Camille", "Léa", "Nicolas"], Decimal("38000"), Decimal("62")),
        ("DUR-SEO", "Référencement naturel Maison Durand", Project.Type.SEO, durand, _monday(today, -1),
         Project.Status.IN_PROGRESS, 2, SEO, SEO_REQUIREMENTS, ["Claire", "Nicolas", "Camille"],
         Decimal("11000"), Decimal("20")),
        ("OT-RANDO", "Application mobile Randonnées des Monts du Lyonnais", Project.Type.APPLICATION_MOBILE, office,
         _monday(today, 1), Project.Status.PLANNED, 3, APP, APP_REQUIREMENTS,
         ["Claire", "Inès", "Julien", "Thomas", "Hugo", "Nicolas"], Decimal("45000"), Decimal("65")),
    ]
    all_tasks: dict[str, Task] = {}
    portfolio_links: list[tuple[str, str, str, int]] = []
    for code, name, kind, client, monday, status, priority, breakdown, requirements, members, budget, days in specs:
        start = _working_day_on_or_after(monday)
        project = Project.objects.create(
            organisation=organisation, client=client, name=name, code=code, project_type=kind, status=status,
            manager=users["chef"], start_date=start, deadline=start + dt.timedelta(weeks=16 if kind != "seo" else 14),
            budget_amount=budget, sold_days=days, priority=priority,
            description=SECTION_TEXTS[code]["objectifs"],
        )
        ProjectMember.objects.bulk_create(ProjectMember(project=project, person=people[m]) for m in members)
        tasks = _create_breakdown(project, breakdown, skills, all_tasks, portfolio_links)
        _create_spec(project, tasks, requirements, users, client_user=users["client" if client == durand else "client2"])
        _create_deliverables(project, tasks)
    for predecessor, successor, kind, lag in portfolio_links:
        _link(all_tasks[predecessor], all_tasks[successor], kind, lag)
    _assign_and_progress(all_tasks, people, today)
    return organisation


def _create_users(organisation: Organisation, durand: Client, office: Client) -> dict[str, User]:
    rows = [
        ("admin", User.Role.ADMIN, "Alice", "Bernard", None),
        ("chef", User.Role.MANAGER, "Claire", "Martin", None),
        ("dev", User.Role.MEMBER, "Thomas", "Girard", None),
        ("client", User.Role.CLIENT, "Sophie", "Durand", durand),
        ("client2", User.Role.CLIENT, "Marc", "Lefèvre", office),
    ]
    users: dict[str, User] = {}
    for username, role, first, last, client in rows:
        user = User(
            username=username, organisation=organisation, role=role, client=client, first_name=first, last_name=last,
            email=f"{username}@pixel-plume.example" if client is None else (client.contact_email or ""),
            is_staff=role == User.Role.ADMIN, is_superuser=role == User.Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users[username] = user
    return users


def _create_people(organisation: Organisation, users: dict[str, User], skills: dict[str, Skill]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for first, last, job, rate, cost, capacity, login, levels in PEOPLE:
        person = Person.objects.create(
            organisation=organisation, user=users.get(login), first_name=first, last_name=last, job_title=job,
            email=f"{first.lower()}@pixel-plume.example".replace("è", "e").replace("é", "e"),
            daily_rate=Decimal(rate), daily_cost=Decimal(cost), capacity=Decimal(capacity),
        )
        PersonSkill.objects.bulk_create(
            PersonSkill(person=person, skill=skills[name], level=level) for name, level in levels.items()
        )
        people[first] = person
    return people


def _create_absences(people: dict[str, Person], today: dt.date) -> None:
    rows = [
        ("Julien", _monday(today, 2), 4, Absence.Kind.PAID_LEAVE, "Vacances"),
        ("Inès", _monday(today, 1) + dt.timedelta(days=2), 0, Absence.Kind.RTT, ""),
        ("Camille", _monday(today, 3) + dt.timedelta(days=3), 1, Absence.Kind.TRAINING, "Formation accessibilité RGAA"),
        ("Hugo", _monday(today, 6), 9, Absence.Kind.PAID_LEAVE, "Congés d'été"),
        ("Nicolas", _monday(today, -1) + dt.timedelta(days=1), 1, Absence.Kind.SICK, ""),
        ("Thomas", _monday(today, 4) + dt.timedelta(days=4), 0, Absence.Kind.OTHER, "Déménagement"),
    ]
    Absence.objects.bulk_create(
        Absence(person=people[who], start=start, end=start + dt.timedelta(days=length), kind=kind, note=note,
                start_afternoon=who == "Thomas")
        for who, start, length, kind, note in rows
    )


def _create_breakdown(
    project: Project,
    breakdown: list[tuple[str, list[TaskRow]]],
    skills: dict[str, Skill],
    all_tasks: dict[str, Task],
    portfolio_links: list[tuple[str, str, str, int]],
) -> dict[str, Task]:
    """Phases, tasks, required skills and links inside the project. Links from another
    project's task ("CODE:key") go to `portfolio_links`, made once every project exists."""
    tasks: dict[str, Task] = {}
    order = 0
    pending_links: list[tuple[str, str, str, int]] = []
    for phase_order, (phase_name, rows) in enumerate(breakdown, start=1):
        phase = Phase.objects.create(project=project, name=phase_name, order=phase_order)
        for key, name, effort, needs, predecessors in rows:
            order += 1
            milestone = Decimal(effort) == 0 and not needs
            task = Task.objects.create(
                project=project, phase=phase, name=name, order=order, effort_days=Decimal(effort),
                is_milestone=milestone, priority=project.priority,
                deadline=project.deadline if key == "en_ligne" else None,
            )
            tasks[key] = all_tasks[f"{project.code}:{key}"] = task
            TaskSkill.objects.bulk_create(
                TaskSkill(task=task, skill=skills[skill], min_level=level) for skill, level in needs.items()
            )
            for pred, kind, lag in predecessors:
                if ":" in pred:
                    portfolio_links.append((pred, f"{project.code}:{key}", kind, lag))
                else:
                    pending_links.append((pred, key, kind, lag))
    for pred, succ, kind, lag in pending_links:
        _link(tasks[pred], tasks[succ], kind, lag)
    return tasks


def _link(predecessor: Task, successor: Task, kind: str, lag: int) -> None:
    link = Dependency(predecessor=predecessor, successor=successor, type=kind, lag_days=lag)
    link.full_clean()  # the demo obeys the same rules as users: no cycle, same organisation
    link.save()


def _create_spec(
    project: Project, tasks: dict[str, Task], requirements: list[tuple[str, str, str, str, list[str]]],
    users: dict[str, User], client_user: User,
) -> None:
    template = template_for(project.project_type)
    texts = SECTION_TEXTS[project.code]
    sections = [{"key": s.key, "title": s.title, "body": texts.get(s.key, s.body)} for s in template.spec_sections]
    spec = Spec.objects.create(project=project)
    validated_on = _working_day_on_or_after(project.start_date + dt.timedelta(days=3))
    v2_addition = V2_ADDITIONS[project.code]
    for number, rows in ((1, requirements), (2, [*requirements, v2_addition])):
        version = SpecVersion.objects.create(spec=spec, number=number, sections=sections, created_by=users["chef"])
        for index, (code, title, priority, criteria, keys) in enumerate(rows, start=1):
            requirement = Requirement.objects.create(
                version=version, code=code, title=title, priority=priority, acceptance_criteria=criteria, order=index
            )
            requirement.tasks.set([tasks[k] for k in keys])
        if number == 1:
            # Frozen last: requirements cannot be added to a validated version.
            version.status = SpecVersion.Status.VALIDATED
            version.submitted_at = _aware(project.start_date)
            version.validated_by = client_user
            version.validated_at = _aware(validated_on, 15)
            version.validation_comment = "Bon pour accord."
            version.save()


def _create_deliverables(project: Project, tasks: dict[str, Task]) -> None:
    names = {
        "maquettes_ok": "Maquettes validées",
        "pv_recette": "PV de recette signé",
        "en_ligne": "Mise en ligne",
        "audit_ok": "Rapport d'audit SEO",
        "bilan": "Bilan de la campagne",
    }
    # Acceptance and go-live cover every Must of the validated version.
    musts = list(Requirement.objects.filter(
        version__spec__project=project, version__number=1, priority=Requirement.Priority.MUST
    ))
    for key, name in names.items():
        if key in tasks:
            deliverable = Deliverable.objects.create(
                project=project, name=name, task=tasks[key], due_date=tasks[key].deadline
            )
            if key in ("pv_recette", "en_ligne", "bilan"):
                deliverable.requirements.set(musts)


def _assign_and_progress(tasks: dict[str, Task], people: dict[str, Person], today: dt.date) -> None:
    """Pinned assignees where the manager decided who does what, and progress of work already done."""
    pinned = [
        ("DUR-ECOM:kickoff", "Claire"), ("DUR-ECOM:besoins", "Claire"), ("DUR-ECOM:besoins", "Inès"),
        ("DUR-ECOM:cdc", "Claire"), ("DUR-ECOM:paiement", "Thomas"), ("DUR-ECOM:maquettes", "Julien"),
        ("DUR-SEO:kickoff", "Claire"), ("DUR-SEO:cdc", "Nicolas"), ("DUR-SEO:audit", "Nicolas"),
        ("OT-RANDO:kickoff", "Claire"), ("OT-RANDO:app", "Hugo"), ("OT-RANDO:api", "Thomas"),
    ]
    Assignment.objects.bulk_create(Assignment(task=tasks[t], person=people[p], pinned=True) for t, p in pinned)
    done = ["DUR-ECOM:kickoff", "DUR-ECOM:besoins", "DUR-ECOM:cdc", "DUR-ECOM:cdc_ok", "DUR-SEO:kickoff"]
    for key in done:
        task = tasks[key]
        task.progress, task.remaining_days = Decimal("100"), Decimal("0")
        task.save(update_fields=["progress", "remaining_days", "updated_at"])
    arbo = tasks["DUR-ECOM:arbo"]
    arbo.progress, arbo.remaining_days = Decimal("50"), Decimal("1")
    arbo.save(update_fields=["progress", "remaining_days", "updated_at"])


def _summary(organisation: Organisation, *, created: bool) -> DemoSummary:
    who = {
        "admin": "administrateur de l'agence (accès à /admin)",
        "chef": "cheffe de projet, pilote les trois projets",
        "dev": "développeur, membre de deux projets",
        "client": "client Maison Durand",
        "client2": "client Office de tourisme des Monts du Lyonnais",
    }
    users = {u.username: u for u in organisation.users.filter(username__in=DEMO_USERNAMES)}
    logins = [DemoLogin(name, str(users[name].get_role_display()), who[name]) for name in DEMO_USERNAMES if name in users]
    counts = {
        "clients": organisation.clients.count(),
        "projects": organisation.projects.count(),
        "people": organisation.people.count(),
        "skills": organisation.skills.count(),
        "tasks": Task.objects.filter(project__organisation=organisation).count(),
        "dependencies": Dependency.objects.filter(predecessor__project__organisation=organisation).count(),
        "absences": Absence.objects.filter(person__organisation=organisation).count(),
        "requirements": Requirement.objects.filter(version__spec__project__organisation=organisation).count(),
        "users": len(users),
    }
    return DemoSummary(organisation=organisation.name, created=created, logins=logins, counts=counts)
