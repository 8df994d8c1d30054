"""Request and response shapes of the REST API (Pydantic, via django-ninja), which make the
OpenAPI schema. Inputs are bounded so that no value the schema accepts can crash the database:
ids fit a 64-bit integer, texts hold no NUL character (PostgreSQL refuses them), decimals fit
their column, dates stay within calendars the planner can compute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import TextChoices
from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from jalon.jobs.models import JobProgress
from jalon.people.models import Absence
from jalon.planning.models import PlanRun
from jalon.projects.models import Deliverable, Dependency, Project
from jalon.specs.models import Requirement, SpecVersion

MAX_ID = 2**63 - 1  # BIGINT, on SQLite and PostgreSQL alike
NO_NUL = r"^[^\x00]*$"
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


def choice(choices: type[TextChoices]) -> Any:
    """A Literal of the choices' stored values: an inline enum in the schema."""
    return Literal[tuple(choices.values)]  # type: ignore[valid-type]


def _within_calendars(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"date hors de la plage gérée ({FIRST_DAY:%d/%m/%Y} – {LAST_DAY:%d/%m/%Y})")
    return day


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, AfterValidator(_within_calendars)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NO_NUL)]
Code = Annotated[str, StringConstraints(max_length=20, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(max_length=20_000, pattern=NO_NUL)]
SearchText = Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)]
Priority = Annotated[int, Field(ge=1, le=5)]
Days = Annotated[Decimal, Field(ge=0, max_digits=7, decimal_places=2)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
SoldDays = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
LagDays = Annotated[int, Field(ge=-1000, le=1000)]

ProjectType = choice(Project.Type)
ProjectStatus = choice(Project.Status)
LinkType = choice(Dependency.Type)
AbsenceKind = choice(Absence.Kind)
Note = Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)]


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


# --- who am I --------------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    organisation_id: int | None
    client_id: int | None
    can_see_costs: bool


# --- projects --------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    project_type: ProjectType
    status: ProjectStatus
    client_id: int | None
    manager_id: int | None
    start_date: dt.date
    deadline: dt.date | None
    priority: int
    description: str
    version: int = Field(description="À renvoyer tel quel dans une modification (verrouillage optimiste).")
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectWithCostsOut(ProjectOut):
    """For the agency's people: the budget and sold days, never shown to clients."""

    budget_amount: Decimal | None
    sold_days: Decimal | None


class ProjectCreate(Schema):
    name: Name
    code: Code = ""
    project_type: ProjectType = Project.Type.OTHER.value
    status: ProjectStatus = Project.Status.DRAFT.value
    client_id: Id | None = None
    manager_id: Id | None = Field(None, description="Par défaut : vous, si vous êtes chef de projet.")
    start_date: Day
    deadline: Day | None = None
    budget_amount: Money | None = None
    sold_days: SoldDays | None = None
    priority: Priority = 3
    description: LongText = ""
    with_template: bool = Field(True, description="Ajouter le découpage de départ du type de projet.")


class ProjectUpdate(Schema):
    """Only the fields sent change; `version` is the one read with the project."""

    version: Id
    name: Name | None = None
    code: Code | None = None
    project_type: ProjectType | None = None
    status: ProjectStatus | None = None
    client_id: Id | None = None
    manager_id: Id | None = None
    start_date: Day | None = None
    deadline: Day | None = None
    budget_amount: Money | None = None
    sold_days: SoldDays | None = None
    priority: Priority | None = None
    description: LongText | None = None


class ProjectFilters(Schema):
    status: ProjectStatus | None = None
    type: ProjectType | None = None
    client: Id | None = Field(None, description="Identifiant du client.")
    q: SearchText | None = Field(None, description="Recherche dans le nom et le code.")


# --- breakdown -------------------------------------------------------------------------------


class PhaseOut(Schema):
    id: int
    project_id: int
    name: str
    order: int
    parent_id: int | None


class PhaseCreate(Schema):
    name: Name
    parent_id: Id | None = None


class PhaseUpdate(Schema):
    name: Name | None = None
    parent_id: Id | None = None


class TaskOut(Schema):
    id: int
    project_id: int
    phase_id: int | None
    name: str
    order: int
    effort_days: Decimal
    duration_days: Decimal | None
    is_milestone: bool
    start_no_earlier_than: dt.date | None
    deadline: dt.date | None
    pinned_start: dt.date | None
    priority: int
    description: str
    start: dt.date | None = Field(description="Écrit par le planificateur.")
    finish: dt.date | None = Field(description="Écrit par le planificateur.")
    progress: Decimal | None
    remaining_days: Decimal | None
    assignee_ids: list[int]
    version: int


class TaskFields(Schema):
    phase_id: Id | None = None
    order: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    effort_days: Days | None = None
    duration_days: Days | None = None
    is_milestone: bool | None = None
    start_no_earlier_than: Day | None = None
    deadline: Day | None = None
    pinned_start: Day | None = None
    priority: Priority | None = None
    description: LongText | None = None


class TaskCreate(TaskFields):
    name: Name


class TaskUpdate(TaskFields):
    version: Id
    name: Name | None = None
    progress: Percent | None = None
    remaining_days: Days | None = None


class TaskFilters(Schema):
    phase: Id | None = Field(None, description="Identifiant de la phase.")
    milestone: bool | None = Field(None, description="true : les jalons seuls ; false : sans les jalons.")


class DependencyOut(Schema):
    id: int
    predecessor_id: int
    successor_id: int
    type: LinkType
    lag_days: int


class DependencyCreate(Schema):
    predecessor_id: Id
    successor_id: Id
    type: LinkType = Dependency.Type.FS.value
    lag_days: LagDays = 0


class DeliverableOut(Schema):
    id: int
    project_id: int
    name: str
    description: str
    task_id: int | None = Field(description="La tâche ou le jalon qui le produit.")
    due_date: dt.date | None
    status: str = Field(description="planned, delivered, accepted (recette du client) ou rejected.")
    requirement_ids: list[int] = Field(description="Les exigences du cahier des charges qu'il couvre.")


class DeliverableCreate(Schema):
    name: Name
    description: LongText = ""
    task_id: Id | None = None
    due_date: Day | None = None


class DeliverableUpdate(Schema):
    name: Name | None = None
    description: LongText | None = None
    task_id: Id | None = None
    due_date: Day | None = None


# --- team and clients ------------------------------------------------------------------------


class PeopleFilters(Schema):
    skill: Id | None = Field(None, description="Seulement les personnes ayant cette compétence.")
    active: bool | None = Field(None, description="true : les personnes actives seulement.")
    q: SearchText | None = Field(None, description="Recherche dans le nom et le métier.")


class HeldSkillOut(Schema):
    skill_id: int
    name: str
    level: int


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    job_title: str
    email: str
    capacity: Decimal
    active: bool
    skills: list[HeldSkillOut]


class PersonWithRatesOut(PersonOut):
    """For admins and managers: what the person is sold and costs a day."""

    daily_rate: Decimal
    daily_cost: Decimal


class AbsenceOut(Schema):
    id: int
    person_id: int
    kind: str
    start: dt.date
    end: dt.date
    start_afternoon: bool
    end_morning: bool
    note: str


class AbsenceCreate(Schema):
    start: Day = Field(description="Premier jour d'absence.")
    end: Day = Field(description="Dernier jour d'absence (inclus).")
    kind: AbsenceKind = Absence.Kind.PAID_LEAVE.value
    start_afternoon: bool = Field(False, description="Le premier jour, seul l'après-midi est posé.")
    end_morning: bool = Field(False, description="Le dernier jour, seul le matin est posé.")
    note: Note = ""


class AbsenceUpdate(Schema):
    start: Day | None = None
    end: Day | None = None
    kind: AbsenceKind | None = None
    start_afternoon: bool | None = None
    end_morning: bool | None = None
    note: Note | None = None


class SkillOut(Schema):
    id: int
    name: str
    category: str


class ClientOut(Schema):
    id: int
    name: str
    contact_name: str
    contact_email: str


# --- cahier des charges ----------------------------------------------------------------------


class SpecSection(Schema):
    key: str
    title: str
    body: str


class SpecVersionOut(Schema):
    number: int
    status: choice(SpecVersion.Status)  # type: ignore[valid-type]
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None


class SpecVersionDetailOut(SpecVersionOut):
    validation_comment: str
    sections: list[SpecSection]


class RequirementOut(Schema):
    id: int
    code: str
    title: str
    description: str
    priority: choice(Requirement.Priority)  # type: ignore[valid-type]
    acceptance_criteria: str
    order: int
    task_ids: list[int]


# --- planning and jobs -----------------------------------------------------------------------


class PlanQuery(Schema):
    method: choice(PlanRun.Method) = PlanRun.Method.HEURISTIC.value  # type: ignore[valid-type]
    time_limit: Annotated[int, Field(ge=1, le=600)] = Field(
        10, description="Secondes accordées à l'optimisation (method=optimize)."
    )


class PlannedTaskOut(Schema):
    id: int
    name: str
    start: dt.date | None
    finish: dt.date | None
    assignee_ids: list[int]


class AssignmentOut(Schema):
    person_id: int
    full_name: str
    pinned: bool = Field(description="Imposé par le chef de projet : le planificateur le garde.")


class PlanOut(Schema):
    run_id: int
    method: str
    outcome: choice(PlanRun.Outcome)  # type: ignore[valid-type]
    saved: bool = Field(description="false : rien n'a été enregistré, `reasons` dit pourquoi.")
    reasons: list[str]
    makespan_days: int | None
    finish_date: dt.date | None
    lateness_days: int | None
    seconds: float
    project_ids: list[int] = Field(description="Les projets planifiés ensemble (ressources partagées).")
    tasks: list[PlannedTaskOut] = Field(description="Les tâches du projet demandé, avec leurs dates.")


class JobOut(Schema):
    id: int
    kind: str
    project_id: int | None
    status: choice(JobProgress.Status)  # type: ignore[valid-type]
    percent: int
    message: str
    result: dict[str, Any]
    progress_url: str
    created_at: dt.datetime
    updated_at: dt.datetime
