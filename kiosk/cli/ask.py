"""``kiosk ask`` and ``kiosk eval``: the mind from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kiosk.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, PACK_HELP, load_or_exit, pack_path
from kiosk.content import PackIndex
from kiosk.errors import DocentError
from kiosk.mind import Answer, DialogueState, Mind
from kiosk.ops.unanswered import UnansweredLog


def build_mind(path: str | None, language: str | None) -> Mind:
    pack = load_or_exit(pack_path(path))
    if language and language not in pack.languages:
        click.echo(
            f"error: the pack's languages are {', '.join(pack.languages)}; '{language}' is not one of them", err=True
        )
        sys.exit(EXIT_UNUSABLE)
    try:
        index = PackIndex.open(pack)
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INVALID)
    return Mind(pack, index, default_language=language)


def answer_json(question: str, answer: Answer) -> str:
    return json.dumps(answer_dict(question, answer), ensure_ascii=False)


def answer_dict(question: str, answer: Answer) -> dict[str, object]:
    """The ``kiosk ask --json`` contract (``kiosk converse`` prints the same object as its "answer")."""
    return {
        "question": question,
        "language": answer.language,
        "intent": answer.intent.value,
        "exhibit": answer.exhibit,
        "facility": answer.facility,
        "answer": answer.text,
        "confidence": answer.confidence,
    }


@click.command()
@click.argument("question", required=False)
@click.option("--pack", "pack_dir", type=click.Path(), help=PACK_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print one JSON object per question: {"question", "language", "intent", "exhibit", "facility", '
    '"answer", "confidence"}.',
)
@click.option("--lang", "language", help="The kiosk's language, used when the question's own language is unclear.")
def ask(question: str | None, pack_dir: str | None, as_json: bool, language: str | None) -> None:
    """Ask the guide a question and print its answer.

    With no QUESTION, questions are read from standard input, one per line, as ONE conversation (follow-ups such as
    "where is it?" refer to what was just discussed); an empty line starts a new conversation.
    Unanswered and low-confidence questions are recorded for curators (text only).
    """
    mind = build_mind(pack_dir, language)
    log = UnansweredLog()
    state = DialogueState()

    def one(text: str) -> None:
        nonlocal state
        turn = mind.answer(text, state)
        state = turn.state
        log.record(text, turn.answer)
        click.echo(answer_json(text, turn.answer) if as_json else turn.answer.text)

    if question is not None:
        one(question)
        sys.exit(EXIT_OK)
    interactive = sys.stdin.isatty() and not as_json
    if interactive:
        venue = mind.pack.venue.name.pick(mind.default_language)[0]
        click.echo(
            f"Docent, guide of {venue}. Ask a question in Chinese, English or Korean; an empty line starts "
            "a new visitor; Ctrl-D ends."
        )
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            state = DialogueState()
            continue
        one(text)
        sys.stdout.flush()


@click.command("eval")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--pack", "pack_dir", type=click.Path(), help=PACK_HELP)
@click.option("--failures/--no-failures", default=True, show_default=True, help="List every question that failed.")
def evaluate(paths: tuple[str, ...], pack_dir: str | None, failures: bool) -> None:
    """Score the guide on eval files (or folders of them): accuracy per intent and language, and failures."""
    from kiosk.ops import evaluate as ev

    mind = build_mind(pack_dir, None)
    try:
        conversations = [c for p in paths for c in ev.load_cases(Path(p))]
    except ev.EvalError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    results = ev.run(mind, conversations)
    if failures:
        for line in ev.failure_lines(results):
            click.echo(line)
        click.echo()
    for line in ev.report(results):
        click.echo(line)


__all__ = ["ask", "evaluate"]
