"""One notation for every command's help: ``DIVISION_ID`` for an argument that must be given,
``[FILE]`` for one that may be left out, ``PATH...`` for one given any number of times, and
no ``<bool>`` after a flag (it takes no value).

Typer (0.29) words arguments in the usage line as ``{name}`` or ``[name]`` and writes a type
after every parameter, flags too, and it has no setting for either; nor does it let an app
choose the classes of its parameters. So the app's group (:class:`Commands`, the ``cls`` of
the Typer app) gives each command and parameter, when built, a class that words them as above,
and reflows each command's summary (Typer prints a docstring's line breaks as they are).
The methods overridden are Typer 0.29's; tests/test_messages.py reads every command's help,
so a Typer that words help another way fails there, not silently.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class Argument(TyperArgument):
    """An argument named by its metavar, in capitals, with no type after it."""

    @property
    def display_name_raw(self) -> str:
        name = (self.metavar or self.name or "").strip("[]{}.").upper()
        return f"{name}..." if self.nargs != 1 else name

    def _rich_display_name(self) -> str:
        return self.display_name_raw

    def _usage_display_name(self) -> str:
        return self.display_name_raw if self.required else f"[{self.display_name_raw}]"

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class Option(TyperOption):
    """An option whose flags show no type: ``--json``, not ``--json <bool>``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag and self.metavar is None else super().display_type_rich(ctx)


def _worded(param: Any) -> Any:
    if type(param) is TyperArgument:
        param.__class__ = Argument
        param.metavar = param.metavar or param.name  # Typer adds "..." of its own to an argument with no metavar
    elif type(param) is TyperOption:
        param.__class__ = Option
    return param


class Command(TyperCommand):
    """A command whose parameters, its --help among them, are worded in the app's notation."""

    def get_params(self, ctx: Any) -> list[Any]:
        return [_worded(p) for p in super().get_params(ctx)]


class Commands(TyperGroup):
    """The app's group: every command under it (a group's too) in the app's notation."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _word_commands(self)

    def get_params(self, ctx: Any) -> list[Any]:
        return [_worded(p) for p in super().get_params(ctx)]


def _word_commands(group: TyperGroup) -> None:
    for command in group.commands.values():
        if type(command) is TyperCommand:
            command.__class__ = Command
        elif type(command) is TyperGroup:
            command.__class__ = Commands
            _word_commands(command)
        command.short_help = command.short_help or _summary(command.help)


def _summary(help_text: str | None) -> str | None:
    """The first paragraph of a docstring on one line, as the list of commands shows it."""
    if not help_text:
        return None
    return " ".join(help_text.strip().split("\n\n")[0].split())
