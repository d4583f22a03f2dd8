"""The command line in the planner's language: ``--lang``, help pages and usage errors.

Help texts are written in English and marked with ``N_``; the command classes here
translate them when a help page is shown, in the language of ``--lang`` (found in the
arguments before anything is parsed, so ``--help --lang zh`` is Chinese too), else
:func:`jhmatch.i18n.default_language`. Typer's own words come from two places: its
rich help panels read module constants of ``typer.rich_utils`` (set here while a page
is drawn, then restored), and the usage line, help option and error messages come from
the command classes, which these subclasses override. Usage errors (a missing argument,
an unknown option, a value of the wrong type) become one line in the planner's
language, exit code 2.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.core

from jhmatch.errors import ParameterError
from jhmatch.i18n import LANGUAGES, N_, default_language, get_language, language
from jhmatch.i18n import gettext as _

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

__all__ = ["LocalizedCommand", "LocalizedGroup", "check_language", "scan_language", "usage_error_text"]

_RICH_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"), "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"), "ERRORS_PANEL_TITLE": N_("Error"), "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"), "DEPRECATED_STRING": N_("(deprecated) "),
    "ENVVAR_STRING": N_("[env var: {}]"), "ABORTED_TEXT": N_("Aborted."),
}

_TYPER_METAVARS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))
"""Typer's usage words, translated with the command's texts."""

_CLICK_VALUE_MESSAGE = re.compile(r"^Input should be|is not a valid|does not exist|is not one of|invalid choice", re.I)
"""Messages of typer's and click's own value checks (ours are written in the planner's language)."""
_VALUE_PROBLEMS = (
    (re.compile(r"integer|\bint\b", re.I), N_("a whole number is expected")),
    (re.compile(r"number|float", re.I), N_("a number is expected")),
    (re.compile(r"bool", re.I), N_("yes or no is expected")),
    (re.compile(r"does not exist", re.I), N_("the file or folder does not exist")),
    (re.compile(r"choice|one of|should be '", re.I), N_("not one of the accepted values")),
)
_USAGE_PROBLEMS = (
    (re.compile(r"No such command '?(?P<name>[^'.]*)'?"), N_("no such command: {name}")),
    (re.compile(r"Missing command"), N_("a command is needed (validate, allocate, demo, ...)")),
    (re.compile(r"unexpected extra arguments?\(?s?\)? \((?P<name>.*)\)"), N_("unexpected extra argument: {name}")),
    (re.compile(r"Option '(?P<name>[^']*)' requires an argument"), N_("option {name} needs a value")),
    (re.compile(r"Option '(?P<name>[^']*)' does not take a value"), N_("option {name} takes no value")),
)


def check_language(value: Any) -> str:
    """``value`` as a language code (``en`` or ``zh``), or :class:`ParameterError` saying what is accepted.

    Examples
    --------
    >>> check_language("ZH"), check_language("zh-CN")
    ('zh', 'zh')
    """
    try:
        with language(str(value)) as lang:
            return lang
    except ParameterError:
        raise ParameterError(_("--lang {value}: expected en (English) or zh (中文)").format(value=value)) from None


def scan_language(args: Sequence[str]) -> str:
    """The language the arguments ask for (``--lang X`` or ``--lang=X`` anywhere before ``--``), else the default.

    Raises
    ------
    ParameterError
        For a language jhmatch does not speak (also from ``JHMATCH_LANG``).

    Examples
    --------
    >>> scan_language(["validate", "f.csv", "--lang", "zh"])
    'zh'
    """
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return check_language(args[i + 1])
        if arg.startswith("--lang="):
            return check_language(arg.partition("=")[2])
    try:
        return default_language()
    except ParameterError:
        raise ParameterError(_("JHMATCH_LANG: expected en (English) or zh (中文)")) from None


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("-")]
    if opts:
        return " / ".join(opts)
    metavar = getattr(param, "metavar", None)
    return _(metavar) if metavar else str(getattr(param, "name", "")).upper()


def usage_error_text(exc: Exception) -> str:
    """A usage error of the command line as one line in the current language (without the "error:" prefix).

    Examples
    --------
    >>> usage_error_text(click_exceptions.UsageError("No such command 'allocat'."))
    'no such command: allocat'
    """
    if isinstance(exc, click_exceptions.MissingParameter):
        name = _param_name(exc.param)
        if getattr(exc.param, "param_type_name", "") == "argument" or not name.startswith("-"):
            return _("missing argument {name}").format(name=name)
        return _("missing option {name}").format(name=name)
    if isinstance(exc, click_exceptions.NoSuchOption):
        text = _("no such option: {name}").format(name=exc.option_name)
        if exc.possibilities:
            text += _(" (did you mean {names}?)").format(names=", ".join(sorted(exc.possibilities)))
        return text
    message = str(getattr(exc, "message", "") or exc)
    if isinstance(exc, click_exceptions.BadParameter):
        problem = message
        if _CLICK_VALUE_MESSAGE.search(message):
            problem = next((_(text) for rx, text in _VALUE_PROBLEMS if rx.search(message)), message)
        name = _param_name(exc.param) or str(getattr(exc, "param_hint", "") or "")
        return _("invalid value for {name}: {problem}").format(name=name, problem=problem) if name else problem
    for rx, text in _USAGE_PROBLEMS:
        m = rx.search(message)
        if m:
            return _(text).format(**m.groupdict())
    return message


@contextlib.contextmanager
def _translated(command: Any) -> Iterator[None]:
    """Show ``command``'s help in the current language: its texts, metavars and typer's panel words."""
    saved: list[tuple[Any, str, Any]] = []

    def put(obj: Any, attr: str, value: Any) -> None:
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)

    def texts(cmd: Any) -> None:
        for attr in ("help", "short_help", "epilog"):
            if isinstance(getattr(cmd, attr, None), str):
                put(cmd, attr, "\n\n".join(_(p) for p in getattr(cmd, attr).split("\n\n")))
        for attr in ("options_metavar", "subcommand_metavar"):
            if isinstance(getattr(cmd, attr, None), str):
                put(cmd, attr, _(getattr(cmd, attr)))

    texts(command)
    for sub in getattr(command, "commands", {}).values():
        texts(sub)
    for param in getattr(command, "params", ()):
        for attr in ("help", "metavar"):
            if isinstance(getattr(param, attr, None), str) and getattr(param, attr):
                put(param, attr, _(getattr(param, attr)))
        if getattr(param, "param_type_name", "") == "argument" and getattr(param, "metavar", None) \
                and hasattr(param, "display_type_rich"):
            put(param, "display_type_rich", lambda ctx=None: None)  # its translated name says what it is
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - typer without rich
        rich_utils = None
    if rich_utils is not None:
        for name, text in _RICH_WORDS.items():
            if hasattr(rich_utils, name):
                put(rich_utils, name, _(text))
    try:
        yield
    finally:
        for obj, attr, value in reversed(saved):
            if attr == "display_type_rich":
                obj.__dict__.pop(attr, None)
            else:
                setattr(obj, attr, value)


class _Localized:
    """What both command classes add: a translated usage line, help option and help page."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        with _translated(self) if not getattr(self, "_in_help", False) else contextlib.nullcontext():
            pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
            formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
            option.metavar = ""
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._in_help = True
        try:
            with _translated(self):
                super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            self._in_help = False


class LocalizedCommand(_Localized, typer.core.TyperCommand):
    """A typer command whose help page is in the current language."""


class LocalizedGroup(_Localized, typer.core.TyperGroup):
    """The ``jhmatch`` group: help in the planner's language, usage errors as one translated line (exit 2).

    The language comes from ``--lang`` among the arguments, else the default
    (:func:`scan_language`); it holds for the whole command.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        code: int
        try:
            lang = scan_language(argv)
        except ParameterError as exc:
            with language(_fallback()):
                typer.echo(_("error: {message}").format(message=exc), err=True)
            code = 2
        else:
            with language(lang):
                code = self._run(argv, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], prog_name: str | None, complete_var: str | None, **extra: Any) -> int:
        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except click_exceptions.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help())
                return 2
            where = ctx.command_path if ctx is not None else "jhmatch"
            typer.echo(_("error: {message} (help: {command} --help)").format(message=usage_error_text(exc),
                                                                               command=where), err=True)
            return int(getattr(exc, "exit_code", 2) or 2)
        except typer.Abort:
            typer.echo(_("stopped"), err=True)
            return 1
        return rv if isinstance(rv, int) else 0


def _fallback() -> str:
    try:
        return default_language()
    except ParameterError:
        return get_language() if get_language() in LANGUAGES else "en"
