"""The `jalon` command line: serve the web app with its worker, load the demo, plan a project,
exchange files (import, export, backup, restore), write the weekly report, solve a benchmark file.

Django is imported lazily, inside the subcommands that need it, so that `jalon --help` and
`jalon solve` (the engine on a benchmark file) start fast and work without a database.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from jalon import plan_command, report_command
from jalon.interop import commands as interop_commands

SETTINGS_MODULE = "jalon.settings"
# Seconds a child gets to stop cleanly after Ctrl-C before it is killed.
STOP_GRACE_SECONDS = 10.0


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def _manage(argv: Sequence[str], prog: str = "jalon manage") -> int:
    """Run a Django management command in this process and return its exit code. Django puts
    `prog` before the command's name in usage lines and hints: `jalon manage db_worker` and
    `jalon migrate` are what a user can type back."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([prog, *argv])
    except SystemExit as exc:  # management commands exit through SystemExit on errors
        return exc.code if isinstance(exc.code, int) else 1
    return 0


# --- serve ----------------------------------------------------------------------------------

def _web_command(host: str, port: int, debug: bool) -> tuple[list[str], str]:
    """The web server to start and a line telling the user which one it is."""
    address = f"{host}:{port}"
    if debug:
        return [sys.executable, "-m", "jalon.cli", "manage", "runserver", address], "Django runserver (DEBUG)"
    if importlib.util.find_spec("gunicorn") is not None:
        workers = os.getenv("WEB_CONCURRENCY", "2")
        cmd = [sys.executable, "-m", "gunicorn", "jalon.wsgi:application", "--bind", address, "--workers", workers]
        return cmd, f"gunicorn, {workers} workers"
    # --insecure: without DEBUG, runserver only serves static files when asked to.
    cmd = [sys.executable, "-m", "jalon.cli", "manage", "runserver", address, "--noreload", "--insecure"]
    return cmd, "Django runserver (gunicorn is not installed: `pip install 'jalon[server]'` for production)"


def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Each child leads its own process group, so that stopping it also stops what it started
    # (runserver's autoreloader runs the server in a grandchild).
    return subprocess.Popen(cmd, env=env, start_new_session=True)


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except ProcessLookupError:
        pass  # already gone


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Ask every child to stop (SIGINT, like Ctrl-C), then kill the groups that linger."""
    for proc in processes:
        _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run_together(commands: Sequence[list[str]], env: dict[str, str], banner: Callable[[], None]) -> int:
    """Start the commands, then wait until Ctrl-C (or SIGTERM, as systemd and Docker send) or
    until one of them exits, and stop the others. Returns an exit code."""
    # Ctrl-C reaches only this process, the children having their own sessions. Handlers are
    # installed before the children start, so they do not inherit a shell's ignored SIGINT.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.extend(_start(cmd, env) for cmd in commands)
        banner()
        while True:
            for proc in processes:
                code = proc.poll()
                if code is not None:
                    print(f"jalon: a process stopped (exit code {code}); stopping the others.", file=sys.stderr)
                    _stop(processes)
                    return code or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\njalon: stopping the web server and the worker…")
        _stop(processes)
        return 0


def _print_demo_logins() -> None:
    """List the demo accounts when the demo is loaded, so a first visitor can log in."""
    from jalon.accounts.models import Organisation
    from jalon.projects.demo import DEMO_ORGANISATION, demo_load

    if Organisation.objects.filter(name=DEMO_ORGANISATION).exists():
        # Without reset, demo_load leaves an existing demo untouched and only describes it.
        for line in demo_load(reset=False).lines():
            print(line)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    web, web_label = _web_command(args.host, args.port, settings.DEBUG)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}
    # One machine, no reverse proxy in front: the app serves its own CSS and JS (see urls.py).
    env.setdefault("JALON_SERVE_STATIC", "1")
    commands = [web]
    if not args.no_worker:
        commands.append([sys.executable, "-m", "jalon.cli", "worker", "--no-reload"])

    def banner() -> None:
        print(f"Jalon is running at http://{args.host}:{args.port}/  ({web_label}"
              f"{'' if args.no_worker else ' + 1 background worker'}). Ctrl-C stops everything.")
        _print_demo_logins()

    return _run_together(commands, env, banner)


# --- other subcommands ----------------------------------------------------------------------

def cmd_worker(args: argparse.Namespace) -> int:
    return _manage(["db_worker", *args.rest])


def cmd_demo(args: argparse.Namespace) -> int:
    # The management command prints the logins itself.
    return _manage(["demo", *(["--if-empty"] if args.if_empty else [])])


def cmd_migrate(args: argparse.Namespace) -> int:
    return _manage(["migrate", *args.rest], prog="jalon")


MANAGE_USAGE = "usage: jalon manage COMMAND [OPTIONS]\n\nRun a Django management command; " \
               "`jalon manage COMMAND --help` describes one."


def cmd_manage(args: argparse.Namespace) -> int:
    if not args.rest or args.rest[0] in ("-h", "--help"):
        # Django's own help has no usage line: say how `jalon manage` is called, then list.
        print(MANAGE_USAGE)
        return _manage(["help"])
    return _manage(args.rest)


def cmd_solve(args: argparse.Namespace) -> int:
    # The engine alone: no Django import on this path (a test checks it).
    from jalon.solve_command import main as solve_main

    return int(solve_main(args.rest) or 0)


# --- parser ---------------------------------------------------------------------------------

# Subcommands whose arguments all go to another parser (Django's, the solver's).
PASSTHROUGH: dict[str, Callable[[argparse.Namespace], int]] = {
    "worker": cmd_worker, "migrate": cmd_migrate, "manage": cmd_manage, "solve": cmd_solve,
}


def _passthrough(sub: argparse._SubParsersAction, name: str, summary: str,  # type: ignore[type-arg]
                 handler: Callable[[argparse.Namespace], int]) -> None:
    """Listed in `jalon --help`; `main` dispatches these before argparse sees their options."""
    parser = sub.add_parser(name, help=summary, description=summary, add_help=False)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=handler)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jalon",
        description="Jalon: planning and steering for digital projects.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="start the web server and one background worker",
                           description="Start the web server and one background worker; Ctrl-C stops both.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: %(default)s)")
    serve.add_argument("--no-worker", action="store_true", help="do not start a background worker")
    serve.set_defaults(handler=cmd_serve)

    _passthrough(sub, "worker", "run a background task worker (options of `manage db_worker`)", cmd_worker)

    demo = sub.add_parser("demo", help="load (or reload) the demo organisation and print its logins",
                          description="Load the demo organisation, its projects and team, then print the logins.")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if the database already has projects")
    demo.set_defaults(handler=cmd_demo)

    _passthrough(sub, "migrate", "create or update the database tables", cmd_migrate)
    _passthrough(sub, "manage", "run any Django management command (jalon manage help)", cmd_manage)
    _passthrough(sub, "solve", "schedule a PSPLIB (.sm) or iMOPSE (.def) file", cmd_solve)
    plan_command.add_parser(sub)  # plan CODE [--optimize] [--time-limit S]
    interop_commands.add_parsers(sub)  # import, export, backup, restore
    report_command.add_parser(sub)  # report CODE --format pdf|xlsx|html
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if args_list and args_list[0] in PASSTHROUGH:
        # argparse would try to read `--batch` or `--json` itself: hand them over untouched.
        return PASSTHROUGH[args_list[0]](argparse.Namespace(rest=args_list[1:]))
    args = parser.parse_args(args_list)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
