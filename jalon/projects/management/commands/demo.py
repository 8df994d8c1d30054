"""`jalon demo`: (re)load the demo agency. `--if-empty` loads only on an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jalon.accounts.models import Organisation
from jalon.projects.demo import DemoConflictError, demo_load


class Command(BaseCommand):
    help = "Charge les données de démonstration (efface et recharge la démo existante)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne charge la démo que si aucune organisation n'existe (utilisé par « make run »).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Des données existent déjà : la démo n'est pas chargée.")
            return
        try:
            summary = demo_load(reset=True)
        except DemoConflictError as error:
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
