"""Cue words for intents and fact kinds, per language. Built-in knowledge of how visitors ask, not venue content.

English cues are regular expressions matched on word boundaries of normalised text; Chinese and Korean cues are
substrings (no spaces in Chinese; Korean particles and endings glue onto words).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

Cues = Mapping[str, tuple[str, ...]]

FACT_CUES: dict[str, Cues] = {
    "weight": {
        "en": (r"heav(y|ier|iest)", r"weigh(s|t|ed)?", r"how much does (it|this|that|the \w+) weigh", r"kilos?",
               r"tons?", r"tonnes?", r"mass"),
        "zh": ("多重", "重量", "几斤", "多少斤", "多少公斤", "多少千克", "多沉", "有多重", "重多少", "分量", "几吨", "多少吨"),
        "ko": ("무게", "무거", "몇 킬로", "킬로그램", "몇 kg", "몇 톤"),
    },
    "dimensions": {
        "en": (r"how (big|large|tall|high|long|wide|deep)", r"size", r"dimensions?", r"height", r"length", r"width",
               r"measure(ments?)?", r"how many (centimetres|centimeters|metres|meters|feet|cm|m|kilometres|kilometers|km|"
               r"miles|square metres)", r"how far(?! back)"),
        "zh": ("多大", "多高", "尺寸", "多长", "高度", "长度", "大小", "多宽", "宽度", "多少米", "多少厘米", "规格", "多少公里",
               "全长", "面积", "占地"),
        "ko": ("크기", "높이", "길이", "얼마나 커", "얼마나 크", "얼마나 높", "얼마나 길", "몇 센티", "몇 미터", "폭", "면적",
               "몇 킬로미터", "몇 km"),
    },
    "found_in": {
        "en": (r"when (was|were|did) (it|they|this|that|he|she|the \w+( \w+)?) (found|discovered|excavated|unearthed|dug up)",
               r"(what|which) year .*(found|discovered|excavated|unearthed|dug up)",
               r"when .*(found|discovered|excavated|unearthed|dug up|dig|find|discover|turn(ed)? up)"),
        "zh": ("什么时候发现", "哪年发现", "哪一年发现", "何时发现", "什么时候出土", "哪年出土", "何时出土", "几几年发现",
               "什么时候挖", "哪年挖", "什么时候被发现", "哪一年出土", "什么时候找到", "(什么时候|啥时候|哪年|哪一年|何时).{0,4}(挖|出土|发现|找到)"),
        "ko": ("언제 발견", "몇 년에 발견", "언제 출토", "언제 찾", "발견된 해", "발견된 것은 언제", "발견은 언제"),
    },
    "found_at": {
        "en": (r"where (was|were|did) (it|they|this|that|the \w+( \w+)?) (found|discovered|excavated|unearthed|dug up)",
               r"where .*(found|discovered|excavated|unearthed|dug up|find|turn(ed)? up)", r"(find|found|discovery) site"),
        "zh": ("在哪里发现", "在哪发现", "哪里发现", "哪儿发现", "哪里出土", "在哪出土", "在哪里出土", "出土地", "发现地",
               "哪里挖", "在哪儿挖", "从哪里挖", "在哪被发现", "在哪里被发现", "在哪里找到", "(哪|什么地方).{0,3}(挖|出土|发现|找到)"),
        "ko": ("어디서 발견", "어디에서 발견", "어디서 출토", "어디에서 출토", "발견된 곳", "발견 장소", "출토지", "어디서 찾",
               "어디서 나왔"),
    },
    "found_by": {
        "en": (r"who (found|discovered|excavated|dug up|unearthed)", r"who .*(found|discovered) (it|them)"),
        "zh": ("谁发现", "被谁发现", "谁挖", "谁找到", "是谁发现"),
        "ko": ("누가 발견", "발견한 사람", "누가 찾"),
    },
    "held_by": {
        "en": (r"original", r"where is (it|this|that) (kept|held|now|today)", r"(kept|held|housed|stored) (now|today)?",
               r"which museum", r"what museum", r"is (this|it|that) (the )?real", r"real one", r"genuine", r"replica",
               r"copy"),
        "zh": ("原件", "原物", "真品", "真迹", "收藏在", "藏在", "哪个博物馆", "哪家博物馆", "是真的吗", "真的吗", "复制品",
               "现在在哪", "保存在"),
        "ko": ("원본", "진품", "소장", "어느 박물관", "어디에 보관", "진짜", "복제품", "지금 어디"),
    },
    "creator": {
        "en": (r"who (made|created|built|painted|wrote|designed|cast|carved|crafted|commissioned|drew|constructed|"
               r"make|create|build|paint|write|design)", r"maker", r"artist", r"painter", r"author", r"architect",
               r"(made|built|painted|written|created|designed) by (who|whom)", r"calligrapher", r"builder"),
        "zh": ("谁做的", "谁画的", "谁写的", "谁建的", "谁造的", "谁设计", "谁铸", "作者", "画家", "书法家", "谁修",
               "谁创作", "谁制作", "谁建造", "出自谁", "是谁画", "是谁写", "是谁建", "是谁做", "是谁造", "哪位画家", "建造者", "谁.{0,3}(修|建|造|画|写|做|挖)"),
        "ko": ("누가 만들", "누가 그렸", "누가 그린", "누가 썼", "누가 쓴", "누가 지었", "누가 지은", "누가 세웠", "작가",
               "만든 사람", "그린 사람", "쓴 사람", "지은 사람", "제작자", "화가"),
    },
    "material": {
        "en": (r"made (of|from|out of)", r"materials?", r"what is (it|this|that) made", r"what('s| is) it made"),
        "zh": ("什么材料", "材质", "用什么做", "什么做的", "什么材质", "用什么材料", "什么制成", "用什么制", "材料"),
        "ko": ("재료", "재질", "무엇으로 만들", "뭘로 만들", "뭐로 만들", "무슨 재료", "소재"),
    },
    "date": {
        "en": (r"when (was|were|did) (it|they|this|that|he|she|the \w+( \w+)?) (made|built|created|painted|written|cast|"
               r"constructed|finished|completed|make|build|paint|write)",
               r"what year", r"which year", r"how old", r"how long ago", r"how far back", r"when .*(made|built|created|painted|written|cast|"
               r"finished|completed|constructed|started|begun|founded)", r"\bwhen\b"),
        "zh": ("什么时候建", "什么时候做", "什么时候画", "什么时候写", "什么时候造", "哪年建", "哪年造", "哪年画", "哪年写",
               "哪一年", "多少年", "多久", "多老", "有多古老", "年头", "年代", "何时建", "什么时候修", "哪年修",
               "什么时候铸", "是哪年", "几几年", "什么时候", "啥时候", "哪年", "何时", "完工", "建成"),
        "ko": ("언제 만들", "언제 지어", "언제 지었", "언제 세워", "언제 그려", "언제 그렸", "언제 썼", "몇 년", "얼마나 오래",
               "언제 건설", "연대", "언제 만든", "언제 지은", "언제 쌓", "언제", "완공", "몇 년도"),
    },
    "period": {
        "en": (r"dynasty", r"period", r"\bera\b", r"century", r"which emperor", r"from when"),
        "zh": ("朝代", "哪个朝代", "时期", "什么时代", "哪个时代", "哪朝"),
        "ko": ("시대", "왕조", "어느 시대", "무슨 시대"),
    },
    "age": {
        "en": (r"how old (was|is|were) (he|she|the (painter|artist|calligrapher|emperor))", r"(his|her) age",
               r"what age", r"how young"),
        "zh": ("(他|她).{0,6}(多大|几岁|多少岁|年纪)", "几岁", "多少岁", "年纪多大"),
        "ko": ("몇 살", "나이"),
    },
    "origin": {
        "en": (r"(come|came|comes) from", r"from where", r"originat\w*", r"origins?", r"where .* (made|produced|fired)",
               r"which (town|city|place|kiln|region)"),
        "zh": ("从哪.{0,2}来", "产地", "来自", "哪里来", "哪儿来", "起源", "源自", "在哪.{0,2}(烧|做|造|生产)", "窑址"),
        "ko": ("어디서 (왔|나왔|가져)", "어디에서 (왔|나왔|가져)", "원산지", "산지", "기원", "어디로 빠"),
    },
    "count": {
        "en": (r"how many", r"number of"),
        "zh": ("多少个", "几个", "多少件", "多少片", "多少只", "多少块", "几只", "几件", "多少位", "几位", "多少名",
               "多少(?!钱|年|公里|米|厘米|斤|千克|公斤|吨)", "几座", "几根", "几孔", "几种"),
        "ko": ("몇 개", "몇 명", "몇 점", "몇 마리", "몇 조각", "몇 장", "몇 분", "몇 사람", "몇 가지", "몇 글자", "몇 자"),
    },
}

# Which typed facts answer a fact kind, in order of preference.
FACT_SOURCES: dict[str, tuple[str, ...]] = {
    "weight": ("weight",),
    "dimensions": ("dimensions", "height", "length", "area"),
    "found_in": ("found_in",),
    "found_at": ("found_at",),
    "found_by": ("found_by",),
    "held_by": ("held_by", "original"),
    "creator": ("creator",),
    "material": ("material",),
    "date": ("date", "period"),
    "period": ("period", "date"),
    "count": ("count",),
    "origin": ("origin", "made_at", "found_at"),
    "age": ("age",),
}

MORE = {
    "en": (r"(tell|say) me more", r"\bmore\b", r"go on", r"continue", r"and then", r"what else", r"anything else",
           r"keep going", r"next"),
    "zh": ("多讲", "再讲", "还有呢", "继续", "更多", "多说", "再说", "接着说", "然后呢", "还有什么", "再多", "详细"),
    "ko": ("더 알려", "더 말해", "더 얘기", "계속", "그리고요", "또 뭐", "더 들려", "자세히"),
}

ABOUT = {
    "en": (r"tell me about", r"what is", r"what's", r"what are", r"who (is|was)", r"explain", r"describe",
           r"information", r"know about", r"learn about", r"introduce", r"about"),
    "zh": ("介绍", "讲讲", "说说", "是什么", "是啥", "什么是", "了解", "讲一下", "说一下", "是谁", "什么来历", "故事"),
    "ko": ("알려", "소개", "뭐예요", "무엇인가요", "뭔가요", "설명", "이야기", "뭐야", "무엇입니까", "어떤"),
}

WHERE = {
    "en": (r"where('s| is| are| can| do| would| should| could| will| was the| were the| exactly)", r"^where",
           r"which (floor|gallery|room|hall|level|wing)", r"what (floor|gallery|room|level)",
           r"how (do|can|would) (i|we) (get|go|find|reach)", r"way to", r"directions?", r"located", r"location of",
           r"get to", r"take me", r"looking for", r"want to see", r"how to get"),
    "zh": ("在哪", "哪里", "哪儿", "几楼", "几层", "哪层", "哪一层", "哪个展厅", "哪个厅", "怎么走", "怎么去", "在什么地方",
           "位置", "第几展厅", "哪个馆", "在几", "怎么到", "带我去", "去哪", "在哪个", "我想看", "想去看", "想去", "在什么位置"),
    "ko": ("어디", "몇 층", "몇층", "어느 층", "어떻게 가", "위치", "어느 전시실", "가는 길", "찾아", "보고 싶"),
}

HOURS = {
    "en": (r"open(ing)?( hours| times?)?", r"clos(e|es|ed|ing)( time)?", r"hours", r"what time", r"last entry",
           r"monday", r"tuesday", r"sunday", r"weekend", r"holiday", r"today", r"tomorrow", r"until when", r"schedule"),
    "zh": ("开门", "关门", "开放时间", "几点", "闭馆", "开馆", "营业", "周一", "星期一", "礼拜一", "最晚", "入场时间",
           "停止入场", "休息日", "节假日", "开放吗", "开着", "今天开", "明天开", "时间"),
    "ko": ("몇 시", "영업", "개관", "휴관", "문 열", "문 닫", "운영 시간", "관람 시간", "월요일", "입장 마감", "언제 열",
           "언제 닫", "쉬는 날", "여는", "닫는"),
}

TICKETS = {
    "en": (r"tickets?", r"price", r"cost", r"how much (is|are|does|do|to)", r"\bfee", r"admission", r"entry", r"pay",
           r"free", r"reserv(e|ation)", r"book(ing)?", r"discount", r"student", r"\bid\b", r"passport", r"entrance"),
    "zh": ("门票", "票价", "多少钱", "收费", "免费", "预约", "买票", "票", "身份证", "护照", "付费", "要钱", "花钱", "入场"),
    "ko": ("입장료", "티켓", "표", "얼마예요", "얼마에요", "무료", "예약", "요금", "신분증", "여권", "돈 내", "유료", "얼마인가요"),
}

RULES: dict[str, Cues] = {
    "photos": {
        "en": (r"photos?", r"photograph\w*", r"pictures?", r"camera", r"flash", r"tripod", r"selfies?", r"film",
               r"video"),
        "zh": ("拍照", "照相", "拍摄", "闪光", "三脚架", "自拍", "相机", "录像", "拍视频", "照片"),
        "ko": ("사진", "촬영", "플래시", "삼각대", "셀카", "카메라", "동영상"),
    },
    "food": {
        "en": (r"\beat", r"eating", r"drink", r"drinking", r"food", r"snacks?", r"water bottle", r"coffee inside",
               r"chew(ing)? gum", r"lunch"),
        "zh": ("吃东西", "吃饭", "喝水", "饮料", "食物", "零食", "可以吃", "能吃", "喝东西", "带水"),
        "ko": ("먹어", "먹을 수", "음식", "마셔", "마실 수", "음료", "간식", "먹어도"),
    },
    "pets": {
        "en": (r"dogs?", r"cats?", r"pets?", r"animals?", r"puppy"),
        "zh": ("狗", "猫", "宠物", "动物", "导盲犬"),
        "ko": ("강아지", "개를", "개 ", "고양이", "반려", "애완", "동물", "안내견"),
    },
    "touch": {
        "en": (r"touch(ing)?", r"hold it", r"pick (it )?up"),
        "zh": ("摸", "触摸", "碰", "拿起来"),
        "ko": ("만져", "만지", "손대"),
    },
}

RULES_GENERAL = {
    "en": (r"rules?", r"allowed", r"permitted", r"can i", r"may i", r"is it ok", r"am i allowed", r"forbidden to",
           r"prohibited", r"policy", r"not allowed"),
    "zh": ("规定", "规则", "可以", "能不能", "允许", "禁止", "可不可以", "能否", "注意事项", "须知", "行吗"),
    "ko": ("규칙", "되나요", "돼요", "괜찮", "가능", "허용", "금지", "할 수 있", "해도"),
}

PERMISSION = {
    "en": (r"can (i|we|you)", r"may (i|we)", r"allowed", r"permitted", r"is it (ok|okay|possible)", r"are (we|you)",
           r"do you allow", r"policy", r"rules?"),
    "zh": ("可以", "能不能", "允许", "能吗", "可不可以", "能否", "让不让", "行吗", "行不行", "禁止", "准不准", "能带", "能.{0,6}吗",
           "吗$", "不能"),
    "ko": ("되나요", "돼요", "되요", "괜찮", "가능", "할 수 있", "해도", "수 있나요", "데려가", "나요", "까요"),
}

GREETING = {
    "en": (r"hello", r"\bhi\b", r"hey", r"good (morning|afternoon|evening)", r"greetings", r"howdy", r"nice to meet",
           r"how are you", r"what'?s up"),
    "zh": ("你好", "您好", "嗨", "哈喽", "早上好", "下午好", "晚上好", "你们好", "大家好", "最近好吗", "你好吗"),
    "ko": ("안녕", "반갑", "처음 뵙", "좋은 아침"),
}
THANKS = {
    "en": (r"thanks?", r"thank you", r"cheers", r"appreciate", r"great,? thanks", r"awesome", r"perfect"),
    "zh": ("谢谢", "感谢", "多谢", "谢了", "辛苦了"),
    "ko": ("감사", "고마워", "고맙", "땡큐"),
}
GOODBYE = {
    "en": (r"bye", r"goodbye", r"see you", r"farewell", r"have a (nice|good) day", r"that'?s all", r"good night"),
    "zh": ("再见", "拜拜", "回见", "再会", "下次见", "就这样", "没有了"),
    "ko": ("안녕히", "잘 있어", "잘있어", "다음에 봐", "바이", "수고하세요"),
}
HELP = {
    "en": (r"what can you (do|tell|help)", r"how (does|do) (this|you|it) work", r"\bhelp\b", r"who are you",
           r"what are you", r"what (should|can) i ask", r"how (do|can|should) i use", r"what do you (know|do)",
           r"are you (a )?(robot|human|real|person|ai)", r"how does (this|it) (thing )?work",
           r"what (kind of )?(stuff|things|questions)? ?(can|could|should) (i|we) ask"),
    "zh": ("你能做什么", "你会什么", "你能干什么", "怎么用", "你是谁", "帮助", "你可以做什么", "能问什么", "可以问什么",
           "怎么使用", "你能帮我什么", "你会干嘛", "你是机器人", "你是什么", "可以问你", "问你哪些", "问你什么", "能帮我做什么"),
    "ko": ("뭘 할 수", "무엇을 할 수", "도와줄 수", "도움말", "사용법", "누구세요", "넌 누구", "뭐 물어", "무엇을 물어",
           "어떻게 사용", "뭐 할 수", "무엇을 도와", "물어볼 수", "뭘 물어"),
}
UNSAFE = {
    "en": (r"bomb", r"weapons?", r"guns?", r"kill", r"hurt (someone|people|him|her)", r"steal", r"stealing",
           r"break (in|into)", r"explosives?", r"poison", r"suicide", r"attack", r"hack", r"set fire", r"burn (it|the)",
           r"smash", r"vandal", r"rob\b", r"robbery", r"disable the (alarm|cameras?)", r"avoid (security|the guards)",
           r"sneak"),
    "zh": ("炸弹", "武器", "枪", "杀", "偷", "盗", "爆炸", "毒", "自杀", "袭击", "放火", "砸", "破坏", "溜进", "闯入",
           "黑客", "偷走", "抢"),
    "ko": ("폭탄", "무기", "총기", "총을", "죽이", "훔치", "도둑", "폭발", "독약", "자살", "공격", "불을 지르", "부수", "해킹", "몰래"),
}
ABUSE = {
    "en": (r"stupid", r"idiot", r"dumb", r"shut up", r"useless", r"hate you", r"fuck\w*", r"shit", r"damn you",
           r"suck(s)?", r"moron", r"bitch"),
    "zh": ("傻瓜", "傻子", "笨蛋", "白痴", "闭嘴", "滚开", "蠢货", "废物", "他妈", "混蛋"),
    "ko": ("바보", "멍청", "닥쳐", "꺼져", "병신", "씨발"),
}
# Topics the guide never answers, whatever else the question holds.
OUT_OF_SCOPE = {
    "en": (r"weather", r"rain(ing)?", r"temperature", r"stocks?", r"share price", r"bitcoin", r"crypto", r"mona lisa",
           r"louvre", r"british museum", r"metropolitan", r"rosetta", r"taxi", r"uber", r"hotel", r"flight", r"train",
           r"subway", r"metro", r"bus", r"football", r"soccer", r"election", r"president", r"politic\w*", r"news",
           r"recipe", r"homework", r"math", r"joke", r"song", r"sing", r"dance", r"movie", r"restaurant near",
           r"exchange rate", r"currency", r"lottery", r"\d+ ?[+*/x] ?\d+", r"plus", r"minus", r"times table",
           r"girlfriend", r"boyfriend", r"marry", r"phone number", r"password of", r"capital of"),
    "zh": ("天气", "下雨", "气温", "股票", "股价", "比特币", "蒙娜丽莎", "卢浮宫", "大英博物馆", "出租车", "打车", "滴滴",
           "酒店", "航班", "火车", "地铁", "公交", "足球", "选举", "总统", "政治", "新闻", "菜谱", "作业", "数学",
           "笑话", "唱歌", "跳舞", "电影", "汇率", "彩票", "等于", "女朋友", "男朋友", "结婚", "首都"),
    "ko": ("날씨", "비가", "기온", "주식", "주가", "비트코인", "모나리자", "루브르", "대영박물관", "택시", "호텔", "비행기",
           "기차", "지하철", "버스", "축구", "선거", "대통령", "정치", "뉴스", "레시피", "숙제", "수학", "농담", "노래",
           "춤", "영화", "환율", "복권", "여자친구", "남자친구", "결혼", "수도"),
}

# Everyday words for the standard facility kinds, added to a pack's own aliases for facilities with these ids.
FACILITY_WORDS: dict[str, Cues] = {
    "restroom": {"en": ("toilet", "bathroom", "restroom", "loo", "wc", "washroom", "ladies room", "mens room",
                        "need to pee", "baby changing"), "zh": ("厕所", "卫生间", "洗手间", "尿尿", "方便一下"),
                 "ko": ("화장실",)},
    "cafe": {"en": ("cafe", "coffee", "hungry", "thirsty", "something to eat", "something to drink", "snack bar",
                    "eat something", "grab a bite"), "zh": ("咖啡", "饿了", "渴了", "吃点东西", "喝点东西", "买水"),
             "ko": ("카페", "배고", "목말", "커피")},
    "shop": {"en": ("gift shop", "souvenir", "postcard", "buy a gift", "museum shop", "gifts"),
             "zh": ("纪念品", "文创", "礼品", "明信片"), "ko": ("기념품", "선물 가게")},
    "lockers": {"en": ("locker", "backpack", "leave my bag", "my bags", "luggage", "suitcase", "cloakroom", "coat check",
                       "store my", "leave my backpack"), "zh": ("存包", "寄存", "背包", "行李", "存东西", "箱子", "存放"),
                "ko": ("보관함", "짐", "가방", "사물함")},
    "wheelchair": {"en": ("wheelchair", "stroller", "pushchair", "pram", "buggy", "can't walk far"),
                   "zh": ("轮椅", "婴儿车", "推车"), "ko": ("휠체어", "유모차")},
    "exit": {"en": ("exit", "way out", "get out of here", "leave the museum", "leave the building", "out of the museum"),
             "zh": ("出口", "出去", "怎么出", "离开"), "ko": ("출구", "나가")},
    "wifi": {"en": ("wifi", "wi-fi", "internet", "wireless", "online"), "zh": ("无线", "wifi", "上网", "网络"),
             "ko": ("와이파이", "인터넷")},
    "lost-found": {"en": ("lost", "dropped my", "left my", "can't find my", "missing my", "lost property"),
                   "zh": ("丢了", "丢失", "掉了", "找不到我的", "失物", "落在"), "ko": ("잃어버", "분실", "두고 왔")},
    "first-aid": {"en": ("first aid", "injured", "hurt", "bleeding", "feel sick", "dizzy", "faint", "fell", "cut his",
                         "cut her", "cut my", "doctor", "medical", "ambulance", "unwell", "emergency"),
                  "zh": ("急救", "受伤", "流血", "头晕", "想吐", "不舒服", "摔倒", "摔了", "医生", "晕倒", "救护车"),
                  "ko": ("응급", "다쳤", "피가", "어지러", "아파", "토할", "쓰러", "의사", "구급")},
    "service-desk": {"en": ("information desk", "information counter", "info desk", "service desk", "help desk",
                            "reception", "information"), "zh": ("服务台", "问讯", "咨询台", "咨询处", "前台"),
                     "ko": ("안내 데스크", "안내소", "안내 창구")},
}

PRONOUNS = {
    "en": (r"\bit\b", r"\bits\b", r"\bthis\b", r"\bthat\b", r"\bthey\b", r"\bthem\b", r"\bhe\b", r"\bshe\b",
           r"\bhim\b", r"\bher\b", r"\bhis\b", r"\bthe same\b", r"\bthere\b", r"\bone\b"),
    "zh": ("它", "这个", "那个", "他", "她", "这件", "那件", "这幅", "那幅", "它们", "他们", "这里", "那里", "这座",
           "那座", "这些", "那些"),
    "ko": ("그것", "이것", "저것", "그거", "이거", "저거", "그는", "그녀", "그 ", "이 ", "저 ", "거기"),
}


@dataclass(frozen=True)
class CompiledCues:
    """Cues of one concept, compiled for fast matching."""

    en: re.Pattern[str] | None
    substrings: dict[str, re.Pattern[str]]

    def find(self, text: str, language: str) -> str | None:
        """The first cue found in ``text`` (normalised), or None. English cues apply to every language's text."""
        if self.en is not None:
            m = self.en.search(text)
            if m:
                return m.group(0)
        for lang in (language, "ko" if language == "zh" else "zh"):
            pattern = self.substrings.get(lang)
            if pattern is not None:
                m = pattern.search(text)
                if m:
                    return m.group(0)
        return None


def compile_cues(cues: Cues) -> CompiledCues:
    en = cues.get("en", ())
    pattern = re.compile(r"\b(?:" + "|".join(f"(?:{c})" for c in en) + r")\b") if en else None
    return CompiledCues(pattern, {lang: re.compile("|".join(v)) for lang, v in cues.items() if lang != "en" and v})


__all__ = [
    "ABOUT",
    "ABUSE",
    "FACT_CUES",
    "FACILITY_WORDS",
    "FACT_SOURCES",
    "GOODBYE",
    "GREETING",
    "HELP",
    "HOURS",
    "MORE",
    "OUT_OF_SCOPE",
    "PERMISSION",
    "PRONOUNS",
    "RULES",
    "RULES_GENERAL",
    "THANKS",
    "TICKETS",
    "UNSAFE",
    "WHERE",
    "CompiledCues",
    "compile_cues",
]
