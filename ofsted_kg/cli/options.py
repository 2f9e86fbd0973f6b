"""Shared options, the error mapping and the ``ofsted-kg`` group itself."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from ..errors import OfstedKGError

F = TypeVar("F", bound=Callable[..., Any])


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# -- shared options -------------------------------------------------------------------
def store_option(f: F) -> F:
    return click.option(
        "--store", "store", type=click.Path(file_okay=False, path_type=Path),
        envvar="OFSTED_KG_STORE", default="ofsted-kg-store", show_default=True,
        show_envvar=True, help="The store directory.")(f)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option("--format", "fmt", type=click.Choice(choices),
                            default=default or choices[0], show_default=True,
                            help="Output format.")(f)
    return deco


def output_option(required: bool = False) -> Callable[[F], F]:
    def deco(f: F) -> F:
        return click.option("-o", "--output", "output", default=None if required else "-",
                            required=required, show_default=not required,
                            help="Output file ('-' is standard output).")(f)
    return deco


@contextmanager
def errors() -> Iterator[None]:
    """Map ofsted-kg's exceptions to one clear line and exit status 1."""
    try:
        yield
    except OfstedKGError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        sys.exit(0)


@contextmanager
def opened_output(output: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    if output in ("-", None):
        yield sys.stdout.buffer if binary else sys.stdout
        return
    try:
        fh = open(output, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""}))
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write ({exc.strerror or exc})") from None
    with fh:
        yield fh


def endpoint_options(f: F) -> F:
    f = click.option("--user", default=None, help="User name for the endpoint (HTTP basic "
                     "auth); the password comes from $OFSTED_KG_PASSWORD.")(f)
    return click.option("--endpoint", default=None, metavar="URL",
                        help="Query a remote SPARQL endpoint instead of the store "
                        "(e.g. http://127.0.0.1:7878/query).")(f)


def _remote(endpoint: str, user: str | None, timeout: float | None = None) -> Any:
    from ..server import RemoteEndpoint, password_from_env

    kw = {} if timeout is None else {"timeout": timeout or None}  # 0: no HTTP timeout
    return RemoteEndpoint(endpoint, user=user, password=password_from_env() if user else None,
                          **kw)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r} is not KEY=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="ofsted-kg", prog_name="ofsted-kg")
def main() -> None:
    """Ofsted's inspections of English councils' children's services, as a knowledge graph.

    \b
    Example:
      ofsted-kg build samples
      ofsted-kg trace "mental health" --authority Sefton
    """


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=False)
