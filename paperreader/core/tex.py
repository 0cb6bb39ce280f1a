"""LaTeX maths as readable Unicode text, for reading papers in a terminal.

``tex_to_text(r"\\alpha_{t} \\leq \\frac{1}{2}")`` is ``"αₜ ≤ 1/2"``. Not a TeX engine:
a small recursive reader of the commands papers use most (Greek letters, relations and
operators, fonts, fractions, roots, accents, sub- and superscripts, sizing and spacing).
What it cannot show well it keeps readable rather than guessing: a script with a
character that has no Unicode sub/superscript form stays ``x_(ab)``; an unknown command
stays as written (``\\foo``). Any string in gives a string out (text from the network):
unbalanced braces and missing arguments are tolerated, nesting is bounded, and the result
has no control characters and is at most four times as long as the input.

Imported only when a full text is laid out (``ui.markdown_lines``), never at start.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from paperreader.core.text import clean_text

__all__ = ["tex_lines", "tex_to_text"]


def _names(text: str) -> list[str]:
    return text.split()


_GREEK = dict(
    zip(
        _names(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron "
            "pi rho sigma tau upsilon phi chi psi omega"
        ),
        "αβγδεζηθικλμνξοπρστυφχψω",
        strict=True,
    )
)
_GREEK.update(
    zip(
        _names(
            "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron "
            "Pi Rho Sigma Tau Upsilon Phi Chi Psi Omega"
        ),
        "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
        strict=True,
    )
)
_GREEK.update(
    varepsilon="ε",
    vartheta="ϑ",
    varphi="φ",
    varrho="ϱ",
    varsigma="ς",
    varpi="ϖ",
    varkappa="ϰ",
    digamma="ϝ",
    varGamma="Γ",
    varDelta="Δ",
    varTheta="Θ",
    varLambda="Λ",
    varPi="Π",
    varSigma="Σ",
    varPhi="Φ",
    varPsi="Ψ",
    varOmega="Ω",
)

#: Commands shown as one symbol (or a few characters).
_SYMBOLS: dict[str, str] = {
    **_GREEK,
    # relations
    "leq": "≤", "le": "≤", "leqslant": "≤", "geq": "≥", "ge": "≥", "geqslant": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "approxeq": "≊", "sim": "∼", "simeq": "≃",
    "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "lesssim": "≲",
    "gtrsim": "≳", "asymp": "≍", "doteq": "≐", "triangleq": "≜", "coloneqq": ":=",
    "eqqcolon": "=:", "prec": "≺", "succ": "≻", "preceq": "⪯", "succeq": "⪰",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "subsetneq": "⊊",
    "supset": "⊃", "supseteq": "⊇", "supsetneq": "⊋", "perp": "⊥", "parallel": "∥",
    "nparallel": "∦", "mid": "|", "nmid": "∤", "models": "⊨", "vdash": "⊢", "dashv": "⊣",
    # operators
    "cup": "∪", "cap": "∩", "setminus": "∖", "sqcup": "⊔", "uplus": "⊎", "wedge": "∧",
    "land": "∧", "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "oplus": "⊕",
    "ominus": "⊖", "otimes": "⊗", "odot": "⊙", "oslash": "⊘", "cdot": "·", "cdotp": "·",
    "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "•", "diamond": "⋄", "dagger": "†", "ddagger": "‡", "wr": "≀", "amalg": "⨿",
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂",
    "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀", "bigsqcup": "⨆", "biguplus": "⨄",
    # logic, sets, misc
    "forall": "∀", "exists": "∃", "nexists": "∄", "infty": "∞", "partial": "∂",
    "nabla": "∇", "emptyset": "∅", "varnothing": "∅", "top": "⊤", "bot": "⊥",
    "ell": "ℓ", "hbar": "ℏ", "hslash": "ℏ", "imath": "ı", "jmath": "ȷ", "aleph": "ℵ",
    "beth": "ℶ", "Re": "ℜ", "Im": "ℑ", "wp": "℘", "prime": "′", "angle": "∠",
    "triangle": "△", "square": "□", "Box": "□", "blacksquare": "■", "checkmark": "✓",
    "therefore": "∴", "because": "∵", "surd": "√", "sharp": "♯", "flat": "♭",
    "natural": "♮", "clubsuit": "♣", "diamondsuit": "♢", "heartsuit": "♡",
    "spadesuit": "♠", "degree": "°", "S": "§", "P": "¶", "copyright": "©",
    # arrows
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "iff": "⇔",
    "implies": "⇒", "impliedby": "⇐", "longrightarrow": "⟶", "longleftarrow": "⟵",
    "longleftrightarrow": "⟷", "Longrightarrow": "⟹", "Longleftarrow": "⟸",
    "Longleftrightarrow": "⟺", "mapsto": "↦", "longmapsto": "⟼", "uparrow": "↑",
    "downarrow": "↓", "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓",
    "nearrow": "↗", "searrow": "↘", "swarrow": "↙", "nwarrow": "↖",
    "hookrightarrow": "↪", "hookleftarrow": "↩", "leadsto": "⇝", "rightharpoonup": "⇀",
    "leftharpoonup": "↼", "rightleftharpoons": "⇌", "xrightarrow": "→", "xleftarrow": "←",
    # dots
    "ldots": "…", "dots": "…", "cdots": "…", "dotsc": "…", "dotsb": "…", "dotsm": "…",
    "dotso": "…", "dotsi": "…", "vdots": "⋮", "ddots": "⋱", "ldotp": ".",
    # delimiters
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
    "rceil": "⌉", "vert": "|", "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖",
    "rVert": "‖", "lbrace": "{", "rbrace": "}", "lbrack": "[", "rbrack": "]",
    "backslash": "\\", "colon": ":", "vartriangle": "△",
    # spacing
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ", "medspace": " ",
    "thickspace": " ", "space": " ", "nobreakspace": " ", "negthinspace": "",
    "negmedspace": "", "negthickspace": "", "hfill": " ", "cr": " ",
}  # fmt: skip

#: Commands shown as a word (log x, max_θ).
_WORDS = frozenset(
    _names(
        "log ln lg exp max min arg argmax argmin sup inf lim liminf limsup sin cos tan cot sec "
        "csc sinh cosh tanh coth arcsin arccos arctan det dim ker deg gcd hom Pr mod bmod "
        "softmax sgn tr Tr diag rank var Var Cov"
    )
)

#: Commands that vanish: sizing, styles, numbering switches.
_NOTHING = frozenset(
    _names(
        "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm "
        "Bigm biggm Biggm displaystyle textstyle scriptstyle scriptscriptstyle limits nolimits "
        "nonumber notag label allowbreak nobreak relax strut mathstrut protect rm bf it sf tt "
        "cal boldmath unboldmath normalsize small large Large tiny footnotesize huge Huge "
        "centering"
    )
)

#: Commands whose one argument shows as plain text.
_PLAIN = frozenset(
    _names(
        "mathrm text textrm textnormal textbf textit textsf texttt textup emph mathbf mathit "
        "mathsf mathtt mathnormal boldsymbol bm pmb mathfrak mbox hbox operatorname "
        "mathop mathbin mathrel mathord mathpunct mathopen mathclose underbrace "
        "overbrace underline boxed fbox ensuremath smash"
    )
)

#: Commands whose arguments are dropped (all but what ``_ARGS`` says to keep).
_DROP_ARG = {"label": 1, "color": 1, "vspace": 1, "hspace": 1, "phantom": 1, "vphantom": 1,
             "hphantom": 1, "textcolor": 1, "colorbox": 1}  # fmt: skip

_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "check": "\u030c",
    "widecheck": "\u030c",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "bar": "\u0304",
    "overline": "\u0305",
    "vec": "\u20d7",
    "overrightarrow": "\u20d7",
    "overleftarrow": "\u20d6",
    "dot": "\u0307",
    "ddot": "\u0308",
    "dddot": "\u20db",
    "breve": "\u0306",
    "acute": "\u0301",
    "grave": "\u0300",
    "mathring": "\u030a",
}

_ESCAPES = {
    "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "|": "‖",
    ",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": "", "/": "", "\n": " ",
    "\\": "\\\\", "-": "", "'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302",
    "~": "\u0303", "=": "\u0304", ".": "\u0307",
}  # fmt: skip

_BLACKBOARD = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ𝕒𝕓𝕔𝕕𝕖𝕗𝕘𝕙𝕚𝕛𝕜𝕝𝕞𝕟𝕠𝕡𝕢𝕣𝕤𝕥𝕦𝕧𝕨𝕩𝕪𝕫𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡",
        strict=True,
    )
)
_CALLIGRAPHIC = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵",
        strict=True,
    )
)

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ′⊤∗*'",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ′ᵀ**′",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)

#: Environments shown between brackets (their rows split by ``;``).
_BRACKETS = {
    "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
    "cases": ("{ ", ""),
    "dcases": ("{ ", ""),
}

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\\$|[0-9]+(?:\.[0-9]+)?|\s+|.", re.DOTALL)
#: One "simple" thing: needs no parentheses around it in a fraction.
_SIMPLE = re.compile(r"[∂∇√]?[\w\u0300-\u036f\u20d0-\u20ff′'.ᵢⱼₐₑₒₓₕₖₗₘₙₚₛₜᵣᵤᵥ]+|\(.*\)|\[.*\]")
_COMBINING = re.compile(r"[\u0300-\u036f\u20d0-\u20ff]")
#: How deep groups may nest before the rest is kept as written.
_MAX_DEPTH = 40

# An atom: its text and its kind ("" plain, " " a space, "word" an operator name,
# "unknown" a command kept as written, "big" a sum/product/integral-like operator).
_Atom = tuple[str, str]


class _Reader:
    def __init__(self, source: str, display: bool) -> None:
        self.tokens = _TOKEN.findall(source)
        self.index = 0
        self.display = display

    # Tokens ----------------------------------------------------------------------------

    def peek(self) -> str:
        return self.tokens[self.index] if self.index < len(self.tokens) else ""

    def take(self) -> str:
        token = self.peek()
        self.index += 1
        return token

    def take_single(self) -> str:
        """One token, of which a number gives one digit (``x^12`` is x² then 2)."""
        token = self.peek()
        if len(token) > 1 and token[0].isdigit():
            self.tokens[self.index] = token[1:]
            return token[0]
        self.index += 1
        return token

    def skip_spaces(self) -> None:
        while self.peek().isspace():
            self.index += 1

    # Reading ---------------------------------------------------------------------------

    def sequence(self, depth: int, closing: bool) -> list[_Atom]:
        """Atoms up to the end, or (``closing``) up to the ``}`` that closes the group."""
        atoms: list[_Atom] = []
        while self.index < len(self.tokens):
            token = self.peek()
            if token == "}":
                self.index += 1
                if closing:
                    return atoms
                atoms.append(("}", ""))  # a stray closing brace: shown, not lost
                continue
            if token in ("^", "_"):
                self.index += 1
                base = atoms.pop() if atoms and atoms[-1][1] != " " else ("", "")
                atoms.append(self.scripts(base, token, depth))
                continue
            if token == "{" and atoms and atoms[-1][1] == "unknown":
                self.index += 1
                inner = self.sequence(depth + 1, True) if depth < _MAX_DEPTH else self.raw()
                atoms.append(("{" + _join(inner) + "}", ""))
                continue
            atoms.extend(self.atom(depth))
        return atoms

    def raw(self) -> list[_Atom]:
        """Too deep: the rest of the group as written."""
        level = 1
        parts: list[str] = []
        while self.index < len(self.tokens):
            token = self.take()
            level += token == "{"
            level -= token == "}"
            if level == 0:
                break
            parts.append(token)
        return [("".join(parts), "")]

    def group(self, depth: int) -> list[_Atom]:
        """An argument: a braced group, or one token (and its own arguments)."""
        self.skip_spaces()
        token = self.peek()
        if token == "{":
            self.index += 1
            return self.sequence(depth + 1, True) if depth < _MAX_DEPTH else self.raw()
        if token in ("", "}", "^", "_", "&"):
            return []
        if not token.startswith("\\"):
            return [(self.take_single(), "")]
        return self.atom(depth + 1)

    def optional(self, depth: int) -> list[_Atom] | None:
        """An optional argument ``[...]`` (as in ``\\sqrt[3]{x}``), if there is one."""
        self.skip_spaces()
        if self.peek() != "[":
            return None
        self.index += 1
        atoms: list[_Atom] = []
        while self.index < len(self.tokens) and self.peek() != "]":
            if self.peek() == "{":
                atoms += self.group(depth)
            elif self.peek() == "}":
                break
            else:
                atoms += self.atom(depth)
        if self.peek() == "]":
            self.index += 1
        return atoms

    def scripts(self, base: _Atom, first: str, depth: int) -> _Atom:
        """``base`` with the script after ``first`` (``^`` or ``_``), and a second one."""
        text = base[0]
        marker = first
        while True:
            argument = self.group(depth)
            if base[1] == "group" and text == base[0]:
                text = f"({text})"
            text += _script(_join(argument), marker)
            after = self.index
            self.skip_spaces()
            if self.peek() in ("^", "_"):
                marker = self.take()
                continue
            self.index = after
            return text, "big" if base[1] == "big" else ("word" if base[1] == "word" else "")

    def atom(self, depth: int) -> list[_Atom]:
        token = self.take()
        if token.isspace():
            return [(" ", " ")]
        if token == "{":
            if depth >= _MAX_DEPTH:
                return self.raw()
            inner = self.sequence(depth + 1, True)
            return [(_join(inner), "" if _simple(inner) else "group")]
        if token == "~" or token == "&":
            return [(" ", " ")]
        if not token.startswith("\\"):
            return [(token, "")]
        if depth > _MAX_DEPTH:  # \hat\hat\hat...: the rest as written
            return [(token, "")]
        name = token[1:]
        if name in _SYMBOLS:
            kind = "big" if name in ("sum", "prod", "int", "bigcup", "bigcap", "coprod") else ""
            if name in ("xrightarrow", "xleftarrow"):
                above = self.group(depth)
                return [(_SYMBOLS[name] + _script(_join(above), "^"), "")]
            return [(_SYMBOLS[name], kind)]
        if name in _WORDS:
            return [(name.replace("bmod", "mod"), "word")]
        if len(name) == 1 and name in _ESCAPES:
            if name == "\\":
                return [("\n" if self.display else "; ", "sep")]
            mark = _ESCAPES[name]
            if _COMBINING.fullmatch(mark):  # a text accent: \'e
                return [(_accent(_join(self.group(depth)), mark), "")]
            return [(mark, " " if mark == " " else "")]
        if name in _NOTHING:
            if name in ("left", "right", "middle") or name.startswith(("big", "Big")):
                self.skip_spaces()
                if self.peek() == ".":
                    self.index += 1
            elif name == "label":
                self.group(depth)
            return []
        return self.command(name, depth)

    def command(self, name: str, depth: int) -> list[_Atom]:
        bare = name.rstrip("*")
        if bare in _PLAIN:
            text = _join(self.group(depth))
            kind = "word" if bare == "operatorname" else _kind(text)
            return [(text, kind)]
        if name in ("mathbb", "Bbb", "mathds", "mathbbm"):
            text = _join(self.group(depth))
            return [("".join(_BLACKBOARD.get(c, c) for c in text), _kind(text))]
        if name in ("mathcal", "mathscr"):
            text = _join(self.group(depth))
            return [("".join(_CALLIGRAPHIC.get(c, c) for c in text), _kind(text))]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top, bottom = self.group(depth), self.group(depth)
            return [(f"{_operand(top)}/{_operand(bottom)}", "group")]
        if name in ("binom", "dbinom", "tbinom", "choose"):
            top, bottom = self.group(depth), self.group(depth)
            return [(f"C({_join(top)}, {_join(bottom)})", "")]
        if name == "sqrt":
            index = self.optional(depth)
            inner = self.group(depth)
            root = _script(_join(index), "^") if index else ""
            return [(f"{root}√{_operand(inner)}", "")]
        if name in _ACCENTS:
            mark = _ACCENTS[name]
            return [(_accent(_join(self.group(depth)), mark), "")]
        if name in ("overset", "stackrel", "underset"):
            over, under = self.group(depth), self.group(depth)
            marker = "_" if name == "underset" else "^"
            return [(_join(under) + _script(_join(over), marker), "")]
        if name == "not":
            following = self.atom(depth + 1) if self.peek() else []
            text = _join(following)
            return [(text + "\u0338" if text else "/", "")]
        if name in ("begin", "end"):
            environment = _join(self.group(depth)).strip().rstrip("*")
            if environment in ("array", "tabular") and name == "begin":
                self.group(depth)  # the column spec
            ends = _BRACKETS.get(environment)
            if ends is None:
                return []
            return [(ends[0] if name == "begin" else ends[1], "")]
        if name in ("tag", "eqref"):
            return [(f"({_join(self.group(depth))})", "")]
        if name == "pmod":
            return [(f"(mod {_join(self.group(depth))})", "")]
        if name in _DROP_ARG:
            for _ in range(_DROP_ARG[name]):
                self.group(depth)
            if name in ("textcolor", "colorbox"):
                return [(_join(self.group(depth)), "")]
            return [(" ", " ")] if "space" in name or "phantom" in name else []
        return [("\\" + name, "unknown")]


_OPENING = ("(", "[", "{", "⟨", "∂", "∇")
_CLOSING = ")]}⟩"


def _join(atoms: list[_Atom]) -> str:
    """Atoms as text: spaces collapsed, a space after an operator word before a letter."""
    parts: list[str] = []
    previous = ""
    for text, kind in atoms:
        if not text:
            continue
        if kind == " ":
            if parts and not parts[-1].endswith((" ", "\n", *_OPENING)):
                parts.append(" ")
            previous = " "
            continue
        if text[0] in _CLOSING and parts and parts[-1] == " ":
            parts.pop()
        if kind == "sep":
            if parts:
                parts[-1] = parts[-1].rstrip(" ")
            parts.append(text)
            previous = " "
            continue
        if previous == "word" and (text[0].isalnum() or text[0] in "\\√∂∇"):
            parts.append(" ")
        parts.append(text)
        previous = kind
    return "".join(parts).strip(" ")


def _simple(atoms: list[_Atom]) -> bool:
    """Whether the atoms read as one thing (no parentheses needed around them)."""
    solid = [atom for atom in atoms if atom[1] != " " and atom[0]]
    if len(solid) == 2 and solid[0][0] in ("∂", "∇", "d"):
        solid = [(solid[0][0] + solid[1][0], solid[1][1])]
    if len(solid) != 1 or solid[0][1] in ("group", "big"):
        return False
    return _SIMPLE.fullmatch(solid[0][0]) is not None


def _kind(text: str) -> str:
    return "" if _SIMPLE.fullmatch(text) else "group"


def _operand(atoms: list[_Atom]) -> str:
    text = _join(atoms)
    return text if _simple(atoms) or not text else f"({text})"


def _script(text: str, marker: str) -> str:
    """``text`` as a superscript (``^``) or subscript (``_``): in Unicode if every
    character has a form, else ``^x`` (one character) or ``^(text)``."""
    text = text.replace(" ", "") if len(text) > 1 else text
    if not text:
        return ""
    table = _SUPERSCRIPTS if marker == "^" else _SUBSCRIPTS
    if all(char in table for char in text):
        return "".join(table[char] for char in text)
    if marker == "^" and text == "′":
        return text
    if len(_COMBINING.sub("", text)) == 1 or (text[0] == "(" and text[-1] == ")"):
        return marker + text
    return f"{marker}({text})"


def _accent(text: str, mark: str) -> str:
    """``text`` with a combining ``mark`` on each of its letters and digits."""
    return "".join(char + mark if char.isalnum() else char for char in text)


@lru_cache(maxsize=4096)
def tex_to_text(source: str) -> str:
    """LaTeX maths (without its ``$``) as one line of readable Unicode text."""
    return _convert(source, display=False)


def tex_lines(source: str) -> list[str]:
    """Display maths as lines of Unicode text: a line per ``\\\\`` or line of the source
    (a line break inside braces does not cut)."""
    return [line for line in _convert(source, display=True).split("\n") if line.strip()]


def _convert(source: str, display: bool) -> str:
    if not isinstance(source, str):
        return ""
    if display:
        source = _join_broken_lines(source)
    reader = _Reader(source, display)
    try:
        atoms = reader.sequence(0, closing=False)
    except RecursionError:  # pragma: no cover - bounded by _MAX_DEPTH
        return clean_text(source)
    text = _join(atoms)
    if not text.isascii():  # ∈ and a stroke is ∉, a and a hat is â
        text = unicodedata.normalize("NFC", text)
    limit = max(4 * len(source), 1)
    if display:
        lines = [clean_text(line) for line in text.split("\n")]
        return "\n".join(lines)[:limit]
    return clean_text(text)[:limit]


def _join_broken_lines(source: str) -> str:
    """The source's line breaks as ``\\\\`` where braces are balanced, else spaces."""
    out: list[str] = []
    level = 0
    for token in _TOKEN.findall(source):
        if token == "{":
            level += 1
        elif token == "}":
            level = max(level - 1, 0)
        elif "\n" in token and token.isspace():
            token = " \\\\ " if level == 0 else " "
        out.append(token)
    return "".join(out)
