"""The walkthrough in docs/curators.md, done in the real editor, with a screenshot of each step.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.editor_screens [--out docs/curators]

Creates a two-exhibit venue from nothing, checks it, asks the guide, and publishes it to a local server folder, only
through the editor's widgets and its buttons' methods (a file dialog cannot be clicked offscreen). tests/test_docs.py
runs the same walkthrough, so the page cannot drift from what the editor does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

SHOTS = (
    "01-new-venue.png",
    "02-galleries.png",
    "03-first-exhibit.png",
    "04-problem.png",
    "05-ask-the-guide.png",
    "06-coverage.png",
    "07-visitors-asked.png",
    "08-published.png",
)


@dataclass
class Walkthrough:
    venue: Path
    shots: list[Path] = field(default_factory=list)
    published_version: int = 0
    problem_text: str = ""
    answer: str = ""


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication(sys.argv[:1])


def _wait(condition: object, timeout: float = 60.0, why: object = None) -> None:
    app = _app()
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"the editor did not get there in time{': ' + str(why()) if why else ''}")  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.01)


def _type(widget: QWidget, text: str) -> None:
    widget.setFocus()
    if isinstance(widget, QLineEdit | QPlainTextEdit) and text.isascii():
        QTest.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    _app().processEvents()


def _picture(path: Path) -> Path:
    """A simple drawing of a round mirror (ours), standing in for the curator's photograph."""
    image = QImage(480, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("#efe6d6"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#7b8a6a"))
    painter.drawEllipse(QPointF(240, 180), 140, 140)
    painter.setBrush(QColor("#a4ad8c"))
    painter.drawEllipse(QPointF(240, 180), 40, 40)
    painter.end()
    image.save(str(path))
    return path


def walkthrough(out: Path, work: Path) -> Walkthrough:
    from kiosk.editor.app import ensure_pack, open_window
    from kiosk.editor.publish import PublishDialog, Published, PublishPlaces
    from kiosk.editor.window import EditorWindow

    app = _app()
    out.mkdir(parents=True, exist_ok=True)
    venue = work / "river-town-museum"
    result = Walkthrough(venue)

    def shot(widget: QWidget, name: str) -> None:
        assert name in SHOTS, name
        widget.repaint()
        app.processEvents()
        path = out / name
        widget.grab().save(str(path))
        result.shots.append(path)

    # 1. A new venue from the template (the "New venue…" button does exactly this after its two questions).
    ensure_pack(venue, ("en", "zh", "ko"))
    window: EditorWindow = open_window(venue, ask_restore=False)
    window.ask_on_close = False
    window.resize(1500, 900)
    _retype(window, "name", {"en": "River Town Museum", "zh": "河镇博物馆", "ko": "강변 마을 박물관"})
    shot(window, "01-new-venue.png")

    # 2. The venue's galleries: rename the template's gallery.
    window.venue_page.setCurrentIndex(3)
    _retype(window, "galleries[1].name", {"en": "River Life", "zh": "河上生活", "ko": "강의 삶"})
    shot(window, "02-galleries.png")

    # 3. The first exhibit, in three languages, with a fact, a curated question and a picture.
    window.show_item("exhibits/first-exhibit.yaml")
    window.delete_exhibit()  # the template's sample
    rel = window.add_exhibit("Bronze Mirror")
    texts = {
        "name.zh": "铜镜",
        "name.ko": "청동 거울",
        "aliases.en": "mirror, round mirror",
        "aliases.zh": "镜子, 圆镜",
        "aliases.ko": "거울, 둥근 거울",
        "summary.en": "A round bronze mirror from the Han dynasty, polished on one side and decorated on the other.",
        "summary.zh": "一面汉代的圆形铜镜，一面磨光照人，另一面装饰花纹。",
        "summary.ko": "한나라 때의 둥근 청동 거울로, 한쪽은 반들반들하게 닦고 다른 쪽은 무늬로 꾸몄습니다.",
    }
    for name, text in texts.items():
        _type(_cell(window, name), text)
    exhibit_form = window.form_for("name.en", rel)
    assert exhibit_form is not None
    _click(exhibit_form, "add:facts")  # the first free typed kind: period
    for lang, text in (("en", "the Han dynasty"), ("zh", "汉代"), ("ko", "한나라 시대")):
        _type(_cell(window, f"facts.period.{lang}"), text)
    _click(window.form_for("name.en", rel), "add:questions")
    _type(_cell(window, "questions[1].ask.en"), "How did people see themselves in it")
    _type(_cell(window, "questions[1].answer.en"), "The front was polished until it shone, like a dim glass mirror.")
    _type(_cell(window, "questions[1].ask.zh"), "古人怎么用它照镜子")
    _type(_cell(window, "questions[1].answer.zh"), "铜镜的正面磨得很亮，可以照出人影。")
    _type(_cell(window, "questions[1].ask.ko"), "어떻게 얼굴을 비춰 봤나요")
    _type(_cell(window, "questions[1].answer.ko"), "앞면을 반짝일 때까지 닦아서 얼굴을 비춰 볼 수 있었습니다.")
    window.add_picture(rel, _picture(work / "mirror photo.png"))
    _wait(lambda: window.checked)
    page = window.exhibit_page
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    shot(window, "03-first-exhibit.png")

    # 4. The second exhibit: the editor says what is missing, beside the field.
    rel2 = window.add_exhibit("Stone Drum")
    _type(_cell(window, "summary.en"), "A drum-shaped stone carved with verses about a royal hunt.")
    _wait(lambda: window.checked)
    problem_row = window.form_for("summary.zh", rel2)
    assert problem_row is not None
    result.problem_text = problem_row.rows["summary"].text()
    shot(window, "04-problem.png")
    for name, text in (
        ("name.zh", "石鼓"),
        ("name.ko", "돌북"),
        ("summary.zh", "刻有诗句的鼓形石头，记述了一次王家狩猎。"),
        ("summary.ko", "왕실 사냥을 노래한 시가 새겨진 북 모양의 돌입니다."),
    ):
        _type(_cell(window, name), text)
    _wait(
        lambda: window.checked and window.publishable,
        why=lambda: window.report and [str(p) for p in window.report.errors],
    )

    # 5. Ask the guide, before saving.
    panel = window.try_panel
    window.tools.setCurrentWidget(panel)
    _type(panel.question, "How old is the bronze mirror?")
    _wait(lambda: panel.turn is not None and panel.turn.answer.exhibit == "bronze-mirror" and window.live.current)
    panel.ask()
    result.answer = panel.answer.text()
    shot(window, "05-ask-the-guide.png")

    # 6. Coverage: the venue's own questions and the questions every venue gets.
    coverage = getattr(window, "coverage_panel", None)
    if coverage is not None:
        window.tools.setCurrentWidget(coverage)
        coverage.run()
        _wait(lambda: coverage.report is not None, 120)
        shot(window, "06-coverage.png")

    # 7. What visitors asked: a kiosk's export, imported.
    visitors = getattr(window, "visitors_panel", None)
    if visitors is not None:
        export = work / "docent-questions-hall-kiosk.json"
        export.write_text(json.dumps(_export()), encoding="utf-8")
        window.tools.setCurrentWidget(visitors)
        visitors.import_files([export])
        shot(window, "07-visitors-asked.png")

    # 8. Publish: saves, signs, copies to the server folder.
    PublishPlaces(str(work / "keys"), str(work / "repository"), str(work / "www")).save(venue)
    dialog = PublishDialog(window)
    dialog.show()
    dialog.start()
    _wait(lambda: dialog.outcome is not None, 120)
    if not isinstance(dialog.outcome, Published):
        raise RuntimeError(f"publishing failed: {dialog.outcome}")
    result.published_version = dialog.outcome.version
    shot(dialog, "08-published.png")
    dialog.close()
    window.shutdown()
    window.close()
    return result


def _cell(window: object, name: str) -> QWidget:
    form = window.form_for(name)  # type: ignore[attr-defined]
    if form is None:
        raise LookupError(f"no field {name} on screen")
    return form.cells[name]  # type: ignore[no-any-return]


def _retype(window: object, field: str, texts: dict[str, str]) -> None:
    """Replace a per-language field's text in each language, as a curator selecting it and typing would."""
    for lang, text in texts.items():
        cell = _cell(window, f"{field}.{lang}")
        assert isinstance(cell, QLineEdit)
        cell.clear()
        _type(cell, text)


def _click(form: object, name: str) -> None:
    button = form.findChild(QWidget, name)  # type: ignore[attr-defined]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    _app().processEvents()


def _export() -> dict[str, object]:
    rows = [
        ("en", "Is the mirror made of glass?", "bronze-mirror", 0.3),
        ("en", "is the mirror glass", "bronze-mirror", 0.35),
        ("en", "Is this mirror made of glass", "bronze-mirror", 0.32),
        ("zh", "铜镜是玻璃做的吗", "bronze-mirror", 0.3),
        ("en", "Can I touch the stone drum?", "stone-drum", 0.4),
        ("en", "What's the weather tomorrow?", None, 0.0),
    ]
    return {
        "format": "docent-questions",
        "version": 1,
        "exported": "2026-11-20T18:00:00+00:00",
        "kiosk": "hall-kiosk",
        "pack": "river-town-museum",
        "questions": [
            {
                "time": f"2026-11-20T1{i}:00:00+00:00",
                "language": lang,
                "question": text,
                "intent": "exhibit" if exhibit else "fallback",
                "reason": "summary" if exhibit else "fallback",
                "exhibit": exhibit,
                "confidence": confidence,
            }
            for i, (lang, text, exhibit, confidence) in enumerate(rows)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/curators"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DOCENT_HOME"] = str(Path(tmp) / "home")
        result = walkthrough(args.out, Path(tmp))
    for path in result.shots:
        print(path)
    print(f"published version {result.published_version}; the guide answered: {result.answer}")


if __name__ == "__main__":
    main()
