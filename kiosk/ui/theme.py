"""The kiosk's look: one stylesheet built from a few settings (large text, high contrast, screen width).

Widgets never set colours or fonts themselves; they set a ``role`` property (``title``, ``caption-guide``,
``primary`` ...) and this stylesheet styles the role. Sizes scale with the window's short side, so a 1080-pixel-wide
portrait screen and a 1920-pixel-wide landscape one both get text readable from a step back, and every touch
target stays at least ``MIN_TOUCH`` pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_TOUCH = 48
"""Smallest touch target, in pixels (WCAG 2.5.5 asks for 44; we use 48 like Android and Material)."""


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    raised: str
    text: str
    muted: str
    accent: str
    accent_text: str
    guide: str
    visitor: str
    danger: str
    outline: str


CALM = Palette(
    background="#10192b",
    surface="#17233b",
    raised="#22314f",
    text="#f6f1e7",
    muted="#b7bccb",
    accent="#d9a441",
    accent_text="#10192b",
    guide="#f6f1e7",
    visitor="#9fd3c7",
    danger="#e36f5a",
    outline="#3a4a6b",
)
HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    raised="#000000",
    text="#ffffff",
    muted="#ffffff",
    accent="#ffd400",
    accent_text="#000000",
    guide="#ffffff",
    visitor="#ffd400",
    danger="#ff6b6b",
    outline="#ffffff",
)

FONT_FAMILIES = '"Noto Sans CJK SC", "Noto Sans CJK KR", "Noto Sans", "DejaVu Sans", sans-serif'


@dataclass(frozen=True)
class Theme:
    large_text: bool = False
    high_contrast: bool = False
    short_side: int = 1080
    """The window's shorter side in pixels; type and spacing scale with it."""

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else CALM

    @property
    def unit(self) -> float:
        """One type unit in pixels: 1/40 of the short side (27 px at 1080), times 1.35 for large text."""
        return max(14.0, self.short_side / 40) * (1.35 if self.large_text else 1.0)

    def px(self, units: float) -> int:
        return round(self.unit * units)

    @property
    def touch(self) -> int:
        """The height of an ordinary button: never under MIN_TOUCH."""
        return max(MIN_TOUCH, self.px(2.6))

    def stylesheet(self) -> str:
        p = self.palette
        u = self.px
        border = "3px" if self.high_contrast else "1px"
        panel_border = f"border: 2px solid {p.outline};" if self.high_contrast else ""
        return f"""
QWidget {{ background: {p.background}; color: {p.text}; font-family: {FONT_FAMILIES}; font-size: {u(1)}px; }}
QWidget[role="panel"] {{ background: {p.surface}; border-radius: {u(0.6)}px; {panel_border} }}
QWidget[role="card"] {{ background: {p.raised}; border: {border} solid {p.outline}; border-radius: {u(0.6)}px; }}
QLabel {{ background: transparent; }}
QLabel[role="venue"] {{ font-size: {u(1.05)}px; font-weight: 600; color: {p.text}; }}
QLabel[role="tile-title"] {{ font-size: {u(1.05)}px; font-weight: 600; }}
QLabel[role="title"] {{ font-size: {u(1.6)}px; font-weight: 700; }}
QLabel[role="subtitle"] {{ font-size: {u(1.15)}px; font-weight: 600; color: {p.accent}; }}
QLabel[role="hint"] {{ font-size: {u(1.5)}px; font-weight: 600; color: {p.text}; }}
QLabel[role="muted"] {{ color: {p.muted}; font-size: {u(0.8)}px; }}
QLabel[role="body"] {{ font-size: {u(1)}px; }}
QLabel[role="caption-guide"] {{ color: {p.guide}; font-size: {u(1.15)}px; }}
QLabel[role="caption-visitor"] {{ color: {p.visitor}; font-size: {u(1.0)}px; font-style: italic; }}
QLabel[role="status"] {{ color: {p.danger}; font-size: {u(0.8)}px; }}
QLabel[role="notice"] {{ color: {p.muted}; font-size: {u(0.75)}px; }}
QLabel[role="marker"] {{ color: {p.accent}; font-size: {u(0.9)}px; font-weight: 600; }}
QPushButton {{
    background: {p.raised}; color: {p.text}; border: {border} solid {p.outline};
    border-radius: {u(0.5)}px; padding: {u(0.35)}px {u(0.8)}px; min-height: {self.touch}px;
    min-width: {MIN_TOUCH}px; font-size: {u(1)}px;
}}
QPushButton:pressed {{ background: {p.outline}; }}
QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; border-color: {p.accent}; }}
QPushButton:disabled {{ color: {p.muted}; border-style: dashed; }}
QPushButton[role="primary"] {{
    background: {p.accent}; color: {p.accent_text}; border: none; font-weight: 700; font-size: {u(1.15)}px;
}}
QPushButton[role="talk"] {{
    background: {p.accent}; color: {p.accent_text}; border: none; font-weight: 700; font-size: {u(1.2)}px;
    border-radius: {u(1.9)}px; min-height: {u(3.8)}px; min-width: {u(3.8)}px;
}}
QPushButton[role="talk"][listening="true"] {{ background: {p.danger}; color: #ffffff; }}
QPushButton[role="suggestion"] {{ text-align: left; font-size: {u(0.9)}px; }}
QPushButton[role="lang"] {{ font-size: {u(0.9)}px; padding: {u(0.2)}px {u(0.5)}px; }}
QPushButton[role="key"] {{ font-size: {u(1.05)}px; padding: 0; border-radius: {u(0.3)}px; }}
QPushButton[role="tile"] {{ text-align: left; padding: {u(0.6)}px {u(0.8)}px; font-size: {u(1.05)}px; }}
QLineEdit {{
    background: {p.surface}; color: {p.text}; border: 2px solid {p.outline}; border-radius: {u(0.4)}px;
    padding: {u(0.3)}px; min-height: {self.touch}px; font-size: {u(1.05)}px;
}}
QScrollArea {{ border: none; background: transparent; }}
QScrollBar:vertical {{ width: {max(12, u(0.5))}px; background: {p.surface}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; border: none; }}
QScrollBar::handle:vertical {{ background: {p.outline}; min-height: {MIN_TOUCH}px; border-radius: 4px; }}
QSlider {{ background: transparent; }}
QSlider::groove:horizontal {{ height: {max(8, u(0.3))}px; background: {p.outline}; border-radius: 4px; }}
QSlider::handle:horizontal {{
    background: {p.accent}; width: {MIN_TOUCH}px; margin: -{MIN_TOUCH // 2 - 4}px 0; border-radius: {MIN_TOUCH // 2}px;
}}
QProgressBar {{ background: {p.surface}; border: 1px solid {p.outline}; border-radius: 4px; text-align: center; }}
QProgressBar::chunk {{ background: {p.accent}; }}
"""


__all__ = ["CALM", "HIGH_CONTRAST", "MIN_TOUCH", "Palette", "Theme"]
