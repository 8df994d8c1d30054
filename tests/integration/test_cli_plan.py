"""`jalon plan CODE`: plans with the same service as the Planifier button, saves the dates,
and says in one sentence, with a non-zero exit code, what went wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from jalon.cli import main
from jalon.planning.models import PlanRun
from jalon.projects.models import Task
from tests.factories import make_org, make_project, make_task

pytestmark = pytest.mark.django_db


def test_it_plans_the_project_and_saves_its_dates(world, capsys):
    assert main(["plan", "BOUL"]) == 0
    out = capsys.readouterr().out
    mockups = Task.objects.get(name="Maquettes")
    assert mockups.start == dt.date(2030, 1, 7)
    run = PlanRun.objects.get(project=world.project_a)
    assert (run.method, run.outcome) == ("heuristic", "saved")
    assert out.startswith(f"BOUL: plan saved, 2 tasks, finishing {run.finish_date:%d/%m/%Y}")


def test_optimize_runs_cp_sat_in_this_process_within_the_time_limit(world, capsys):
    assert main(["plan", "BOUL", "--optimize", "--time-limit", "2"]) == 0
    run = PlanRun.objects.get(project=world.project_a)
    assert (run.method, run.outcome) == ("optimize", "saved")
    assert run.seconds <= 2 + 1  # the limit, plus the heuristic's warm start and the write
    assert "heuristic" in run.comparison
    assert "plan saved" in capsys.readouterr().out


def test_an_unknown_code_is_one_sentence_and_exit_code_1(world, capsys):
    assert main(["plan", "NOPE"]) == 1
    assert capsys.readouterr().err == "jalon: no project has the code 'NOPE'\n"


def test_a_code_used_by_two_organisations_needs_the_organisation(world, capsys):
    make_project(make_org("Agence Bis"), code="BOUL", name="Homonyme")
    assert main(["plan", "BOUL"]) == 1
    assert "say which one with --organisation NAME" in capsys.readouterr().err
    assert main(["plan", "BOUL", "--organisation", "Agence Durand"]) == 0
    assert PlanRun.objects.get().project == world.project_a


def test_a_time_limit_out_of_bounds_is_refused_before_planning(world, capsys):
    assert main(["plan", "BOUL", "--optimize", "--time-limit", "0"]) == 1
    assert "--time-limit must be more than 0" in capsys.readouterr().err
    assert not PlanRun.objects.exists()


def test_a_plan_that_cannot_be_saved_gives_the_reasons_and_exit_code_2(world, capsys):
    make_task(world.project_a, "Développement", skills={"Python": 5})
    assert main(["plan", "BOUL"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jalon: nothing was saved for BOUL")
    assert "Python" in err
    assert Task.objects.get(name="Maquettes").start is None


def test_help_describes_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert all(option in help_text for option in ("CODE", "--optimize", "--time-limit S", "--organisation NAME"))
