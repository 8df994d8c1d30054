"""Why a plan is late or impossible, in French sentences that name tasks, people, skills and dates.

The engine reasons in time units and ids; the manager reads dates and names. Each function here
takes the mapped problem (names, calendar) and returns finished sentences, so a page only
lists them. Unknown engine reasons are kept, prefixed, rather than lost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from jalon.engine.cpm import CycleError, critical_path
from jalon.engine.graph import find_cycle
from jalon.engine.model import LinkType, Result, TaskSchedule
from jalon.engine.validate import Violation
from jalon.planning.mapping import MappedProblem, schedule_dates

MAX_CHAIN = 6  # tasks named in a driving chain; longer chains start with "…"


def fr_date(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def quoted(name: str) -> str:
    return f"« {name} »"


def name_list(names: list[str]) -> str:
    """'A', 'A et B', 'A, B et C'."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s et %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def working_days(count: int) -> str:
    return ngettext("%(n)d jour ouvré", "%(n)d jours ouvrés", count) % {"n": count}


# --------------------------------------------------------------------------- before solving


def cycle_reason(mapped: MappedProblem) -> str | None:
    """The dependency cycle, named task by task, or None."""
    cycle = find_cycle([(link.predecessor, link.successor) for link in mapped.problem.links])
    if not cycle:
        return None
    return _("Cycle de dépendances : %(cycle)s. Supprimez ou inversez l'un de ces liens, puis planifiez à nouveau.") % {
        "cycle": " → ".join(mapped.task_name(key) for key in cycle)
    }


def precheck_reasons(mapped: MappedProblem) -> list[str]:
    """Reasons no plan can exist whatever the dates: a skill too few people hold at the level
    asked, people pinned on a task they are not qualified for, more pins than seats."""
    reasons: list[str] = []
    people = mapped.problem.people
    for task in mapped.problem.tasks:
        for need in task.skills:
            holders = [p.name for p in people if p.level(need.skill) >= need.min_level]
            if len(holders) < need.count:
                reasons.append(_skill_shortage(task.name, need.skill, need.min_level, need.count, holders))
        if task.pinned_people and len(task.pinned_people) > task.headcount:
            reasons.append(
                _("%(task)s demande %(seats)s, mais %(people)s y sont imposés : retirez une affectation imposée.") % {
                    "task": quoted(task.name),
                    "seats": ngettext("%(n)d personne", "%(n)d personnes", task.headcount) % {"n": task.headcount},
                    "people": name_list([mapped.person_name(k) for k in task.pinned_people]),
                }
            )
            continue
        reasons.extend(_unqualified_pins(mapped, task))
    return reasons


def _skill_shortage(task: str, skill: str, level: int, count: int, holders: list[str]) -> str:
    asked = ngettext("%(n)d personne", "%(n)d personnes", count) % {"n": count}
    if not holders:
        who = _("personne dans l'équipe n'a ce niveau")
    elif len(holders) == 1:
        who = _("seul(e) %(name)s a ce niveau") % {"name": holders[0]}
    else:
        who = _("seules %(names)s ont ce niveau") % {"names": name_list(holders)}
    return _(
        "%(task)s demande %(asked)s en %(skill)s niveau ≥ %(level)d : %(who)s. "
        "Ajoutez la compétence à un collaborateur ou baissez le niveau demandé."
    ) % {"task": quoted(task), "asked": asked, "skill": skill, "level": level, "who": who}


def _unqualified_pins(mapped: MappedProblem, task) -> list[str]:  # type: ignore[no-untyped-def]
    """A pinned person must fill one of the task's seats: they need one of its skills."""
    reasons = []
    people = {p.id: p for p in mapped.problem.people}
    for key in task.pinned_people:
        if not any(people[key].level(n.skill) >= n.min_level for n in task.skills):
            needs = name_list([f"{n.skill} ≥ {n.min_level}" for n in task.skills])
            reasons.append(
                _("%(person)s est imposé(e) sur %(task)s mais n'a pas le niveau demandé (%(needs)s).") % {
                    "person": mapped.person_name(key), "task": quoted(task.name), "needs": needs,
                }
            )
    return reasons


# --------------------------------------------------------------------------- after solving


def pin_reasons(mapped: MappedProblem) -> list[str]:
    """Pinned dates that links or earliest starts make impossible (resources aside)."""
    try:
        cpm = critical_path(mapped.problem)
    except CycleError:
        return []
    reasons = []
    for conflict in cpm.pin_conflicts:
        reasons.append(
            _("%(task)s est imposée au %(pinned)s, mais ses dépendances ne lui permettent pas de commencer "
              "avant le %(earliest)s : retirez la date imposée ou avancez ses prédécesseurs.") % {
                "task": quoted(mapped.task_name(conflict.task)),
                "pinned": fr_date(mapped.calendar.date_of(conflict.pinned_start)),
                "earliest": fr_date(mapped.calendar.date_of(conflict.earliest_start)),
            }
        )
    return reasons


def engine_reasons(reasons: list[str]) -> list[str]:
    """Engine sentences with no French counterpart here: shown as they are, marked as such."""
    return [_("Le moteur de planification signale : %(reason)s") % {"reason": r} for r in reasons]


_VIOLATION_WORDS = {
    "precedence": gettext_noop("une dépendance n'est pas respectée"),
    "person_overlap": gettext_noop("une personne serait sur deux tâches à la fois"),
    "absence": gettext_noop("une personne absente y serait affectée"),
    "skill": gettext_noop("les compétences demandées ne sont pas couvertes"),
    "duration": gettext_noop("la durée ne correspond pas à la charge"),
    "pin": gettext_noop("une date ou une personne imposée n'est pas respectée"),
    "earliest_start": gettext_noop("elle commencerait avant sa date de début au plus tôt"),
    "release": gettext_noop("elle commencerait avant le début du projet"),
    "missing": gettext_noop("elle n'a pas été planifiée"),
}


def violation_reasons(mapped: MappedProblem, violations: list[Violation]) -> list[str]:
    """The independent check refused the schedule: say where, nothing was saved."""
    reasons = []
    for violation in violations:
        words = _VIOLATION_WORDS.get(violation.kind, violation.kind)
        reasons.append(
            _("Planning refusé par le contrôle, rien n'a été enregistré : %(tasks)s — %(what)s.") % {
                "tasks": ", ".join(quoted(mapped.task_name(t)) for t in violation.tasks), "what": _(words),
            }
        )
    return reasons


def deadline_reasons(mapped: MappedProblem, result: Result) -> list[str]:
    """One sentence per task finishing after its deadline: the dates, the working days missing
    and the chain of work that pushes it, down to the person it waited for."""
    tasks = {t.id: t for t in mapped.problem.tasks}
    chains = _Chains(mapped, result)
    reasons = []
    for key, placed in result.tasks.items():
        task = tasks[key]
        if task.deadline is None or placed.finish <= task.deadline:
            continue
        deadline_date, from_project = mapped.deadline_dates[key]
        late = placed.finish - task.deadline
        finish_date = schedule_dates(mapped.calendar, placed.start, placed.finish)[1]
        what = (_("l'échéance du projet (%(date)s)") if from_project else _("son échéance du %(date)s")) % {
            "date": fr_date(deadline_date)
        }
        sentence = _("%(task)s finira le %(finish)s, %(late)s après %(what)s") % {
            "task": quoted(task.name), "finish": fr_date(finish_date), "late": working_days(late), "what": what,
        }
        reasons.append(sentence + chains.explain(key) + ".")
    return reasons


class _Chains:
    """Walks back from a task along what actually held it: a tight link, or a busy person."""

    def __init__(self, mapped: MappedProblem, result: Result) -> None:
        self.mapped = mapped
        self.plan = result.tasks
        self.incoming: dict[str, list] = defaultdict(list)
        for link in mapped.problem.links:
            self.incoming[link.successor].append(link)
        self.by_person: dict[str, list[TaskSchedule]] = defaultdict(list)
        for placed in result.tasks.values():
            for person in placed.assignees:
                self.by_person[person].append(placed)
        self.people = {p.id: p for p in mapped.problem.people}

    def explain(self, key: str) -> str:
        chain = [key]
        while len(chain) < 500:  # a guard: links are acyclic, but a chain never needs more
            driver = self.link_driver(chain[-1])
            if driver is None or driver in chain:
                break
            chain.append(driver)
        chain.reverse()
        text = ""
        if len(chain) > 1:
            shown = chain[-MAX_CHAIN:]
            cut = "… → " if len(chain) > MAX_CHAIN else ""
            names = " → ".join(self.mapped.task_name(k) for k in shown)
            text = _(" : la chaîne %(cut)s%(chain)s la repousse") % {"chain": names, "cut": cut}
        wait = self.person_wait(chain[0])
        return text + (f" ; {wait}" if wait else "")

    def link_driver(self, key: str) -> str | None:
        placed = self.plan[key]
        for link in self.incoming.get(key, ()):
            pred = self.plan.get(link.predecessor)
            if pred is None:
                continue
            if link.type == LinkType.FS:
                bound = pred.finish + link.lag
            elif link.type == LinkType.SS:
                bound = pred.start + link.lag
            elif link.type == LinkType.FF:
                bound = pred.finish + link.lag - (placed.finish - placed.start)
            else:
                bound = pred.start + link.lag - (placed.finish - placed.start)
            if bound >= placed.start:
                return link.predecessor
        return None

    def person_wait(self, key: str) -> str:
        """Who the first task of the chain waited for: busy on another task, or absent."""
        placed = self.plan[key]
        calendar = self.mapped.calendar
        for person in placed.assignees:
            for other in self.by_person[person]:
                if other.task != key and other.finish == placed.start and other.finish > other.start:
                    return _("%(task)s attend %(person)s, occupé(e) sur %(other)s jusqu'au %(until)s") % {
                        "task": quoted(self.mapped.task_name(key)),
                        "person": self.mapped.person_name(person),
                        "other": quoted(self.mapped.task_name(other.task)),
                        "until": fr_date(calendar.date_of(other.finish - 1)),
                    }
            for start, end in self.people[person].unavailable:
                if end == placed.start:
                    return _("%(task)s attend le retour de %(person)s, absent(e) du %(first)s au %(last)s") % {
                        "task": quoted(self.mapped.task_name(key)),
                        "person": self.mapped.person_name(person),
                        "first": fr_date(calendar.date_of(start)),
                        "last": fr_date(calendar.date_of(end - 1)),
                    }
        return ""
