"""Every ``zkmargin ...`` command in the code blocks of README.md, CONTRIBUTING.md and docs/*.md
names a command that exists, with options it has and every required option given; the cheap
ones (``calc``, ``--help``) run on the embedded example and succeed.

Commands are resolved through click's own parsing without running them, so a renamed command or
option, or a synopsis left in a runnable block (``[--vk VK]``), fails here with its file and line.
The README's CLI reference table is checked the same way: each synopsis names real commands, and
every option it shows is one of theirs.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from interop import ROOT

from zkmargin.cli import main

DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_BLOCK = re.compile(r"^```(sh|bash|console|)\n(.*?)^```", re.S | re.M)
"""A shell code block (or one without a language)."""
RUNS_ZKMARGIN = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?zkmargin(?:\s|$)")
SUBSTITUTION = re.compile(r"\$\(([^()]*)\)")
ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)=(\S+)$")
SEPARATORS = {"&&", "||", ";", "|", "(", ")", ">", ">>", "<", "&"}
PLACEHOLDER = "VALUE"
CHEAP = {"calc"}
"""Commands quick enough on the example to run here (beside any ``--help``)."""


@dataclass(frozen=True)
class DocCommand:
    where: str  # FILE:LINE
    args: tuple[str, ...]  # after ``zkmargin``, shell variables substituted

    def __str__(self) -> str:
        return f"{self.where}: zkmargin {shlex.join(self.args)}"


def shell_commands(line: str) -> list[list[str]]:
    """The simple commands of one shell line: ``$(...)`` as commands of their own (their output
    a placeholder), split at ``&&``, ``;``, pipes and parentheses, comments dropped."""
    inner = SUBSTITUTION.findall(line)
    lexer = shlex.shlex(SUBSTITUTION.sub(PLACEHOLDER, line), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c] + [c for text in inner for c in shell_commands(text)]


def substitute(word: str, variables: dict[str, str]) -> str:
    """``word`` with the block's shell variables replaced (any other by a placeholder)."""
    return re.sub(r"\$(\w+)", lambda m: variables.get(m[1], PLACEHOLDER), word)


def doc_commands(path: Path) -> list[DocCommand]:
    """Every ``zkmargin`` command in the code blocks of ``path``."""
    text = path.read_text()
    found = []
    for block in CODE_BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(2)) + 1
        variables: dict[str, str] = {}
        lines = block.group(2).split("\n")
        n = 0
        while n < len(lines):
            start, line = n, lines[n]
            while line.endswith("\\") and n + 1 < len(lines):  # a continued line
                n += 1
                line = line[:-1] + " " + lines[n]
            n += 1
            if not RUNS_ZKMARGIN.search(line) and not ASSIGNMENT.match(line.split(";")[0]):
                continue
            for words in shell_commands(line):
                assigned = ASSIGNMENT.match(words[0]) if len(words) == 1 else None
                if assigned:
                    variables[assigned[1]] = str(ROOT / assigned[2])
                elif Path(words[0]).name == "zkmargin":
                    args = tuple(substitute(w, variables) for w in words[1:])
                    found.append(DocCommand(f"{path.relative_to(ROOT)}:{first + start}", args))
    return found


ALL = [c for path in DOCS for c in doc_commands(path)]


class WrongCommand(Exception):
    pass


def resolve(args: tuple[str, ...]) -> tuple[list[str], click.Context]:
    """The command path ``args`` names and its parsed context, without running it;
    ``WrongCommand`` for an unknown command or option, an extra argument or a missing required
    option or argument."""
    command: click.Command = main
    ctx = click.Context(main, info_name="zkmargin")
    path: list[str] = []
    rest = list(args)
    while isinstance(command, click.Group):
        _check_options(command, path, [a for a in rest[:1] if a.startswith("-")])
        if not rest or rest[0].startswith("-"):
            return path, ctx  # a group alone (--help, --version)
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            raise WrongCommand(f"no command {rest[0]!r} in zkmargin {' '.join(path)}".rstrip())
        path.append(rest.pop(0))
        ctx = click.Context(sub, info_name=path[-1], parent=ctx)
        command = sub
    _check_options(command, path, rest)
    # resilient: parse without converting values, running callbacks or failing on absent ones
    ctx = command.make_context(path[-1], rest, parent=ctx.parent, resilient_parsing=True)
    if ctx.args:
        raise WrongCommand(f"extra arguments {ctx.args} for zkmargin {' '.join(path)}")
    if "--help" not in args:
        for param in command.params:
            if param.required and ctx.params.get(param.name or "") in (None, ()):
                raise WrongCommand(f"{param.get_error_hint(ctx)} missing")
    return path, ctx


def _check_options(command: click.Command, path: list[str], args: list[str]) -> None:
    # click's resilient parsing drops unknown options silently: look each one up here
    options = [p for p in command.params if isinstance(p, click.Option)]
    known = {"--help", *(o for p in options for o in (*p.opts, *p.secondary_opts))}
    taking_values = {o for p in options if not p.is_flag for o in p.opts}
    value_next = False
    for arg in args:
        if value_next:  # an option's value, which may start with '-'
            value_next = False
            continue
        if arg == "--":
            return
        if arg.startswith("-") and arg != "-":
            name = arg.split("=", 1)[0]
            if name not in known:
                raise WrongCommand(f"no option {name} in zkmargin {' '.join(path)}".rstrip())
            value_next = name in taking_values and "=" not in arg


def command_path(command: DocCommand) -> list[str]:
    try:
        return resolve(command.args)[0]
    except WrongCommand:
        return []  # reported by test_doc_command_exists


def test_the_docs_show_commands_of_every_kind() -> None:
    # the extraction finds what the docs hold: the README's tour, a ceremony, the on-chain export
    paths = {tuple(command_path(c)) for c in ALL}
    for expected in [("calc",), ("setup",), ("prove",), ("verify",), ("keys", "fingerprint"),
                     ("zkey", "verify"), ("zkey", "export", "solidityverifier"), ("call",)]:  # fmt: skip
        assert expected in paths
    assert len(ALL) >= 30


@pytest.mark.parametrize("command", ALL, ids=lambda c: c.where)
def test_doc_command_exists(command: DocCommand) -> None:
    try:
        resolve(command.args)
    except WrongCommand as err:
        pytest.fail(f"{command}: {err}")


@pytest.mark.parametrize(
    "args, problem",
    [
        (("calc", "a.jsonl", "--market", "m.json", "--modle", "cross"), "no option --modle"),
        (("keys", "fingerprints", "keys/"), "no command 'fingerprints'"),
        (("verify-notice", "n.json", "--report", "r/", "[--vk", "vk.json]"), "extra arguments"),
        (("setup", "--circuit", "greeks", "--out", "keys/"), "--market"),
    ],
)
def test_a_wrong_command_is_named(args: tuple[str, ...], problem: str) -> None:
    # the control: the check above can fail (its honest twin passes just after)
    with pytest.raises(WrongCommand, match=re.escape(problem)):
        resolve(args)
    resolve(("calc", "a.jsonl", "--market", "m.json", "--model", "cross"))


CHEAP_COMMANDS = [
    c for c in ALL if "--help" in c.args or command_path(c)[:1] in ([n] for n in CHEAP)
]


@pytest.mark.parametrize("command", CHEAP_COMMANDS, ids=lambda c: c.where)
def test_cheap_doc_command_runs(command: DocCommand, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, list(command.args))
    assert result.exit_code == 0, f"{command}: {result.output}"
    assert result.output.strip()


def cli_table_rows() -> list[tuple[str, list[str]]]:
    """The README's CLI reference: per row, its line and the synopses in its first cell."""
    text = (ROOT / "README.md").read_text()
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        cell = line.split(" | ", 1)[0]
        if cell.startswith("| `zkmargin "):
            rows.append((f"README.md:{n}", re.findall(r"`([^`]*)`", cell)))
    return rows


def synopsis_commands(words: list[str], start: click.Group) -> list[click.Command]:
    """The commands a synopsis names from ``start`` (``a\\|b`` names either); ``[start]`` if
    its first word names none."""
    commands: list[click.Command] = [start]
    for word in words:
        groups = [c for c in commands if isinstance(c, click.Group)]
        if len(groups) != 1 or not re.fullmatch(r"[a-z0-9-]+(\\\|[a-z0-9-]+)*", word):
            break
        found = [groups[0].get_command(click.Context(groups[0]), n) for n in word.split("\\|")]
        if not all(found):
            break
        commands = [c for c in found if c is not None]
    return commands


def option_names(command: click.Command) -> set[str]:
    return {
        o
        for p in command.params
        if isinstance(p, click.Option)
        for o in (*p.opts, *p.secondary_opts)
    }


@pytest.mark.parametrize("where, synopses", cli_table_rows())
def test_readme_cli_table_names_real_commands_and_options(where: str, synopses: list[str]) -> None:
    first = main.get_command(click.Context(main), synopses[0].split()[1])
    holder = first if isinstance(first, click.Group) else main
    for synopsis in synopses:
        words = synopsis.split()
        if words[0] == "zkmargin":
            words = words[1:]
        commands = synopsis_commands(words, main)
        if commands == [main]:  # a later synopsis of the row, under the first one's group
            commands = synopsis_commands(words, holder)
        assert not {main, holder} & set(commands), f"{where}: no command in {synopsis!r}"
        for option in sorted(set(re.findall(r"(?<![\w/.-])(--?[A-Za-z][\w-]*)", synopsis))):
            assert any(option in option_names(c) for c in commands), (
                f"{where}: {synopsis!r}: no option {option}"
            )


@pytest.mark.parametrize(
    "wrong, right, problem",
    [
        (["zkmargin verify R/ [--vk-finger H]"], ["zkmargin verify R/ [--vk-fingerprint H]"], "--vk-finger"),
        (["zkmargin keys fingerprints KEYS/"], ["zkmargin keys fingerprint KEYS/"], "no command"),
        (["zkmargin zkey verify A B C", "beacon IN OUT -x"], ["zkmargin zkey verify A B C", "beacon IN OUT"], "-x"),
    ],
)  # fmt: skip
def test_a_wrong_table_row_is_named(wrong: list[str], right: list[str], problem: str) -> None:
    # the control of the table check: it fails on a wrong row and passes its corrected twin
    with pytest.raises(AssertionError, match=problem):
        test_readme_cli_table_names_real_commands_and_options("row", wrong)
    test_readme_cli_table_names_real_commands_and_options("row", right)
