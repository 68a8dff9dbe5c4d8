"""The mind: understanding and answering visitors' questions from the pack alone. Pure: text and state in, Answer out.

mind = Mind(pack, PackIndex.open(pack))
turn = mind.answer("How heavy is the Houmuwu Ding?")
turn.answer.text, turn.answer.intent   # ("Houmuwu Ding weighs 832.84 kilograms.", Intent.EXHIBIT)
turn = mind.answer("where is it", turn.state)   # follow-ups resolve to the exhibit under discussion
"""

from kiosk.mind.answer import Answer, DialogueState, Intent, Turn
from kiosk.mind.language import detect_language
from kiosk.mind.mind import CONFIDENT, LOW_CONFIDENCE, Mind

__all__ = ["CONFIDENT", "LOW_CONFIDENCE", "Answer", "DialogueState", "Intent", "Mind", "Turn", "detect_language"]
