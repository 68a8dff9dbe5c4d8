"""The kiosk's own words on screen (buttons, hints, notices) in every language the kiosk supports.

Venue texts (names, hours, stories) come from the pack; these are only the interface's words. ``t(key, lang)``
falls back to English for a language the table lacks, so a new venue language never shows a blank button.
"""

from __future__ import annotations

LANGUAGE_NAMES = {"zh": "中文", "en": "English", "ko": "한국어"}
"""Each language named in itself, for the language switch."""

STRINGS: dict[str, dict[str, str]] = {
    "touch_to_start": {
        "en": "Touch the screen or say hello",
        "zh": "触摸屏幕或向我问好",
        "ko": "화면을 터치하거나 인사해 주세요",
    },
    "hint_exhibit": {"en": "Ask me about {name}", "zh": "问我关于{name}的问题", "ko": "{name}에 대해 물어보세요"},
    "hint_way": {"en": "Ask me the way to {name}", "zh": "问我怎么去{name}", "ko": "{name} 가는 길을 물어보세요"},
    "hint_hours": {"en": "Ask me when we open", "zh": "问我开放时间", "ko": "관람 시간을 물어보세요"},
    "talk": {"en": "Hold to talk", "zh": "按住说话", "ko": "누르고 말하기"},
    "talk_tap": {"en": "Tap to talk", "zh": "点击说话", "ko": "눌러서 말하기"},
    "listening": {"en": "Listening…", "zh": "正在听…", "ko": "듣고 있어요…"},
    "thinking": {"en": "Thinking…", "zh": "正在想…", "ko": "생각 중…"},
    "hands_free": {"en": "Hands-free", "zh": "免按键", "ko": "핸즈프리"},
    "type": {"en": "Type", "zh": "打字", "ko": "입력"},
    "type_placeholder": {"en": "Type your question", "zh": "输入您的问题", "ko": "질문을 입력하세요"},
    "send": {"en": "Ask", "zh": "提问", "ko": "질문"},
    "browse": {"en": "Explore", "zh": "浏览", "ko": "둘러보기"},
    "visit": {"en": "Visit", "zh": "参观信息", "ko": "관람 안내"},
    "home": {"en": "Home", "zh": "首页", "ko": "처음으로"},
    "back": {"en": "Back", "zh": "返回", "ko": "뒤로"},
    "galleries": {"en": "Galleries", "zh": "展厅", "ko": "전시실"},
    "exhibits": {"en": "Exhibits", "zh": "展品", "ko": "전시품"},
    "facilities": {"en": "Facilities", "zh": "设施", "ko": "편의 시설"},
    "hours": {"en": "Opening hours", "zh": "开放时间", "ko": "관람 시간"},
    "tickets": {"en": "Tickets", "zh": "门票", "ko": "입장권"},
    "rules": {"en": "Visitor rules", "zh": "参观须知", "ko": "관람 규칙"},
    "hear": {"en": "Hear it", "zh": "听讲解", "ko": "듣기"},
    "stop": {"en": "Stop", "zh": "停止", "ko": "정지"},
    "ask_about": {"en": "Ask about it", "zh": "问问题", "ko": "질문하기"},
    "where": {"en": "How do I get there?", "zh": "怎么去？", "ko": "가는 길"},
    "floor": {"en": "Floor {n}", "zh": "{n}层", "ko": "{n}층"},
    "gallery_floor": {"en": "{gallery} · Floor {floor}", "zh": "{gallery} · {floor}层", "ko": "{gallery} · {floor}층"},
    "you_are_here": {"en": "You are here", "zh": "您在这里", "ko": "현재 위치"},
    "privacy": {
        "en": "I listen only while the microphone light is on. Nothing you say is recorded.",
        "zh": "只有麦克风指示灯亮起时我才会听。您说的话不会被录音。",
        "ko": "마이크 표시등이 켜져 있을 때만 듣습니다. 말씀하신 내용은 녹음되지 않습니다.",
    },
    "mic_on": {"en": "Microphone on", "zh": "麦克风已开启", "ko": "마이크 켜짐"},
    "mic_off": {"en": "Microphone off", "zh": "麦克风已关闭", "ko": "마이크 꺼짐"},
    "touch_only": {
        "en": "Voice is not available right now: please use touch or type.",
        "zh": "暂时无法使用语音，请触摸或打字。",
        "ko": "지금은 음성을 사용할 수 없어요. 터치나 입력을 이용해 주세요.",
    },
    "no_model": {
        "en": "I can't listen in this language yet: please type or touch.",
        "zh": "暂时不能听这种语言，请打字或触摸。",
        "ko": "이 언어는 아직 들을 수 없어요. 입력하거나 터치해 주세요.",
    },
    "silent": {
        "en": "Sound is off: read the captions.",
        "zh": "声音已关闭，请看字幕。",
        "ko": "소리가 꺼져 있어요. 자막을 보세요.",
    },
    "large_text": {"en": "Large text", "zh": "大字", "ko": "큰 글자"},
    "contrast": {"en": "High contrast", "zh": "高对比度", "ko": "고대비"},
    "less_motion": {"en": "Less motion", "zh": "减少动作", "ko": "움직임 줄이기"},
    "volume": {"en": "Volume", "zh": "音量", "ko": "음량"},
    "settings": {"en": "Display", "zh": "显示", "ko": "화면"},
    "you_said": {"en": "You", "zh": "您", "ko": "방문객"},
    "guide": {"en": "Guide", "zh": "导览员", "ko": "안내원"},
    "still_there": {
        "en": "Are you still there? Touch the screen to continue.",
        "zh": "您还在吗？请触摸屏幕继续。",
        "ko": "아직 계신가요? 계속하려면 화면을 터치하세요.",
    },
    "try_asking": {"en": "Try asking", "zh": "您可以问", "ko": "이렇게 물어보세요"},
    "end": {"en": "Done", "zh": "结束", "ko": "끝내기"},
    "sorry_error": {
        "en": "Sorry, something went wrong. Let's start again.",
        "zh": "抱歉，出了点问题。我们重新开始吧。",
        "ko": "죄송해요, 문제가 생겼어요. 처음부터 다시 시작할게요.",
    },
    "exhibits_in": {"en": "{n} exhibits", "zh": "{n}件展品", "ko": "전시품 {n}점"},
    "closed_days": {"en": "Closed", "zh": "闭馆", "ko": "휴관"},
}


def register(table: dict[str, dict[str, str]]) -> None:
    """Add a screen's own keys (each module keeps the words it alone uses next to it); a key may not be redefined."""
    for key, texts in table.items():
        if key in STRINGS and STRINGS[key] != texts:
            raise ValueError(f"interface text '{key}' is defined twice")
        STRINGS[key] = texts


def t(key: str, language: str, **values: object) -> str:
    """The interface text ``key`` in ``language`` (English when the table lacks it), with ``values`` filled in."""
    table = STRINGS[key]
    template = table.get(language) or table["en"]
    return template.format(**values) if values else template


__all__ = ["LANGUAGE_NAMES", "STRINGS", "register", "t"]
