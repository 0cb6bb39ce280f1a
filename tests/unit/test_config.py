"""The settings file: loading, every kind of mistake, the default file, and `config`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import string
from pathlib import Path

import pytest

from paperreader.core.config import (
    ACTIONS,
    Config,
    KeyNameError,
    character_to_key,
    default_config_text,
    key_name,
    load_config,
)
from paperreader.core.paths import Paths
from tests.cli_run import run

# Helpers --------------------------------------------------------------------------------


def write(paths: Paths, text: str) -> Path:
    path = paths.config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(paths: Paths, text: str) -> Config:
    return load_config(write(paths, text))


def problem_lines(config: Config, path: Path) -> list[int | None]:
    """The line number of each problem (None when it has none), checking the file name."""
    lines: list[int | None] = []
    for problem in config.problems:
        assert problem.startswith(f"{path}:"), problem
        match = re.match(rf"{re.escape(str(path))}:(\d+): ", problem)
        lines.append(int(match.group(1)) if match else None)
    return lines


def uncommented(text: str) -> str:
    """The default file with every setting and key line switched on."""
    return re.sub(r"(?m)^# (\"?[a-z_.]+\"?\s*=)", r"\1", text)


# Loading --------------------------------------------------------------------------------


def test_a_missing_file_gives_the_defaults(paths: Paths) -> None:
    assert not paths.config_file.exists()
    config = load_config()
    assert config == Config()
    assert config.problems == ()
    assert config.keymap() == {}
    assert config.theme is None


def test_load_config_reads_the_users_file_by_default(paths: Paths) -> None:
    write(paths, 'default_sort = "stars"\n')
    assert load_config().default_sort == "stars"


def test_every_setting_is_read(paths: Paths) -> None:
    config = load(
        paths,
        'theme = "nord"\ndefault_listing = "week"\ndefault_sort = "newest"\n'
        'mark_read = "move"\nbrowser = "firefox %s"\nclipboard = "terminal"\n'
        '[keys]\n"paper.bookmark" = "x"\n"listing.next" = ["]", "L"]\n',
    )
    assert config.problems == ()
    assert config.theme == "nord"
    assert config.default_listing == "week"
    assert config.default_sort == "newest"
    assert config.mark_read == "move"
    assert config.browser == "firefox %s"
    assert config.clipboard == "terminal"
    assert dict(config.keys) == {
        "paper.bookmark": ("x",),
        "listing.next": ("right_square_bracket", "L"),
    }


def test_choices_are_read_whatever_their_case(paths: Paths) -> None:
    config = load(paths, 'default_listing = "Month"\nmark_read = " never "\n')
    assert (config.default_listing, config.mark_read, config.problems) == ("month", "never", ())


def test_keymap_is_what_set_keymap_takes(paths: Paths) -> None:
    config = load(
        paths,
        '[keys]\n"listing.next" = ["]", "L"]\n"paper.bookmark" = "x"\n"app.help" = ["?", "f1"]\n',
    )
    assert config.keymap() == {
        "listing.next": "right_square_bracket,L",
        "paper.bookmark": "x",
        "app.help": "question_mark,f1",
    }
    assert config.keys_for("listing.next") == ("right_square_bracket", "L")
    assert config.keys_for("link.open") == ("o",)


def test_a_config_is_immutable(paths: Paths) -> None:
    config = load(paths, '[keys]\n"paper.bookmark" = "x"\n')
    with pytest.raises(AttributeError):
        config.theme = "nord"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keys["paper.bookmark"] = ("z",)  # type: ignore[index]


# The default file -----------------------------------------------------------------------


def test_the_default_file_loads_back_as_the_defaults(paths: Paths) -> None:
    config = load(paths, default_config_text())
    assert config.problems == ()
    assert config == Config()


def test_the_default_file_names_every_setting_and_every_action() -> None:
    text = default_config_text()
    for option in ("theme", "default_listing", "default_sort", "mark_read", "browser"):
        assert re.search(rf"(?m)^# {option} = ", text), option
    assert re.search(r'(?m)^# clipboard = "auto"$', text)
    for action in ACTIONS:
        assert re.search(rf'(?m)^# "{re.escape(action)}"\s+= ', text), action
    assert "\n[keys]\n" in text


def test_the_default_file_switched_on_gives_the_same_settings(paths: Paths) -> None:
    """Every line uncommented: still no problem (the defaults bind no key twice)."""
    config = load(paths, uncommented(default_config_text()))
    assert config.problems == ()
    assert dict(config.keys) == ACTIONS
    assert (config.theme, config.default_listing, config.default_sort) == (
        "textual-dark",
        "day",
        "upvotes",
    )
    assert (config.mark_read, config.browser, config.clipboard) == ("open", "", "auto")


# Key names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("]", "right_square_bracket"),
        ("[", "left_square_bracket"),
        ("?", "question_mark"),
        ("/", "slash"),
        (":", "colon"),
        (" ", "space"),
        ("<", "less_than_sign"),
        (">", "greater_than_sign"),
        (",", "comma"),
        (".", "full_stop"),
        (";", "semicolon"),
        ("'", "apostrophe"),
        ('"', "quotation_mark"),
        ("-", "minus"),
        ("=", "equals_sign"),
        ("+", "plus"),
        ("*", "asterisk"),
        ("!", "exclamation_mark"),
        ("@", "at"),
        ("#", "number_sign"),
        ("$", "dollar_sign"),
        ("%", "percent_sign"),
        ("^", "circumflex_accent"),
        ("&", "ampersand"),
        ("(", "left_parenthesis"),
        (")", "right_parenthesis"),
        ("{", "left_curly_bracket"),
        ("}", "right_curly_bracket"),
        ("|", "vertical_line"),
        ("\\", "backslash"),
        ("~", "tilde"),
        ("`", "grave_accent"),
        ("_", "underscore"),
        ("b", "b"),
        ("B", "B"),
        ("7", "7"),
        ("é", "é"),
    ],
)
def test_printable_characters_become_textual_key_names(written: str, name: str) -> None:
    assert key_name(written) == name


def test_character_names_agree_with_textual() -> None:
    from textual.keys import _character_to_key

    for character in string.punctuation + string.ascii_letters + string.digits + " §é\t":
        assert character_to_key(character) == _character_to_key(character), character


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("enter", "enter"),
        ("Enter", "enter"),
        ("escape", "escape"),
        ("esc", "escape"),
        ("tab", "tab"),
        ("shift+tab", "shift+tab"),
        ("ctrl+x", "ctrl+x"),
        ("Ctrl+x", "ctrl+x"),
        ("ctrl+/", "ctrl+slash"),
        ("ctrl++", "ctrl+plus"),
        ("alt+j", "alt+j"),
        ("f1", "f1"),
        ("F12", "f12"),
        ("pageup", "pageup"),
        ("pagedown", "pagedown"),
        ("page_down", "pagedown"),
        ("home", "home"),
        ("space", "space"),
        ("question_mark", "question_mark"),
        ("right_square_bracket", "right_square_bracket"),
        ("section_sign", "section_sign"),
        ("ctrl+shift+up", "ctrl+shift+up"),
    ],
)
def test_key_names_are_accepted(written: str, name: str) -> None:
    assert key_name(written) == name


@pytest.mark.parametrize(
    "written", ["", "page down", "j,down", "foo", "ctrl+", "hyper-x", "cmd+x", "\x01", "f25"]
)
def test_bad_key_names_are_refused(written: str) -> None:
    with pytest.raises(KeyNameError):
        key_name(written)


# Problems ------------------------------------------------------------------------------


def test_a_syntax_error_names_the_file_and_line_and_gives_all_defaults(paths: Paths) -> None:
    path = write(paths, 'theme = "nord"\n\n[keys]\n"paper.bookmark" = x\n')
    config = load_config(path)
    assert config == Config(problems=config.problems)
    assert len(config.problems) == 1
    assert config.problems[0].startswith(f"{path}:4: ")
    assert "(at line 4, column" in config.problems[0]


def test_an_unknown_setting_is_named_with_its_line_and_ignored(paths: Paths) -> None:
    path = write(paths, '# hello\ntheme = "nord"\ncolour = "red"\n\n[colors]\nx = 1\n')
    config = load_config(path)
    assert config.theme == "nord"
    assert problem_lines(config, path) == [3, 5]
    assert "'colour'" in config.problems[0]
    assert "'colors'" in config.problems[1]


def test_a_misspelt_setting_suggests_the_right_one(paths: Paths) -> None:
    config = load(paths, 'default_sorting = "stars"\n')
    assert "'default_sort'" in config.problems[0]
    assert config.default_sort == "upvotes"


@pytest.mark.parametrize(
    ("line", "option", "default"),
    [
        ('default_listing = "year"', "default_listing", "day"),
        ("default_listing = 1", "default_listing", "day"),
        ('default_sort = "citations"', "default_sort", "upvotes"),
        ('mark_read = "always"', "mark_read", "open"),
        ("mark_read = true", "mark_read", "open"),
        ('clipboard = "x11"', "clipboard", "auto"),
        ('browser = ["firefox"]', "browser", ""),
        ('theme = ""', "theme", None),
        ("theme = 3", "theme", None),
    ],
)
def test_a_bad_value_gives_a_problem_and_its_default(
    paths: Paths, line: str, option: str, default: str | None
) -> None:
    other, value = ("clipboard", "system") if option == "browser" else ("browser", "w3m %s")
    path = write(paths, f'{other} = "{value}"\n{line}\n')
    config = load_config(path)
    assert getattr(config, option) == default
    assert getattr(config, other) == value  # the good setting is kept
    assert problem_lines(config, path) == [2]
    assert option in config.problems[0]


def test_an_unknown_action_lists_close_matches_and_is_ignored(paths: Paths) -> None:
    path = write(paths, '[keys]\n"paper.bookmark" = "x"\n"paper.bokmark" = "z"\n')
    config = load_config(path)
    assert dict(config.keys) == {"paper.bookmark": ("x",)}
    assert problem_lines(config, path) == [3]
    assert "'paper.bokmark'" in config.problems[0]
    assert "did you mean 'paper.bookmark'" in config.problems[0]


def test_unquoted_dotted_action_names_work(paths: Paths) -> None:
    path = write(paths, "[keys]\npaper.bookmark = 'x'\nlink.opne = 'z'\n")
    config = load_config(path)
    assert dict(config.keys) == {"paper.bookmark": ("x",)}
    assert problem_lines(config, path) == [3]
    assert "'link.open'" in config.problems[0]


@pytest.mark.parametrize(
    "value", ['""', '"page down"', '"j,down"', "[]", "3", '[""]', '{ key = "x" }']
)
def test_a_bad_key_gives_a_problem_and_keeps_the_default(paths: Paths, value: str) -> None:
    path = write(paths, f'[keys]\n"link.open" = "x"\n"paper.bookmark" = {value}\n')
    config = load_config(path)
    assert dict(config.keys) == {"link.open": ("x",)}
    assert config.keys_for("paper.bookmark") == ("b",)
    assert config.problems
    assert set(problem_lines(config, path)) == {3}
    assert all("paper.bookmark" in problem for problem in config.problems)


def test_only_the_bad_keys_of_a_list_are_dropped(paths: Paths) -> None:
    path = write(paths, '[keys]\n"paper.bookmark" = ["x", "no such key", 5, "x"]\n')
    config = load_config(path)
    assert dict(config.keys) == {"paper.bookmark": ("x",)}
    assert problem_lines(config, path) == [2, 2]


def test_keys_must_be_a_table(paths: Paths) -> None:
    path = write(paths, 'theme = "nord"\nkeys = "b"\n')
    config = load_config(path)
    assert config.keys == {}
    assert config.theme == "nord"
    assert problem_lines(config, path) == [2]


def test_two_actions_given_one_key_keep_the_first(paths: Paths) -> None:
    path = write(paths, '[keys]\n"link.open" = ["x", "z"]\n"link.pdf" = ["i", "x"]\n')
    config = load_config(path)
    assert dict(config.keys) == {"link.open": ("x", "z"), "link.pdf": ("i",)}
    assert problem_lines(config, path) == [3]
    assert "'link.open'" in config.problems[0]
    assert "'link.pdf'" in config.problems[0]


def test_a_key_taken_from_another_actions_default_is_dropped(paths: Paths) -> None:
    path = write(paths, '[keys]\n"paper.bookmark" = "r"\n')
    config = load_config(path)
    assert config.keys == {}  # the only key was dropped: bookmark keeps "b"
    assert problem_lines(config, path) == [2, 2]
    assert "'paper.toggle_read'" in config.problems[0]
    assert "'paper.bookmark'" in config.problems[0]


def test_a_default_key_freed_by_an_override_may_be_reused(paths: Paths) -> None:
    config = load(paths, '[keys]\n"paper.bookmark" = "r"\n"paper.toggle_read" = "b"\n')
    assert config.problems == ()
    assert dict(config.keys) == {"paper.bookmark": ("r",), "paper.toggle_read": ("b",)}


def test_an_action_falling_back_on_its_defaults_takes_them_back(paths: Paths) -> None:
    """toggle_read takes "b"; bookmark's "b" is dropped, so bookmark keeps "b" after all:
    then toggle_read cannot have it either, and no key ends up bound twice."""
    config = load(paths, '[keys]\n"paper.toggle_read" = "b"\n"paper.bookmark" = "b"\n')
    assert config.keys == {}
    assert len(config.problems) == 4


def test_global_keys_collide_with_the_list_and_the_detail(paths: Paths) -> None:
    config = load(paths, '[keys]\n"link.open" = "j"\n')
    assert config.keys == {}
    assert "'move.next'" in config.problems[0]
    config = load(paths, '[keys]\n"detail.down" = "b"\n')
    assert config.keys == {}
    assert "'paper.bookmark'" in config.problems[0]
    config = load(paths, '[keys]\n"move.next" = "o"\n')
    assert "'link.open'" in config.problems[0]


def test_the_list_and_the_detail_may_share_keys(paths: Paths) -> None:
    config = load(paths, '[keys]\n"move.first" = "x"\n"detail.top" = "x"\n"detail.up" = "home"\n')
    assert config.problems == ()
    assert dict(config.keys) == {
        "move.first": ("x",),
        "detail.top": ("x",),
        "detail.up": ("home",),
    }


def test_the_detail_keys_collide_among_themselves(paths: Paths) -> None:
    config = load(paths, '[keys]\n"detail.up" = "g"\n')
    assert config.keys == {}
    assert "'detail.top'" in config.problems[0]


def test_move_switch_is_an_app_key(paths: Paths) -> None:
    config = load(paths, '[keys]\n"move.switch" = "j"\n')
    assert config.keys == {}
    assert "'move.next'" in config.problems[0]


def test_a_pop_up_screen_has_keys_of_its_own(paths: Paths) -> None:
    config = load(paths, '[keys]\n"help.close" = ["b", "escape"]\n"jump.cancel" = "b"\n')
    assert config.problems == ()
    config = load(paths, '[keys]\n"links.cancel" = ["escape", "x", "x"]\n')
    assert dict(config.keys) == {"links.cancel": ("escape", "x")}
    config = load(paths, '[keys]\n"help.close" = ["?", "escape", "Q"]\n"help.close" = "h"\n')
    assert config.problems  # a key given twice is a TOML error


def test_the_same_key_twice_in_one_action_is_not_a_problem(paths: Paths) -> None:
    config = load(paths, '[keys]\n"listing.next" = ["]", "right_square_bracket", "L"]\n')
    assert config.problems == ()
    assert config.keys["listing.next"] == ("right_square_bracket", "L")


def test_every_problem_is_reported_at_once(paths: Paths) -> None:
    path = write(
        paths,
        'theme = 1\nsort = "stars"\nclipboard = "x11"\n[keys]\n'
        '"nope" = "x"\n"link.open" = ""\n"link.pdf" = "r"\n',
    )
    config = load_config(path)
    assert problem_lines(config, path) == [1, 2, 3, 5, 6, 6, 7, 7]
    assert config == Config(problems=config.problems)


def test_an_unreadable_file_is_a_problem_not_a_crash(paths: Paths) -> None:
    paths.config_file.mkdir(parents=True)
    config = load_config()
    assert config == Config(problems=config.problems)
    assert len(config.problems) == 1
    assert config.problems[0].startswith(f"{paths.config_file}: ")


def test_a_file_not_in_utf8_is_a_problem_not_a_crash(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True)
    paths.config_file.write_bytes(b'theme = "caf\xe9"\n')
    config = load_config()
    assert config == Config(problems=config.problems)
    assert len(config.problems) == 1


# The table of actions against the app's bindings ---------------------------------------


def _app_bindings() -> list[tuple[str, str, str]]:
    """(class, binding id, key string) of every Binding with an id in paperreader.ui."""
    from textual.binding import Binding

    from paperreader import ui

    # The app, the list and the detail pane by name, and whatever else the UI holds.
    names = [
        "paperreader.ui.app",
        "paperreader.ui.widgets.paper_list",
        "paperreader.ui.widgets.detail",
        *(info.name for info in pkgutil.walk_packages(ui.__path__, "paperreader.ui.")),
    ]
    found: list[tuple[str, str, str]] = []
    for name in dict.fromkeys(names):
        module = importlib.import_module(name)
        for owner in vars(module).values():
            if not inspect.isclass(owner) or owner.__module__ != module.__name__:
                continue
            for binding in owner.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    found.append((owner.__name__, binding.id, binding.key))
    return found


def test_every_binding_id_of_the_app_has_an_entry_and_no_more() -> None:
    bindings = _app_bindings()
    found = {binding_id for _, binding_id, _ in bindings}
    assert {"paper.bookmark", "listing.next", "move.next", "paper.read", "detail.top"} <= found
    assert found == set(ACTIONS)
    ids = [binding_id for _, binding_id, _ in bindings]
    assert len(ids) == len(set(ids)), "a binding id used twice"


def test_the_default_keys_are_the_apps() -> None:
    for owner, binding_id, keys in _app_bindings():
        written = tuple(key.strip() for key in keys.split(","))
        assert ACTIONS[binding_id] == tuple(key_name(k) for k in written), (owner, binding_id)


def test_every_command_has_help_a_label_and_a_known_scope() -> None:
    from paperreader.core.commands import COMMANDS, SCREEN_SCOPES

    for command in COMMANDS:
        assert command.help and command.label, command.id
        assert command.scope in ("app", "list", "detail", *SCREEN_SCOPES), command.id
    assert len({command.id for command in COMMANDS}) == len(COMMANDS)


# The command line ----------------------------------------------------------------------


def test_config_path_prints_the_path(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    code, out, err = run(capsys, "config", "path")
    assert (code, out, err) == (0, f"{paths.config_file}\n", "")
    assert not paths.config_file.exists()


def test_config_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "config")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1


def test_config_init_writes_the_default_file(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    assert not paths.config_dir.exists()
    code, out, err = run(capsys, "config", "init")
    assert (code, out, err) == (0, f"Wrote {paths.config_file}\n", "")
    assert paths.config_file.read_text(encoding="utf-8") == default_config_text()
    assert load_config() == Config()
    assert list(paths.config_dir.iterdir()) == [paths.config_file]  # no temporary file left


def test_config_init_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    write(paths, 'theme = "nord"\n')
    code, out, err = run(capsys, "config", "init")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "--force" in err
    assert str(paths.config_file) in err
    assert paths.config_file.read_text(encoding="utf-8") == 'theme = "nord"\n'


def test_config_init_force_overwrites(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    write(paths, 'theme = "nord"\n')
    code, out, _ = run(capsys, "config", "init", "--force")
    assert (code, out) == (0, f"Wrote {paths.config_file}\n")
    assert paths.config_file.read_text(encoding="utf-8") == default_config_text()


def test_config_check_passes_a_good_file(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    assert run(capsys, "config", "init")[0] == 0
    code, out, err = run(capsys, "config", "check")
    assert (code, out, err) == (0, f"{paths.config_file}: OK\n", "")


def test_config_check_passes_no_file(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    code, out, _ = run(capsys, "config", "check")
    assert code == 0
    assert out.startswith(f"{paths.config_file}: OK")


def test_config_check_prints_every_problem(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    path = write(paths, 'theme = 1\n[keys]\n"paper.bokmark" = "x"\n')
    code, out, _ = run(capsys, "config", "check")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:1: ")
    assert lines[1].startswith(f"{path}:3: ")


def test_config_check_reports_a_syntax_error(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    path = write(paths, "theme = \n")
    code, out, _ = run(capsys, "config", "check")
    assert code == 1
    assert out.startswith(f"{path}:1: ")


def test_an_unknown_theme_is_a_problem(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    config = load(paths, 'theme = "nonexistent-theme"\n')
    assert config.theme is None  # the default theme, as the app would use
    assert len(config.problems) == 1
    assert "'nonexistent-theme' is not a theme of the app" in config.problems[0]
    assert "textual-light" in config.problems[0]  # the themes are listed
    code, out, _ = run(capsys, "config", "check")
    assert code == 1
    assert out.startswith(f"{paths.config_file}:1: theme 'nonexistent-theme'")
    assert "did you mean 'nord'" in load(paths, 'theme = "nordic"\n').problems[0]
    assert load(paths, 'theme = "textual-light"\n').problems == ()
