"""Clients, projects and their breakdown: phases, tasks, dependencies, deliverables."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import (
    PERSON_OF_OTHER_ORGANISATION,
    SKILL_OF_OTHER_ORGANISATION,
    Organisation,
    require_same_organisation,
    siret_validator,
)
from jalon.engine.graph import find_cycle
from jalon.people.models import LEVEL_VALIDATORS, Person, Skill

PRIORITY_VALIDATORS = [
    MinValueValidator(1, _("La priorité va de 1 (basse) à 5 (haute).")),
    MaxValueValidator(5, _("La priorité va de 1 (basse) à 5 (haute).")),
]


def _date(value: object) -> str:
    return f"{value:%d/%m/%Y}"


class Client(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="clients"
    )
    name = models.CharField(_("raison sociale"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    address = models.TextField(_("adresse"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[siret_validator])

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="client_unique_name_per_organisation",
                violation_error_message=_("Un client de ce nom existe déjà dans l'organisation."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    class Type(models.TextChoices):
        SITE_VITRINE = "site_vitrine", _("Site vitrine")
        SITE_ECOMMERCE = "site_ecommerce", _("Site e-commerce")
        APPLICATION_MOBILE = "application_mobile", _("Application mobile")
        BASE_DE_DONNEES = "base_de_donnees", _("Base de données")
        SEO = "seo", _("Référencement (SEO)")
        BRAND_CONTENT = "brand_content", _("Brand content / création de contenu")
        AFFILIATION = "affiliation", _("Programme d'affiliation")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PLANNED = "planned", _("Planifié")
        IN_PROGRESS = "in_progress", _("En cours")
        ON_HOLD = "on_hold", _("En pause")
        DONE = "done", _("Terminé")
        CANCELLED = "cancelled", _("Annulé")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="projects"
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        # RESTRICT, not PROTECT: deleting the organisation deletes its clients and projects together.
        on_delete=models.RESTRICT,
        related_name="projects",
        null=True,
        blank=True,
        help_text=_("Vide pour un projet interne."),
    )
    name = models.CharField(_("nom"), max_length=200)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("Court et unique dans l'organisation, par exemple DUR-ECOM.")
    )
    project_type = models.CharField(_("type de projet"), max_length=30, choices=Type.choices, default=Type.OTHER)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chef de projet"),
        on_delete=models.SET_NULL,
        related_name="managed_projects",
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("date de début"))
    deadline = models.DateField(_("date limite"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget (€ HT)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("Le budget ne peut pas être négatif."))],
    )
    sold_days = models.DecimalField(
        _("jours vendus (j/h)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("Le nombre de jours vendus ne peut pas être négatif."))],
    )
    priority = models.PositiveSmallIntegerField(_("priorité"), default=3, validators=PRIORITY_VALIDATORS)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-priority", "start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="project_unique_code_per_organisation",
                violation_error_message=_("Ce code de projet est déjà utilisé dans l'organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}" if self.code else self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.deadline and self.deadline < self.start_date:
            errors["deadline"] = _("La date limite (%(deadline)s) précède la date de début (%(start)s).") % {
                "deadline": _date(self.deadline),
                "start": _date(self.start_date),
            }
        if self.client_id and self.organisation_id and self.client.organisation_id != self.organisation_id:
            errors["client"] = _("Le client « %(client)s » appartient à une autre organisation.") % {"client": self.client}
        if self.manager_id and self.organisation_id and self.manager.organisation_id != self.organisation_id:
            errors["manager"] = _("Le chef de projet « %(user)s » appartient à une autre organisation.") % {
                "user": self.manager
            }
        if errors:
            raise ValidationError(errors)


class ProjectMember(models.Model):
    """A person staffed on a project: they see it even before being assigned to a task."""

    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membre du projet")
        verbose_name_plural = _("membres du projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"],
                name="projectmember_unique_pair",
                violation_error_message=_("Ce collaborateur est déjà membre du projet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.project}"

    def clean(self) -> None:
        if self.project_id and self.person_id:
            require_same_organisation("person", self.person, self.project.organisation_id, PERSON_OF_OTHER_ORGANISATION, "person")


class Phase(models.Model):
    """A WBS node (lot / phase); `parent` makes sub-phases."""

    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("nom"), max_length=200)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("phase parente"),
        on_delete=models.CASCADE,
        related_name="children",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.project_id != self.project_id:
            raise ValidationError({"parent": _("La phase parente doit appartenir au même projet.")})
        ancestor: Phase | None = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Une phase ne peut pas être sa propre sous-phase.")})
            ancestor = ancestor.parent


class Task(models.Model):
    """A task (tâche). Effort in person-days, or a fixed duration in working days; a milestone
    (jalon) has neither. `start`/`finish` are written by the planner, never typed in."""

    project = models.ForeignKey(Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.SET_NULL, related_name="tasks", null=True, blank=True
    )
    name = models.CharField(_("nom"), max_length=200)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    effort_days = models.DecimalField(
        _("charge (j/h)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        # No field validator: clean() gives the message naming the task, and the constraint
        # below guards the database.
    )
    duration_days = models.DecimalField(
        _("durée fixe (jours ouvrés)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("À renseigner seulement si la durée ne dépend pas des personnes affectées."),
    )
    is_milestone = models.BooleanField(_("jalon"), default=False)
    start_no_earlier_than = models.DateField(_("début au plus tôt le"), null=True, blank=True)
    deadline = models.DateField(_("fin au plus tard le"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priorité"), default=3, validators=PRIORITY_VALIDATORS)
    description = models.TextField(_("description"), blank=True)
    pinned_start = models.DateField(_("début imposé"), null=True, blank=True)
    start = models.DateField(_("début planifié"), null=True, blank=True)
    finish = models.DateField(_("fin planifiée"), null=True, blank=True)
    progress = models.DecimalField(
        _("avancement (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("L'avancement va de 0 à 100 %%.")),
            MaxValueValidator(Decimal("100"), _("L'avancement va de 0 à 100 %%.")),
        ],
    )
    remaining_days = models.DecimalField(
        _("reste à faire (j/h)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), _("Le reste à faire ne peut pas être négatif."))],
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["project", "order", "pk"]
        indexes = [models.Index(fields=["project", "order"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effort_days__gte=0),
                name="task_effort_not_negative",
                violation_error_message=_("La charge ne peut pas être négative."),
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True) | models.Q(duration_days__gte=0),
                name="task_duration_not_negative",
                violation_error_message=_("La durée ne peut pas être négative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.effort_days is not None and self.effort_days < 0:
            errors["effort_days"] = _("La charge de « %(task)s » ne peut pas être négative (%(effort)s j/h).") % {
                "task": self.name,
                "effort": self.effort_days,
            }
        if self.duration_days is not None and self.duration_days < 0:
            errors["duration_days"] = _("La durée de « %(task)s » ne peut pas être négative.") % {"task": self.name}
        if self.start_no_earlier_than and self.deadline and self.start_no_earlier_than > self.deadline:
            errors["deadline"] = _(
                "« %(task)s » : la date limite (%(deadline)s) précède le début au plus tôt (%(snet)s)."
            ) % {"task": self.name, "deadline": _date(self.deadline), "snet": _date(self.start_no_earlier_than)}
        if self.is_milestone and ((self.effort_days or 0) > 0 or (self.duration_days or 0) > 0):
            errors["is_milestone"] = _("Un jalon n'a ni charge ni durée : mettez-les à 0 ou décochez « jalon ».")
        if self.phase_id and self.project_id and self.phase.project_id != self.project_id:
            errors["phase"] = _("La phase « %(phase)s » appartient à un autre projet.") % {"phase": self.phase}
        if self.start and self.finish and self.finish < self.start:
            errors["finish"] = _("La fin planifiée précède le début planifié.")
        if errors:
            raise ValidationError(errors)


class TaskSkill(models.Model):
    """A skill a task needs: `headcount` people holding it at `min_level` or above."""

    task = models.ForeignKey(Task, verbose_name=_("tâche"), on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, verbose_name=_("compétence"), on_delete=models.CASCADE, related_name="+")
    min_level = models.PositiveSmallIntegerField(_("niveau minimum"), default=1, validators=LEVEL_VALIDATORS)
    headcount = models.PositiveSmallIntegerField(
        _("nombre de personnes"), default=1, validators=[MinValueValidator(1, _("Il faut au moins une personne."))]
    )

    class Meta:
        verbose_name = _("compétence requise")
        verbose_name_plural = _("compétences requises")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "skill"],
                name="taskskill_unique_pair",
                violation_error_message=_("Cette compétence est déjà demandée pour la tâche."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level} × {self.headcount}"

    def clean(self) -> None:
        if self.task_id and self.skill_id:
            require_same_organisation("skill", self.skill, self.task.project.organisation_id, SKILL_OF_OTHER_ORGANISATION, "skill")


class Assignment(models.Model):
    """A person on a task: chosen by the planner, or fixed by the manager when `pinned`."""

    task = models.ForeignKey(Task, verbose_name=_("tâche"), on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        Person, verbose_name=_("collaborateur"), on_delete=models.CASCADE, related_name="assignments"
    )
    pinned = models.BooleanField(_("imposé"), default=False)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "person"],
                name="assignment_unique_pair",
                violation_error_message=_("Ce collaborateur est déjà affecté à la tâche."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.task}"

    def clean(self) -> None:
        if self.task_id and self.person_id:
            require_same_organisation("person", self.person, self.task.project.organisation_id, PERSON_OF_OTHER_ORGANISATION, "person")


class Dependency(models.Model):
    """A link between two tasks, possibly of two projects of the same organisation (portfolio)."""

    class Type(models.TextChoices):
        FS = "FS", _("Fin → Début")
        SS = "SS", _("Début → Début")
        FF = "FF", _("Fin → Fin")
        SF = "SF", _("Début → Fin")

    predecessor = models.ForeignKey(
        Task, verbose_name=_("tâche précédente"), on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Task, verbose_name=_("tâche suivante"), on_delete=models.CASCADE, related_name="predecessor_links"
    )
    type = models.CharField(_("type"), max_length=2, choices=Type.choices, default=Type.FS)
    lag_days = models.IntegerField(
        _("décalage (jours ouvrés)"), default=0, help_text=_("Négatif pour une avance (chevauchement).")
    )

    class Meta:
        verbose_name = _("dépendance")
        verbose_name_plural = _("dépendances")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="dependency_unique_pair",
                violation_error_message=_("Ces deux tâches sont déjà liées."),
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="dependency_not_self",
                violation_error_message=_("Une tâche ne peut pas dépendre d'elle-même."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.type}{self.lag_days:+d})"

    def clean(self) -> None:
        if self.predecessor_id is None or self.successor_id is None:
            return  # the form already reports the missing field
        if self.predecessor_id == self.successor_id:
            raise ValidationError(
                {"successor": _("La tâche « %(task)s » ne peut pas dépendre d'elle-même.") % {"task": self.successor}}
            )
        organisation_id = self.predecessor.project.organisation_id
        if self.successor.project.organisation_id != organisation_id:
            raise ValidationError(
                _("« %(pred)s » et « %(succ)s » appartiennent à deux organisations différentes : "
                  "elles ne peuvent pas être liées.") % {"pred": self.predecessor, "succ": self.successor}
            )
        cycle = dependency_cycle(
            organisation_id=organisation_id,
            new_edges=[(self.predecessor_id, self.successor_id)],
            replacing=[self.pk] if self.pk else [],
        )
        if cycle:
            raise ValidationError(self.cycle_message(task_labels(cycle)), code="cycle")

    @staticmethod
    def cycle_message(labels: Sequence[str]) -> str:
        return _("Cycle de dépendances : %(cycle)s") % {"cycle": " → ".join(labels)}


def dependency_cycle(
    *,
    organisation_id: int,
    new_edges: Sequence[tuple[int, int]],
    replacing: Collection[int] = (),
) -> list[int] | None:
    """The cycle (task ids, first repeated last) that adding `new_edges` would close, or None.

    Loads the organisation's dependency edges in one query, because cycles may cross projects.
    `replacing` are pks of stored dependencies whose edges no longer count (being edited or
    deleted in the same submission)."""
    existing = Dependency.objects.filter(predecessor__project__organisation_id=organisation_id)
    if replacing:
        existing = existing.exclude(pk__in=list(replacing))
    edges = [*existing.values_list("predecessor_id", "successor_id"), *new_edges]
    cycle = find_cycle(edges)
    if cycle is None:
        return None
    # Start the message at the successor of a new link so it reads in the order of the work
    # and ends with the link just added: "A → B → C → A" when C → A is the new one.
    nodes = cycle[:-1]
    pairs = set(pairwise(cycle))
    for predecessor, successor in new_edges:
        if (predecessor, successor) in pairs:
            at = nodes.index(successor)
            nodes = nodes[at:] + nodes[:at]
            break
    return [*nodes, nodes[0]]


def task_labels(task_ids: list[int]) -> list[str]:
    """Task names for a message; prefixed by the project code when the tasks span projects."""
    rows = {
        pk: (name, code or project_name)
        for pk, name, code, project_name in Task.objects.filter(pk__in=task_ids).values_list(
            "pk", "name", "project__code", "project__name"
        )
    }
    several_projects = len({rows[pk][1] for pk in task_ids if pk in rows}) > 1
    return [
        (f"{rows[pk][1]} · {rows[pk][0]}" if several_projects else rows[pk][0]) if pk in rows else f"#{pk}"
        for pk in task_ids
    ]


class Deliverable(models.Model):
    """A deliverable (livrable), accepted by the client at acceptance (recette)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("À livrer")
        DELIVERED = "delivered", _("Livré")
        ACCEPTED = "accepted", _("Accepté")
        REJECTED = "rejected", _("Refusé")

    project = models.ForeignKey(
        Project, verbose_name=_("projet"), on_delete=models.CASCADE, related_name="deliverables"
    )
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    task = models.ForeignKey(
        Task,
        verbose_name=_("tâche"),
        on_delete=models.SET_NULL,
        related_name="deliverables",
        null=True,
        blank=True,
        help_text=_("La tâche ou le jalon qui produit ce livrable."),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    requirements = models.ManyToManyField(
        "specs.Requirement", verbose_name=_("exigences couvertes"), related_name="deliverables", blank=True
    )

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["project", "due_date", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.task_id and self.project_id and self.task.project_id != self.project_id:
            raise ValidationError({"task": _("La tâche « %(task)s » appartient à un autre projet.") % {"task": self.task}})
