"""Compiled patterns and word lists shared by the extractors (data, not logic)."""
from __future__ import annotations

import re

# Units and measure words, longest first so 万元 wins over 元 and 个百分点 over 个.
UNITS = sorted(
    """个百分点 百分点 万人次 人次 家次 平方公里 平方米 万平方米 立方米 公里 千米 米 公顷 万亩 亩 万元 亿元 元 美元 % ‰
    所 个 人 名 家 项 次 周岁 岁 件 场 支 条 篇 门 套 台 间 张 册 本 部 座 户 床 辆 班 园 种 类 批 期
    课时 学时 小时 分钟 个工作日 工作日 个月 天 倍 吨 万吨 斤 千瓦 兆瓦 千瓦时 标箱 公斤 节 轮 位 对 组 栋 幢 棵 株 盏 道
    处 宗 头 只 艘 块 分 元/人 元/年 元/月 元/亩 场次 批次 架次
    例 剂次 剂 份 标准箱 标箱 千伏安 千伏 人次/年 户次 车次 航次 班次
    微克/立方米 毫克/升 人/万人 床/千人 /10万 /万 /千""".split(),
    key=len,
    reverse=True,
)
# A per-something suffix after any unit (5万立方米/日, 80元/人·月, 2床/千人) is part of the unit.
UNIT_PER = re.compile(r"/(?:人·年|人·月|日|天|年|月|周|小时|人|户|亩|吨|床|车|次|平方米|千人|万人)")
# A measure word that begins a longer word is not a unit there (3分之, 两位数, 5天然气, 20分局).
UNIT_NOT_BEFORE = {"分": "之钟别局院校类级区期批步段项会所中行", "项": "目", "份": "额", "例": "如", "剂": "量型", "位": "数", "天": "然", "只": "要有是能",
                   "头": "部", "米": "粮", "部": "门署委分", "人": "民", "家": "庭", "场": "所景馆地", "园": "区林艺",
                   "处": "室理置", "道": "路", "组": "织团建", "种": "植养", "本": "科级地土市区县年月"}
# Multipliers folded into the value: 3.3万个 -> 33000 个; 1.2亿元 -> 120000000 元.
MULTIPLIERS = {"万亿": 1_000_000_000_000, "万": 10_000, "亿": 100_000_000, "千": 1_000}
UNIT_MULTIPLIERS = {"万元": ("元", 10_000), "亿元": ("元", 100_000_000), "万人次": ("人次", 10_000),
                    "万平方米": ("平方米", 10_000), "万亩": ("亩", 10_000), "万吨": ("吨", 10_000)}
# Measures of a person or a thing's age (65岁以上老年人, 超过20年的老旧小区): followed by a noun they say who
# or what is meant, not a target (人均预期寿命达到80岁).
ATTRIBUTE_UNITS = ("岁", "周岁", "年")
CONJUNCTIONS = "和及与或并且而"  # what may follow a target without making it a modifier (达到80岁和…)
ATTRIBUTE_TAIL = re.compile(r"(?:及|或)?(?:以上|以下|以内|左右)?(?:的)?")
# Durations: straight before a noun they name a service or a place (24小时自助图书馆, 1小时通勤圈), not a target
# (每天体育活动不少于1小时, 3个工作日内办结).
DURATION_UNITS = ("小时", "分钟", "天", "个工作日", "工作日", "个月")
# A money amount or count with 以上/以下 followed by a noun and, in the same phrase, another number is a threshold
# that picks what is counted (10亿元以上重大项目20个, 2000万元以上的企业50家), not a target itself.
THRESHOLD_QUALIFIERS = ("以上", "以下", "超过")
THRESHOLD_LEAD = ("超", "过")  # 产值超10亿元企业3家
# 违法所得不足30万元的, 不满16周岁的: a condition on who or what, not a target
CONDITION_LEAD = ("不足", "不满", "未满", "低于")
# A physical measure straight before a noun and another number is a size, not a target (400米跑道2个,
# 10万吨级泊位3个, 10万千瓦光伏电站2座), with or without 以上.
MEASURE_UNITS = ("米", "千米", "公里", "平方米", "平方公里", "立方米", "吨", "千瓦", "兆瓦", "千瓦时", "亩", "公顷",
                 "千伏", "千伏安")
# A voltage class before a noun names the kind of line or station (220千伏输变电工程), never a target.
CLASS_UNITS = ("千伏", "千伏安")
# What a purpose clause after an amount starts with (安排专项债券4万亿元支持重大项目): not what is counted.
PURPOSE_VERBS = ("支持", "用于", "带动", "撬动", "保障", "推动", "支撑")
# Verbs of a change whose subject was named with its starting value (占比由10%提高至15%): the same subject.
CHANGE_VERBS = ("提高", "提升", "降低", "下降", "增加", "减少", "缩短", "扩大", "增长", "压减", "压缩")
# 落实民营经济30条, 贯彻…政策33条: a policy package named by its number of articles, not a count.
POLICY_PACKAGE_UNITS = ("条",)
POLICY_PACKAGE_VERBS = ("落实", "贯彻", "兑现", "执行", "用好", "抓好", "宣传", "解读")
# 100余场, 3000余万元, 1万余人, 100多家: an approximate count, read as 以上.
APPROX_AFTER = ("余", "多")
APPROX_QUALIFIER = "以上"
# Chinese numerals that are money with a multiplier (两亿元, 百亿元, 千亿元) are amounts without a counting verb.
MONEY_UNITS = ("元", "美元")

QUALIFIERS_AFTER = ("以上", "以下", "左右", "以内", "上下")
INCLUSIVE = re.compile(r"[（(]含[）)]")  # 30人（含）以下
QUALIFIERS_BEFORE = ("不得低于", "不得少于", "不得超过", "不得高于", "不少于", "不低于", "不超过", "不高于", "超过", "达到", "降至", "降到", "控制在",
                     "提高到", "提升至", "提高至", "约")
# Words that end in a qualifier without being one (节约10%, 签约3个).
QUALIFIER_LOOKALIKES = ("节约", "签约", "预约", "制约", "合约", "公约", "邀约", "条约", "履约", "集约", "违约", "特约",
                        "简约")
# A rate phrase between the verb and the number (提高到每人每月200元) belongs to the unit, not the subject.
_PER = r"每(?:人|户|年|月|天|日|周|季度|学期|亩|床|生)"
RATE_PREFIX = re.compile(rf"{_PER}(?:{_PER}){{0,2}}$")  # one to three, led by a plain 每 that a search can skip to
# 力争 governs a whole clause: 力争…获得2-3项成果.
ASPIRATION = "力争"

# Verbs that, right before a bare number with no unit, make it a target (健康浙江发展指数达85).
TARGET_VERBS = ("达到", "达", "降至", "降到", "控制在", "提高到", "提升至", "提高至", "保持在", "不低于",
                "不少于", "超过", "稳定在", "不高于", "不超过", "突破")
# Verbs that make a Chinese numeral + measure word a count (新增两所); otherwise 两个确立, 五大行动… are names.
COUNT_VERBS = ("新增", "新建", "建成", "建设", "组建", "遴选", "评选", "培育", "完成", "增加", "举办",
               "开展", "培训", "创建", "认定", "招聘", "引进", "打造", "推出", "新开工", "竣工", "改造",
               "改扩建", "开工", "累计", "共", "约", "达到", "达", "超过", "不少于", "设立", "支持", "安排")

# Leading words stripped from a subject that precedes its number (新增省级名师20人 -> 省级名师).
SUBJECT_LEAD_STRIP = ("建成", "完成", "举办", "开展", "全年计划", "全年安排", "全年", "计划", "其中", "新增", "增加", "培育", "建设", "创建",
                      "打造", "组建", "遴选", "评选", "选树", "认定", "推动", "努力实现", "实现", "力争",
                      "累计", "全市", "全区", "共", "安排", "支持", "重点支持", "完成", "达到",
                      "新建", "实施", "接待", "招聘", "组织", "筹集", "筹建", "开通", "引进", "推出", "争取",
                      "确保", "开工建设", "培训", "发放", "抽检", "抽查", "走访", "检查", "将", "并处", "处", "给予")
# Tails stripped from a subject that precedes its number; longest first (下降至 before 降至).
SUBJECT_TAIL_STRIP = tuple(sorted(
    ("稳定在", "达到", "达", "降至", "降到", "控制在", "提高到", "提升至", "提高至", "保持在", "不低于", "不少于",
     "超过", "为", "至", "在", "下降至", "下降到", "降低至", "降低到", "减少至", "减少到", "压缩至", "压缩到",
     "压减至", "压减到", "缩短至", "缩短到", "增加到", "增加至", "增至", "上升至", "上升到", "提升到", "突破",
     "低于", "高于", "不高于", "不超过", "保持", "稳定", "分别", "大约", "至少", "完成", "实现", "超", "从", "由",
     "按", "拟", "将", "首次", "预计", "均", "对应", "一般", "不得低于", "不得少于", "不得超过", "不得高于"),
    key=len, reverse=True))
# A comparison base inside a subject (规上工业增加值比上年增长6.5%) is not part of what is measured.
SUBJECT_COMPARISON = re.compile(r"(?:比|较)(?:上年|去年|上一年|上年度|\d{4}年)(?:同期)?|同比")

CLAUSE_BREAK = "，。；：！？\n|"
CN_NUM = "零一二两三四五六七八九十百千"
_CN_DIGIT = "一二两三四五六七八九"
NUMBER = re.compile(
    # fractions and ratios first: 三分之一, 百分之八十, 1/3, 17:1
    rf"(?P<fden>[{_CN_DIGIT}十百千]+)分之(?P<fnum>[{CN_NUM}]+)"
    rf"|(?P<anum>\d{{1,2}})/(?P<aden>\d{{1,2}})(?![\d/.万千亿])"
    rf"|(?P<ra>\d+(?:\.\d+)?)[:：](?P<rb>\d+(?:\.\d+)?)(?![\d:：])"
    rf"|(?P<lo>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十][{CN_NUM}]*|[百千](?=[万亿]))(?P<lomul>万亿|[万亿千](?![米瓦克伏]))?(?P<lopct>%)?"
    rf"(?:\s*[-—–~～至到]\s*(?P<hi>\d+(?:\.\d+)?|[一二两三四五六七八九十][{CN_NUM}]*)(?P<himul>万亿|[万亿千](?![米瓦克伏]))?)?"
)
# The decimal digits that \d matches beyond ASCII: each script's run of ten in the Basic Multilingual Plane starts
# at one of these; the other planes are taken whole (tests/extract/test_quantities.py checks every code point).
_DIGIT_RUNS = "".join(f"{chr(zero)}-{chr(zero + 9)}" for zero in (
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50,
    0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50,
    0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10))
# Every NUMBER match starts with one of these. A search for NUMBER itself tries the whole pattern at every
# character (its alternatives start with groups, so re finds no first-character set); skipping to these first
# finds the same matches several times faster. The digits are ranges, not \d: re tests a character against
# ranges several times faster than against \d's Unicode category, and this is tested at every character.
NUMBER_START = re.compile(f"[0-9{_DIGIT_RUNS}\U00010000-\U0001ffff{_CN_DIGIT}十百千]")
# A Chinese numeral as a count is well formed (二十, 一百零五, 两千); 十四五, 二五 are names and years.
CN_WELL_FORMED = re.compile(
    rf"(?:[{_CN_DIGIT}]?千)?(?:零?[{_CN_DIGIT}]?百)?(?:零?[{_CN_DIGIT}]?十)?(?:零?[{_CN_DIGIT}])?"
)
# A ratio is only a quantity where the text says it is one (生师比达到17:1, 按1:1比例配套); 9:30 is a time.
RATIO_BEFORE = re.compile(r"(?:比|比例|配比|按)(?:为|是|达到|达|不低于|不高于|不超过|控制在|保持在|提高到|降至)?$")
RATIO_AFTER = re.compile(r"^(?:的)?(?:比例|配比|配套)")
QUOTED = re.compile(r"“[^“”]{0,20}”|\"[^\"]{0,20}\"|‘[^‘’]{0,20}’|「[^「」]{0,20}」")
# 《titles》 (wrapped over a line break too): numbers and role words inside name a document, never a target or
# a department. Shared by quantities and departments; deadlines also mask 〔document numbers〕 and nesting.
TITLED = re.compile(r"《[^《》]{1,80}》")
DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
# An attachment list (附件：1.经济社会发展10项预期目标任务进展情况表⏎2.…) names documents: numbers in those
# titles are no targets. The list runs over the lines that go on numbering after 附件：.
ATTACHMENT_LIST = re.compile(r"(?m)^[ \t]*附件[:：][^\n]*(?:\n[ \t]*\d{1,2}[.．、][^\n]*)*")
# What may not follow a number that is a quantity: dates, ordinal series, anniversaries, congress numbers.
NOT_AFTER = re.compile(r"^(?:年|月|日|号|周年|(?:分钟|小时)(?:[\u4e00-\u9fff]{0,4})圈|届|次全会|次党代会|次代表大会|大(?!于)|中全会|点|时|期间|:|：\d|/\d|\.\d|-\d{2}-)")
NOT_BEFORE = ("第", "〔", "No.", "NO.", "号", "建团", "建党", "建校", "建国", "每", "/", "×", "*", "＊")
# A duration in years is a quantity only when it cannot be a year (11.5年) or a verb sets it as a target.
YEAR_DURATION_VERBS = ("达到", "达", "提高到", "提高至", "提升至", "超过", "不少于", "不低于", "稳定在", "保持在")
# A time expression leading a subject (2023年6月底前完成老旧小区改造) is the deadline, not what is counted.
SUBJECT_TIME_PREFIX = re.compile(
    r"^(?:确保|力争)?(?:到|至|于|在)?(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|中旬|上旬|下旬|年底|年内|上半年|下半年)?(?:前|内)?"
)

# -- department annotations -------------------------------------------------------------------------
# Role words, one home for every place a role is read: labels (牵头单位：, 【配合单位】), role verbs closing a
# list (市教育局牵头, 市财政局协同), notes after a name (市医保局（配合）) and table columns (配合单位). A new
# annotation style is one edit here.
LEAD_WORDS = ("牵头", "主责", "主办")
CO_WORDS = ("配合", "协办", "参与", "协同", "协助")
AMBIGUOUS_WORDS = ("责任", "负责", "承办", "起草")  # lead unless the item names a lead elsewhere (起草: 立法计划)
ROLE_WORDS = LEAD_WORDS + CO_WORDS + AMBIGUOUS_WORDS

