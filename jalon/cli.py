"""The `jalon` command line (placeholder until the CLI lands)."""
import sys


def main(argv: list[str] | None = None) -> int:
    from django.core.management import execute_from_command_line
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    execute_from_command_line(["jalon", *(argv if argv is not None else sys.argv[1:])])
    return 0
