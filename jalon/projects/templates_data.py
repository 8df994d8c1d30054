"""Starting templates per project type: the spec's sections and a starting breakdown.

Plain data, all editable once copied into a project. Efforts are in person-days (j/h), typical
of a small French agency; skill levels 1–5. A task's `after` names the keys of its
finish-to-start predecessors; `lag` (working days) applies to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Skill name -> category: the shared vocabulary of templates and demo data.
SKILL_CATEGORIES: dict[str, str] = {
    "Gestion de projet": "Pilotage",
    "UX design": "Design",
    "Design UI": "Design",
    "Intégration HTML/CSS": "Développement",
    "Développement front-end": "Développement",
    "Développement back-end": "Développement",
    "Développement mobile": "Développement",
    "E-commerce": "Développement",
    "Base de données": "Développement",
    "Administration système": "Technique",
    "Recette / tests": "Qualité",
    "SEO": "Marketing",
    "Rédaction web": "Contenus",
    "Marketing d'affiliation": "Marketing",
    "Data analyse": "Marketing",
}


@dataclass(frozen=True)
class SpecSectionTemplate:
    key: str
    title: str
    body: str  # a hint of what to write, shown as the section's first draft


@dataclass(frozen=True)
class TaskTemplate:
    key: str
    name: str
    effort_days: Decimal = Decimal("0")
    skills: tuple[tuple[str, int], ...] = ()  # (skill name, minimum level)
    milestone: bool = False
    after: tuple[str, ...] = ()
    lag: int = 0


@dataclass(frozen=True)
class PhaseTemplate:
    name: str
    tasks: tuple[TaskTemplate, ...]


@dataclass(frozen=True)
class ProjectTemplate:
    project_type: str
    spec_sections: tuple[SpecSectionTemplate, ...]
    phases: tuple[PhaseTemplate, ...]

    @property
    def tasks(self) -> tuple[TaskTemplate, ...]:
        return tuple(t for phase in self.phases for t in phase.tasks)

    @property
    def skill_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for t in self.tasks for name, _ in t.skills))


def _t(key: str, name: str, effort: str | int = 0, skills: tuple[tuple[str, int], ...] = (),
       after: tuple[str, ...] = (), lag: int = 0) -> TaskTemplate:
    return TaskTemplate(key, name, Decimal(str(effort)), skills, False, after, lag)


def _m(key: str, name: str, after: tuple[str, ...]) -> TaskTemplate:
    return TaskTemplate(key, name, Decimal("0"), (), True, after)


PM = ("Gestion de projet", 3)

COMMON_SECTIONS: tuple[SpecSectionTemplate, ...] = (
    SpecSectionTemplate("presentation", "Présentation du client", "Activité, historique, concurrents, interlocuteurs."),
    SpecSectionTemplate("objectifs", "Objectifs du projet", "Objectifs business et indicateurs mesurables."),
    SpecSectionTemplate("cibles", "Cibles et personas", "Qui utilisera le service, avec quels besoins."),
    SpecSectionTemplate("perimetre", "Périmètre", "Ce qui est inclus et ce qui ne l'est pas."),
    SpecSectionTemplate("fonctionnalites", "Arborescence et fonctionnalités attendues", "Pages, parcours, user stories."),
    SpecSectionTemplate("contraintes", "Contraintes techniques", "Hébergement, CMS/stack, compatibilité, accessibilité RGAA, RGPD, performance."),
    SpecSectionTemplate("design", "Charte graphique et design", "Charte existante, maquettes, wireframes attendus."),
    SpecSectionTemplate("contenus", "Contenus et référencement", "Qui rédige, langues, volumes, SEO."),
    SpecSectionTemplate("maintenance", "Hébergement, maintenance et formation", "TMA, garantie, formation des équipes."),
    SpecSectionTemplate("budget", "Budget et planning", "Enveloppe, dates clés, date limite."),
    SpecSectionTemplate("recette", "Livrables et modalités de recette", "Livrables attendus, VABF, VSR, PV de recette."),
)


def _sections(*extra: SpecSectionTemplate) -> tuple[SpecSectionTemplate, ...]:
    """The common sections with the type's own inserted before 'Budget et planning'."""
    at = [s.key for s in COMMON_SECTIONS].index("budget")
    return COMMON_SECTIONS[:at] + extra + COMMON_SECTIONS[at:]


def _cadrage(spec_days: int = 2) -> PhaseTemplate:
    return PhaseTemplate("Cadrage", (
        _t("kickoff", "Réunion de lancement", "0.5", (PM,)),
        _t("besoins", "Atelier de recueil des besoins", 1, (PM,), after=("kickoff",)),
        _t("cdc", "Rédaction du cahier des charges", spec_days, (PM,), after=("besoins",)),
        _m("cdc_ok", "Validation du cahier des charges", after=("cdc",)),
    ))


def _web_conception(wireframes: int) -> PhaseTemplate:
    return PhaseTemplate("Conception / UX", (
        _t("arbo", "Arborescence et parcours utilisateurs", 1, (("UX design", 3),), after=("cdc_ok",)),
        _t("wireframes", "Wireframes", wireframes, (("UX design", 3),), after=("arbo",)),
        _t("specs", "Spécifications fonctionnelles et techniques", 2, (PM, ("Développement back-end", 3)), after=("arbo",)),
    ))


def _design(mockups: int) -> PhaseTemplate:
    return PhaseTemplate("Design UI", (
        _t("maquettes", "Maquettes graphiques", mockups, (("Design UI", 3),), after=("wireframes",)),
        _m("maquettes_ok", "Validation des maquettes", after=("maquettes",)),
    ))


def _recette(days: int, after: tuple[str, ...]) -> PhaseTemplate:
    return PhaseTemplate("Recette", (
        _t("vabf", "Recette interne (VABF)", days, (("Recette / tests", 2),), after=after),
        _t("corrections", "Corrections des anomalies", days, (("Développement back-end", 2),), after=("vabf",)),
        _m("pv_recette", "PV de recette", after=("corrections",)),
    ))


def _mise_en_ligne(task: str = "Mise en production") -> PhaseTemplate:
    return PhaseTemplate("Mise en ligne", (
        _t("mep", task, 1, (("Administration système", 3),), after=("pv_recette",)),
        _m("en_ligne", "Mise en ligne", after=("mep",)),
    ))


def _suivi(name: str, days: int, skill: tuple[str, int]) -> PhaseTemplate:
    return PhaseTemplate("Suivi", (_t("suivi", name, days, (skill,), after=("en_ligne",), lag=5),))


TEMPLATES: dict[str, ProjectTemplate] = {
    "site_vitrine": ProjectTemplate(
        "site_vitrine",
        _sections(),
        (
            _cadrage(1),
            _web_conception(2),
            _design(4),
            PhaseTemplate("Développement / intégration", (
                _t("integration", "Intégration HTML/CSS", 4, (("Intégration HTML/CSS", 3),), after=("maquettes_ok",)),
                _t("cms", "Mise en place du CMS", 3, (("Développement back-end", 3),), after=("specs",)),
                _t("contenus", "Rédaction et saisie des contenus", 3, (("Rédaction web", 3),), after=("cms",)),
            )),
            _recette(1, ("integration", "contenus")),
            _mise_en_ligne(),
            _suivi("Suivi SEO et statistiques", 1, ("SEO", 2)),
        ),
    ),
    "site_ecommerce": ProjectTemplate(
        "site_ecommerce",
        _sections(
            SpecSectionTemplate("catalogue", "Catalogue, paiement et logistique", "Produits, déclinaisons, stocks, moyens de paiement, transporteurs, CGV."),
        ),
        (
            _cadrage(3),
            _web_conception(4),
            _design(8),
            PhaseTemplate("Développement / intégration", (
                _t("integration", "Intégration HTML/CSS", 8, (("Intégration HTML/CSS", 3),), after=("maquettes_ok",)),
                _t("boutique", "Paramétrage de la boutique et du catalogue", 6, (("E-commerce", 3),), after=("specs",)),
                _t("paiement", "Paiement en ligne et transporteurs", 4, (("Développement back-end", 4),), after=("boutique",)),
                _t("import", "Import des fiches produits", 3, (("E-commerce", 2),), after=("boutique",)),
            )),
            _recette(3, ("integration", "paiement", "import")),
            _mise_en_ligne(),
            _suivi("Suivi des ventes et du référencement", 2, ("Data analyse", 2)),
        ),
    ),
    "application_mobile": ProjectTemplate(
        "application_mobile",
        _sections(
            SpecSectionTemplate("plateformes", "Plateformes et publication", "iOS, Android, versions minimales, comptes App Store et Google Play."),
        ),
        (
            _cadrage(3),
            _web_conception(5),
            _design(8),
            PhaseTemplate("Développement", (
                _t("api", "API et back-office", 10, (("Développement back-end", 3),), after=("specs",)),
                _t("app", "Développement de l'application", 15, (("Développement mobile", 3),), after=("maquettes_ok",)),
                _t("notifs", "Notifications et analytics", 3, (("Développement mobile", 3),), after=("app",)),
            )),
            _recette(4, ("app", "api", "notifs")),
            _mise_en_ligne("Publication sur les stores"),
            _suivi("Suivi des avis et des versions", 2, ("Développement mobile", 2)),
        ),
    ),
    "base_de_donnees": ProjectTemplate(
        "base_de_donnees",
        _sections(
            SpecSectionTemplate("donnees", "Modèle de données et reprise de l'existant", "Entités, volumes, sources à migrer, droits d'accès."),
        ),
        (
            _cadrage(2),
            PhaseTemplate("Conception", (
                _t("modele", "Modélisation des données", 3, (("Base de données", 4),), after=("cdc_ok",)),
                _t("specs", "Spécifications des écrans et des droits", 2, (PM,), after=("cdc_ok",)),
            )),
            PhaseTemplate("Développement", (
                _t("schema", "Création du schéma et des accès", 4, (("Base de données", 3),), after=("modele",)),
                _t("ecrans", "Écrans de saisie et de recherche", 6, (("Développement back-end", 3),), after=("schema", "specs")),
                _t("reprise", "Reprise des données existantes", 4, (("Base de données", 3),), after=("schema",)),
            )),
            _recette(2, ("ecrans", "reprise")),
            _mise_en_ligne(),
            _suivi("Formation des utilisateurs", 1, PM),
        ),
    ),
    "seo": ProjectTemplate(
        "seo",
        _sections(
            SpecSectionTemplate("existant", "Audit de l'existant et mots-clés", "Positions actuelles, trafic, concurrents, requêtes visées."),
        ),
        (
            _cadrage(1),
            PhaseTemplate("Audit", (
                _t("audit_tech", "Audit technique SEO", 3, (("SEO", 3),), after=("cdc_ok",)),
                _t("mots_cles", "Étude des mots-clés", 2, (("SEO", 3),), after=("cdc_ok",)),
                _m("audit_ok", "Restitution de l'audit", after=("audit_tech", "mots_cles")),
            )),
            PhaseTemplate("Optimisation", (
                _t("corrections_tech", "Corrections techniques", 4, (("Développement back-end", 3),), after=("audit_ok",)),
                _t("redaction", "Rédaction et optimisation des contenus", 6, (("Rédaction web", 3),), after=("audit_ok",)),
                _t("netlinking", "Campagne de netlinking", 3, (("SEO", 3),), after=("redaction",)),
            )),
            PhaseTemplate("Suivi", (
                _t("reporting", "Reporting mensuel des positions", 2, (("SEO", 2),), after=("corrections_tech", "netlinking")),
                _m("bilan", "Bilan de la campagne", after=("reporting",)),
            )),
        ),
    ),
    "brand_content": ProjectTemplate(
        "brand_content",
        _sections(
            SpecSectionTemplate("ligne", "Ligne éditoriale", "Ton, messages clés, formats, canaux de diffusion."),
        ),
        (
            _cadrage(1),
            PhaseTemplate("Conception", (
                _t("ligne", "Ligne éditoriale et calendrier", 2, (("Rédaction web", 4),), after=("cdc_ok",)),
                _m("ligne_ok", "Validation de la ligne éditoriale", after=("ligne",)),
            )),
            PhaseTemplate("Production", (
                _t("textes", "Rédaction des contenus", 6, (("Rédaction web", 3),), after=("ligne_ok",)),
                _t("visuels", "Création des visuels", 5, (("Design UI", 3),), after=("ligne_ok",)),
                _m("contenus_ok", "Validation des contenus", after=("textes", "visuels")),
            )),
            PhaseTemplate("Diffusion et suivi", (
                _t("diffusion", "Publication et diffusion", 2, (("Rédaction web", 2),), after=("contenus_ok",)),
                _t("bilan", "Bilan des performances", 1, (("Data analyse", 2),), after=("diffusion",), lag=10),
            )),
        ),
    ),
    "affiliation": ProjectTemplate(
        "affiliation",
        _sections(
            SpecSectionTemplate("affilies", "Réseau d'affiliés et rémunération", "Plateforme, commissions, règles de validation des ventes."),
        ),
        (
            _cadrage(1),
            PhaseTemplate("Mise en place", (
                _t("plateforme", "Choix et paramétrage de la plateforme", 2, (("Marketing d'affiliation", 3),), after=("cdc_ok",)),
                _t("tracking", "Pose du tracking", 2, (("Développement front-end", 3),), after=("plateforme",)),
                _t("kit", "Kit média des affiliés", 3, (("Design UI", 3),), after=("plateforme",)),
                _m("lancement", "Lancement du programme", after=("tracking", "kit")),
            )),
            PhaseTemplate("Animation", (
                _t("recrutement", "Recrutement des affiliés", 4, (("Marketing d'affiliation", 3),), after=("lancement",)),
                _t("reporting", "Reporting des ventes", 2, (("Data analyse", 2),), after=("recrutement",)),
            )),
        ),
    ),
    "other": ProjectTemplate(
        "other",
        COMMON_SECTIONS,
        (
            _cadrage(1),
            PhaseTemplate("Réalisation", (
                _t("realisation", "Réalisation", 5, (), after=("cdc_ok",)),
            )),
            PhaseTemplate("Recette", (
                _t("vabf", "Recette", 1, (("Recette / tests", 2),), after=("realisation",)),
                _m("pv_recette", "PV de recette", after=("vabf",)),
            )),
        ),
    ),
}


def template_for(project_type: str) -> ProjectTemplate:
    """The template of a project type; unknown types get the generic one."""
    return TEMPLATES.get(project_type, TEMPLATES["other"])
