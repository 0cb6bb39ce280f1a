"""LaTeX maths as Unicode text (core.tex): cases from papers, bad input, and a fuzz."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperreader.core.tex import tex_lines, tex_to_text
from paperreader.ui.markdown_lines import Links, layout, parse_blocks

CASES = [
    # Greek, relations, fractions
    (r"\alpha_{t} \leq \frac{1}{2}", "αₜ ≤ 1/2"),
    (r"\varepsilon, \vartheta, \varphi, \Omega", "ε, ϑ, φ, Ω"),
    (r"x \neq y \approx z \propto w", "x ≠ y ≈ z ∝ w"),
    (r"\forall x \in \mathcal{X}, \exists y \notin S", "∀ x ∈ 𝒳, ∃ y ∉ S"),
    (r"A \subseteq B \cup C \cap D", "A ⊆ B ∪ C ∩ D"),
    (r"x_1, \ldots, x_n", "x₁, …, xₙ"),
    (r"f: \mathbb{R}^n \to \mathbb{R}", "f: ℝⁿ → ℝ"),
    (r"\frac{a+b}{2}", "(a+b)/2"),
    (r"\frac{1}{2\pi}", "1/(2π)"),
    (r"\frac{\frac{a}{b}}{c}", "(a/b)/c"),
    (r"\frac{1}{1 + \frac{1}{x}}", "1/(1 + 1/x)"),
    (r"\frac12", "1/2"),
    (r"\frac{\partial \mathcal{L}}{\partial \theta}", "∂ℒ/∂θ"),
    (r"\frac{dy}{dx}", "dy/dx"),
    (r"\sqrt{d_k}", "√dₖ"),
    (r"\sqrt{x+1}", "√(x+1)"),
    (r"\sqrt[3]{x}", "³√x"),
    # sub- and superscripts, in Unicode when every character has a form
    (r"E = mc^2 + \frac{a}{b}", "E = mc² + a/b"),
    (r"x^{-1}", "x⁻¹"),
    (r"W^{\top} x", "Wᵀ x"),
    (r"\sum_{i=1}^{N} x_i^2", "∑ᵢ₌₁ᴺ xᵢ²"),
    (r"p_\theta(x_{t-1} | x_t)", "p_θ(xₜ₋₁ | xₜ)"),
    (r"\mathbf{W}_{\text{out}}", "Wₒᵤₜ"),
    (r"x^{\prime}", "x′"),
    (r"x^12", "x¹2"),  # TeX: only the first digit is raised
    # ... and readable when not
    (r"W^{Q}", "W^Q"),
    (r"x_{i,j}", "x_(i,j)"),
    (r"\mathcal{L}_{\text{CE}}", "ℒ_(CE)"),
    (r"\mathbb{E}_{x \sim p}[f(x)]", "𝔼_(x∼p)[f(x)]"),
    (r"\pi_{\theta_{\text{old}}}", "π_(θ_(old))"),
    (r"e^{i\pi} + 1 = 0", "e^(iπ) + 1 = 0"),
    (r"{a+b}^2", "(a+b)²"),
    # fonts, words, accents
    (r"\mathrm{softmax}(QK^\top / \sqrt{d_k})V", "softmax(QKᵀ / √dₖ)V"),
    (r"\operatorname{argmax}_{\theta} J(\theta)", "argmax_θ J(θ)"),
    (r"\mathcal{L} = \sum_i \log p(x_i)", "ℒ = ∑ᵢ log p(xᵢ)"),
    (r"O(n \log n)", "O(n log n)"),
    (r"\max_{\theta}\mathbb{E}", "max_θ 𝔼"),
    (r"\epsilon \sim \mathcal{N}(0, \mathbf{I})", "ε ∼ 𝒩(0, I)"),
    (r"\hat{\theta}_t", "θ\u0302ₜ"),
    (r"\bar{x} + \tilde{y} + \vec{v}", "x\u0304 + \u1ef9 + v\u20d7"),  # ỹ: composed (NFC)
    (r"\mathbb{1}[y = k]", "𝟙[y = k]"),
    # sizing, spacing, braces, cases
    (r"\left( \frac{a}{b} \right)^2", "(a/b)²"),
    (r"\left. f \right|_{x=0}", "f |ₓ₌₀"),
    (r"\big\| x \big\|_2^2", "‖ x ‖₂²"),
    (r"\{x_i\}_{i=1}^{N}", "{xᵢ}ᵢ₌₁ᴺ"),
    (r"a\,b\;c\quad d~e\!f", "a b c d ef"),
    (r"\begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}", "{ 1 x > 0; 0 otherwise"),
    (r"\not\in \quad \not=", "∉ ≠"),
    # unknown commands stay as written; broken input stays readable
    (r"\foo{bar} + \baz x", r"\foo{bar} + \baz x"),
    (r"\frac{a}{", "a/"),
    (r"}}}{{{", "}}}"),
    (r"x^", "x"),
    (r"\frac", "/"),
    (r"\sqrt", "√"),
    ("\\", "\\"),
    (r"\$5 and 50\%", "$5 and 50%"),
    ("", ""),
]


@pytest.mark.parametrize(("source", "shown"), CASES)
def test_tex_to_text(source: str, shown: str) -> None:
    assert tex_to_text(source) == shown


def test_display_maths_is_a_line_per_row_and_a_broken_line_in_braces_is_joined() -> None:
    source = "a &= b \\\\\nc &= \\frac{1}{\n2}\n\\label{eq:1}"
    assert tex_lines(source) == ["a = b", "c = 1/2"]
    assert tex_lines("\\begin{aligned}\nx &= 1 \\\\ y &= 2\n\\end{aligned}") == ["x = 1", "y = 2"]


def test_deep_nesting_is_kept_as_written_not_a_crash() -> None:
    for deep in ("{" * 5000 + "x" + "}" * 5000, "\\hat" * 5000 + "x", "\\sqrt" * 5000 + "x"):
        shown = tex_to_text(deep)
        assert "x" in shown and len(shown) <= 4 * len(deep)
    assert tex_to_text("\\sqrt" * 5000 + "x").startswith("√(√(")


def _controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cs")]


_TEXY = st.lists(
    st.sampled_from(
        [
            *"\\{}^_&~$ ab1.()[]'\n\t\x1b\x00é",
            *(r"\frac", r"\sqrt", r"\left", r"\hat", r"\not", r"\mathbb", r"\text", r"\begin"),
            *(r"\alpha", r"\\", r"\{", r"\}", r"\foo", r"\,"),
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=200), _TEXY))
def test_any_input_gives_bounded_clean_text(source: str) -> None:
    shown = tex_to_text(source)
    assert isinstance(shown, str)
    assert _controls(shown) == []
    assert len(shown) <= 4 * len(source)
    for line in tex_lines(source):
        assert _controls(line) == [] and "\n" not in line
        assert len(line) <= 4 * len(source)


def test_a_paper_with_maths_is_laid_out_in_unicode() -> None:
    markdown = (
        "# Method\n\n"
        "We minimise $\\mathcal{L}(\\theta) = \\mathbb{E}_{x}[\\ell(x)]$ with step "
        "$\\alpha_{t} \\leq \\frac{1}{2}$ and $$\\lambda \\in [0, 1]$$.\n\n"
        "$$\n\\hat{y} = \\sigma\\left(W^{\\top} x + b\\right) \\\\\n"
        "\\nabla_\\theta \\mathcal{L} \\to 0\n$$\n\n"
        "Prices stay prices: \\$5 and \\$6.\n"
    )
    doc = layout(parse_blocks(markdown, Links()), 80)
    texts = doc.texts
    assert "We minimise ℒ(θ) = 𝔼ₓ[ℓ(x)] with step αₜ ≤ 1/2 and λ ∈ [0, 1]." in texts
    assert "  ŷ = σ(Wᵀ x + b)" in texts
    assert "  ∇_θ ℒ → 0" in texts
    assert not any("$$" in text or "\\frac" in text for text in texts)
    assert "Prices stay prices: $5 and $6." in texts
    # The maths keeps its style: the segments of the shown symbols are magenta.
    line = doc.lines[texts.index("  ∇_θ ℒ → 0")]
    assert any(seg.text == "∇_θ ℒ → 0" and seg.style and seg.style.color for seg in line)
