"""Every colour IronBone draws with, in one place: the light and dark schemes (window palette, diagram,
plots, quiz marks, ferritin bands), the projector look of presentation mode, and which scheme the
application shows now. Text colours are chosen to reach at least 4.5:1 (WCAG 2) on the background
they are drawn on, in every scheme, and the keyboard focus at least 3:1 against what is next to it;
tests/ui/test_contrast.py measures each pair.

Colour-vision deficiency: activation and inhibition come from the Okabe–Ito set and also differ in
line style; the traced path is a dark wine (light schemes) or a pale pink (dark) whose luminance
differs from both, and it carries a halo and extra width, so it stays apart from the activation
blue under protanopia, deuteranopia and tritanopia (tests/ui/diagram/test_cvd.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# Okabe & Ito (2008), "Color Universal Design": the base set.
OKABE_ITO = MappingProxyType({
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
})

_LIGHT_FILLS = MappingProxyType({
    "hormone": "#FBE3B3",  # orange tint
    "protein": "#FFFFFF",
    "receptor": "#D6EAF7",  # sky tint
    "molecule": "#FAF6C4",  # yellow tint
    "cell": "#CDEBDF",  # green tint
    "process": "#F1E1EC",  # purple tint
    "outcome": "#EFD3E4",
})
# The projector look (presentation mode): stronger fills, drawn with pure black outlines and text.
_PROJECTOR_FILLS = MappingProxyType({
    "hormone": "#F7C66A",
    "protein": "#FFFFFF",
    "receptor": "#A6D0EE",
    "molecule": "#F2E76F",
    "cell": "#96D6BA",
    "process": "#DDB8D2",
    "outcome": "#D9A3C4",
})
# On a dark canvas the nodes stay light cards with dark text (the tints that show a change blend
# into them the same way in both schemes), a little less bright than on white.
_DARK_FILLS = MappingProxyType({
    "hormone": "#E9D2A3",
    "protein": "#E4E4E4",
    "receptor": "#C3D8E6",
    "molecule": "#E6E2B4",
    "cell": "#BBD8CC",
    "process": "#DCCDD8",
    "outcome": "#DBC1D1",
})


@dataclass(frozen=True, slots=True)
class Scheme:
    """One colour scheme. Hex strings; `QColor(scheme.x)` where Qt wants a colour."""

    name: str  # "light" | "dark" | "projector"
    dark: bool
    # --- the window (QPalette roles) ---
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    tooltip_base: str
    tooltip_text: str
    placeholder: str
    link: str
    link_visited: str
    mid: str  # frames and separators
    disabled_text: str
    # --- the diagram ---
    canvas: str
    ink: str  # the legend's text and lines
    compartment_text: str
    compartment_mix: float  # how much of a compartment's own colour its fill keeps (the rest: canvas)
    node_text: str
    node_text_dimmed: str  # labels of the nodes dimmed around a hovered one
    node_dim_alpha: float  # opacity of a dimmed node's fill
    node_outline: str
    node_fills: MappingProxyType
    activation: str
    inhibition: str
    path: str  # the traced "why" path
    hover: str  # the hovered node's neighbourhood
    selection: str
    search: str
    focus_core: str  # the keyboard cursor on the diagram: its ring's core, at least 3:1 on the canvas
    focus_halo: str  # the band each side of that core, of the opposite tone, parting it from fills and lines
    up: str  # tint: more active than the reference
    down: str  # tint: less active
    badge_fill: str  # KO / fixed badges
    badge_text: str
    cut: str  # the cross on a cut link
    cut_fill: str
    # --- plots and model readouts ---
    formation: str
    resorption: str
    mass: str
    projection: str
    references: tuple[str, ...]  # pinned runs, in pin order
    # --- quiz marks ---
    ok: str
    bad: str
    # the ferritin bands under the slider: (fill, opacity) per band; labels in window_text
    band_alpha: float = 0.35

    def fill(self, kind: str) -> str:
        return self.node_fills.get(kind, self.node_fills["protein"])

    def compartment_fill(self, colour: str) -> str:
        """A compartment's fill: its own colour from the content, mixed into the canvas."""
        return mix(colour, self.canvas, self.compartment_mix)


# The ring around a focused widget (app/ui/shell/focus_ring.py), on any window colour: of these two,
# the one with more contrast against what surrounds the widget is the core and the other its halo
# (the diagram draws its own ring, in each scheme's focus_core and focus_halo).
WIDGET_FOCUS_ON_LIGHT, WIDGET_FOCUS_ON_DARK = "#004C99", "#9CD3FF"


def luminance(colour: QColor) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(colour.redF()) + 0.7152 * lin(colour.greenF()) + 0.0722 * lin(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: str, b: str, share_of_a: float) -> str:
    """`share_of_a` of colour `a` over the rest of colour `b` (both opaque), as hex."""
    ca, cb = QColor(a), QColor(b)
    t = max(0.0, min(1.0, share_of_a))
    return QColor.fromRgbF(ca.redF() * t + cb.redF() * (1 - t), ca.greenF() * t + cb.greenF() * (1 - t),
                           ca.blueF() * t + cb.blueF() * (1 - t)).name()


LIGHT = Scheme(
    name="light", dark=False,
    window="#F2F2F2", window_text="#1A1A1A", base="#FFFFFF", alternate_base="#F6F6F6", text="#1A1A1A",
    button="#E9E9E9", button_text="#1A1A1A", highlight="#0B5CAD", highlighted_text="#FFFFFF",
    tooltip_base="#FFFFFF", tooltip_text="#1A1A1A", placeholder="#666666", link="#0B5CAD",
    link_visited="#6A3D9A", mid="#A8A8A8", disabled_text="#8C8C8C",
    canvas="#FFFFFF", ink="#222222", compartment_text="#333333", compartment_mix=1.0,
    node_text="#111111", node_text_dimmed="#4D4D4D", node_dim_alpha=0.45, node_outline="#333333",
    node_fills=_LIGHT_FILLS,
    activation=OKABE_ITO["blue"], inhibition=OKABE_ITO["vermillion"], path="#7A1F4F",
    hover="#000000", selection=OKABE_ITO["orange"], search=OKABE_ITO["green"], focus_core="#000000",
    focus_halo="#FFFFFF",
    up=OKABE_ITO["orange"], down=OKABE_ITO["sky"], badge_fill="#FFFFFF", badge_text="#000000",
    cut=OKABE_ITO["vermillion"], cut_fill="#FFFFFF",
    formation=OKABE_ITO["blue"], resorption=OKABE_ITO["vermillion"], mass="#000000", projection="#6E6E6E",
    references=(OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"]),
    ok="#1B7A39", bad="#B3261E",
)

DARK = Scheme(
    name="dark", dark=True,
    window="#2B2D31", window_text="#E8E8E8", base="#1E1F22", alternate_base="#26282C", text="#E8E8E8",
    button="#3A3D42", button_text="#E8E8E8", highlight="#2F6FB3", highlighted_text="#FFFFFF",
    tooltip_base="#3A3D42", tooltip_text="#E8E8E8", placeholder="#A3A3A3", link="#8CC4FF",
    link_visited="#C9A6F2", mid="#62666D", disabled_text="#7D7D7D",
    canvas="#1E1F22", ink="#E2E2E2", compartment_text="#E6E6E6", compartment_mix=0.22,
    node_text="#111111", node_text_dimmed="#1A1A1A", node_dim_alpha=0.6, node_outline="#0A0A0A",
    node_fills=_DARK_FILLS,
    activation="#3D9BE0", inhibition="#F07B3F", path="#FFC8E6",
    hover="#FFFFFF", selection=OKABE_ITO["orange"], search="#2BC08F", focus_core="#FFFFFF",
    focus_halo="#000000",
    up=OKABE_ITO["orange"], down=OKABE_ITO["sky"], badge_fill="#FFFFFF", badge_text="#000000",
    cut="#FF8A5C", cut_fill="#1E1F22",
    formation="#4BA6E8", resorption="#F08A4B", mass="#E8E8E8", projection="#9C9C9C",
    references=(OKABE_ITO["orange"], "#2BC08F", "#E89AC7"),
    ok="#7BD88F", bad="#FF8E85",
)

# The projector look is the light one made starker: pure black on pure white, darker links and muted
# text, black outlines, stronger fills. Everything else (the model's and the marks' colours) is LIGHT's.
PROJECTOR = replace(
    LIGHT, name="projector",
    window="#FFFFFF", window_text="#000000", alternate_base="#FFFFFF", text="#000000",
    button="#FFFFFF", button_text="#000000", highlight="#0072B2", tooltip_text="#000000", placeholder="#555555",
    link="#0050A0", link_visited="#5A2D8A", mid="#777777", disabled_text="#777777",
    ink="#000000", compartment_text="#000000",
    node_text="#000000", node_text_dimmed="#3A3A3A", node_outline="#000000", node_fills=_PROJECTOR_FILLS,
)

SCHEMES = MappingProxyType({s.name: s for s in (LIGHT, DARK, PROJECTOR)})
CHOICES = ("system", "light", "dark")  # View ▸ Appearance


def qt_palette(scheme: Scheme) -> QPalette:
    """The window palette of `scheme` (every role a widget draws text or a background with)."""
    pal = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    c = QColor
    window, button = c(scheme.window), c(scheme.button)
    for r, value in ((role.Window, scheme.window), (role.WindowText, scheme.window_text),
                     (role.Base, scheme.base), (role.AlternateBase, scheme.alternate_base),
                     (role.Text, scheme.text), (role.Button, scheme.button), (role.ButtonText, scheme.button_text),
                     (role.BrightText, scheme.highlighted_text), (role.Highlight, scheme.highlight),
                     (role.HighlightedText, scheme.highlighted_text), (role.ToolTipBase, scheme.tooltip_base),
                     (role.ToolTipText, scheme.tooltip_text), (role.PlaceholderText, scheme.placeholder),
                     (role.Link, scheme.link), (role.LinkVisited, scheme.link_visited), (role.Mid, scheme.mid)):
        pal.setColor(r, c(value))
    # The bevel shades Fusion draws buttons and frames with.
    pal.setColor(role.Light, button.lighter(140 if scheme.dark else 150))
    pal.setColor(role.Midlight, button.lighter(120))
    pal.setColor(role.Dark, window.darker(150) if scheme.dark else button.darker(160))
    pal.setColor(role.Shadow, c("#000000"))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, r, c(scheme.disabled_text))
    if hasattr(role, "Accent"):  # Qt 6.6
        pal.setColor(role.Accent, c(scheme.highlight))
    return pal


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def current() -> Scheme:
    """The scheme the application shows now (light when there is no application yet)."""
    app = QGuiApplication.instance()
    if app is None:
        return LIGHT
    return DARK if is_dark(QGuiApplication.palette()) else LIGHT


def system_scheme() -> str:
    """"dark" or "light" as the desktop asks (Qt's colour-scheme hint; light when it says nothing)."""
    try:
        from PySide6.QtCore import Qt

        hint = QGuiApplication.styleHints().colorScheme()
        return "dark" if hint == Qt.ColorScheme.Dark else "light"
    except AttributeError:  # Qt < 6.5 has no hint
        return "light"
