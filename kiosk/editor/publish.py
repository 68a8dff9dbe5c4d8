"""The editor's Publish button: build, sign and publish the pack through the sync publisher (kiosk/sync), with
progress. The same steps as `kiosk keys init`, `kiosk pack build` and `kiosk pack publish`, for people who never
open a terminal. Folders are remembered per pack in `.docent/publish.json` (never published: not under content/,
exhibits/ or avatars/)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.loader import load_pack
from kiosk.errors import DocentError
from kiosk.ops.paths import data_dir
from kiosk.sync import keys as keyring
from kiosk.sync.bundle import pack_custom, pack_files
from kiosk.sync.errors import PublishError
from kiosk.sync.repo import Repository, publish_tree

STEPS = ("Checking the pack", "Signing the new version", "Copying to the server folder", "Done")


@dataclass
class PublishPlaces:
    keys: str = ""
    repo: str = ""
    to: str = ""

    @classmethod
    def load(cls, pack_root: Path) -> PublishPlaces:
        try:
            body = json.loads((pack_root / ".docent" / "publish.json").read_text(encoding="utf-8"))
            return cls(**{k: str(body.get(k, "")) for k in ("keys", "repo", "to")})
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(keys=str(data_dir() / "keys"), repo=str(data_dir() / "repository"))

    def save(self, pack_root: Path) -> None:
        folder = pack_root / ".docent"
        folder.mkdir(exist_ok=True)
        (folder / "publish.json").write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")


@dataclass(frozen=True)
class Published:
    version: int
    changed: bool
    files: int
    new_files: int
    new_bytes: int
    copied: int
    root_file: str
    created_keys: bool

    def summary(self) -> str:
        if not self.changed:
            return f"Nothing changed since version {self.version}; the server already has it."
        lines = [
            f"Version {self.version} is published: {self.files} files, of which {self.new_files} are new "
            f"({self.new_bytes / 1e6:.2f} MB). Kiosks download only those on their next sync."
        ]
        if self.created_keys:
            lines.append(
                f"New signing keys were made. Give every kiosk the root of trust {self.root_file}, and move "
                "root.pem from the keys folder to an offline drive."
            )
        return "\n".join(lines)


def publish_pack(root: Path, places: PublishPlaces, progress: Callable[[int, str], None]) -> Published:
    """Validate, sign and publish the saved pack at ``root``. Raises DocentError with words a curator can act on."""
    progress(0, STEPS[0])
    pack = load_pack(root)
    keys_dir, repo_dir = Path(places.keys).expanduser(), Path(places.repo).expanduser()
    if not places.keys or not places.repo or not places.to:
        raise PublishError("choose the keys folder, the repository folder and the server folder first")
    created = False
    if not (repo_dir / "metadata" / "timestamp.json").is_file():
        if (keys_dir / "targets.pem").exists():
            ring = keyring.load(keys_dir)
        else:
            ring = keyring.generate(keys_dir)
            created = True
        Repository.create(repo_dir, ring)
    progress(1, STEPS[1])
    repository = Repository.open(repo_dir, keyring.load(keys_dir, keyring.ONLINE_ROLES))
    result = repository.add_bundle("packs", pack.venue.id, pack_files(root), pack_custom(pack))
    progress(2, STEPS[2])
    copied = publish_tree(repo_dir, Path(places.to).expanduser())
    progress(3, STEPS[3])
    return Published(
        result.version,
        result.changed,
        result.files,
        result.new_files,
        result.new_bytes,
        copied.copied,
        str(repository.root_file),
        created,
    )


class _Relay(QObject):
    step = Signal(int, str)
    finished = Signal(object)


class PublishDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        from kiosk.editor.window import EditorWindow

        assert isinstance(window, EditorWindow)
        self.window_ = window
        self.setWindowTitle("Publish to kiosks")
        self.setMinimumWidth(640)
        self.places = PublishPlaces.load(window.doc.root)
        self.outcome: Published | DocentError | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Publishing saves your changes, checks the pack, signs it as a new version and copies it to the folder "
            "your web server shares. Kiosks pick it up on their next sync."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.keys = self._folder(form, "Signing keys", self.places.keys, "Made for you the first time.")
        self.repo = self._folder(form, "Repository (on this computer)", self.places.repo, "Keeps every version.")
        self.to = self._folder(form, "Server folder", self.places.to, "The folder the web server shares.")
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, len(STEPS) - 1)
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setObjectName("publish-message")
        self.message.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.go = QPushButton("Publish")
        self.go.setObjectName("publish-go")
        self.go.setDefault(True)
        self.go.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.go)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._relay = _Relay()
        self._relay.step.connect(self._step)
        self._relay.finished.connect(self._finished)
        self._thread: threading.Thread | None = None

    def _folder(self, form: QFormLayout, label: str, value: str, hint: str) -> QLineEdit:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(value)
        edit.setObjectName(label)
        edit.setToolTip(hint)
        browse = QPushButton("Choose…")
        browse.clicked.connect(lambda: self._browse(edit, label))
        line.addWidget(edit, 1)
        line.addWidget(browse)
        form.addRow(label, row)
        return edit

    def _browse(self, edit: QLineEdit, label: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, label, edit.text())
        if folder:
            edit.setText(folder)

    def start(self) -> None:
        window = self.window_
        self.places = PublishPlaces(self.keys.text().strip(), self.repo.text().strip(), self.to.text().strip())
        report = window.validate()
        if report.errors:
            self._show_error(f"The pack has {len(report.errors)} problem(s); fix them (see Problems) and try again.")
            return
        window.save()
        self.places.save(window.doc.root)
        self.go.setEnabled(False)
        self.outcome = None
        root = window.doc.root

        def work() -> None:
            try:
                outcome: Published | DocentError = publish_pack(root, self.places, self._relay.step.emit)
            except DocentError as err:
                outcome = err
            except OSError as err:
                outcome = PublishError(f"a folder could not be written: {err.strerror or err} ({err.filename})")
            self._relay.finished.emit(outcome)

        self._thread = threading.Thread(target=work, name="docent-publish", daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 120.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _step(self, index: int, text: str) -> None:
        self.progress.setValue(index)
        self.message.setText(f"{text}…" if index < len(STEPS) - 1 else text)

    def _finished(self, outcome: object) -> None:
        self.go.setEnabled(True)
        self.outcome = outcome  # type: ignore[assignment]
        if isinstance(outcome, Published):
            self.message.setText(outcome.summary())
            self.window_.statusBar().showMessage(f"Published version {outcome.version}", 8000)
        else:
            self._show_error(f"Not published: {outcome}")

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "problem")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
