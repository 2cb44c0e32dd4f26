"""Compiled patterns and word lists shared by the extractors (data, not logic)."""
from __future__ import annotations

import re

# Units and measure words, longest first so 万元 wins over 元 and 个百分点 over 个.
UNITS = sorted(
    """个百分点 百分点 万人次 人次 家次 平方公里 平方米 万平方米 公里 千米 公顷 万亩 亩 万元 亿元 元 % ‰
    所 个 人 名 家 项 次 岁 件 场 支 条 篇 门 套 台 间 张 册 本 部 座 户 床 辆 班 园 种 类 批 期
    课时 学时 小时 分钟 倍 吨 万吨 千瓦 兆瓦 公斤 节 轮 位 对 组 栋 幢 棵 株 盏 道 元/人 元/年 场次 批次 架次
    微克/立方米 毫克/升 人/万人 床/千人""".split(),
    key=len,
    reverse=True,
)
# Multipliers folded into the value: 3.3万个 -> 33000 个; 1.2亿元 -> 120000000 元.
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1_000}
UNIT_MULTIPLIERS = {"万元": ("元", 10_000), "亿元": ("元", 100_000_000), "万人次": ("人次", 10_000),
                    "万平方米": ("平方米", 10_000), "万亩": ("亩", 10_000), "万吨": ("吨", 10_000)}

QUALIFIERS_AFTER = ("以上", "以下", "左右", "以内", "上下")
QUALIFIERS_BEFORE = ("不少于", "不低于", "不超过", "不高于", "超过", "达到", "降至", "降到", "控制在",
                     "提高到", "提升至", "提高至", "约")
# 力争 governs a whole clause: 力争…获得2-3项成果.
ASPIRATION = "力争"

# Verbs that, right before a bare number with no unit, make it a target (健康浙江发展指数达85).
TARGET_VERBS = ("达到", "达", "降至", "降到", "控制在", "提高到", "提升至", "提高至", "保持在", "不低于",
                "不少于", "超过")
# Verbs that make a Chinese numeral + measure word a count (新增两所); otherwise 两个确立, 五大行动… are names.
COUNT_VERBS = ("新增", "新建", "建成", "建设", "组建", "遴选", "评选", "培育", "完成", "增加", "举办",
               "开展", "培训", "创建", "认定", "招聘", "引进", "打造", "推出", "新开工", "竣工", "改造",
               "改扩建", "开工", "累计", "共", "约", "达到", "达", "超过", "不少于", "设立", "支持", "安排")

# Leading words stripped from a subject that precedes its number (新增省级名师20人 -> 省级名师).
SUBJECT_LEAD_STRIP = ("建成", "完成", "举办", "开展", "全年计划", "全年安排", "全年", "计划", "其中", "新增", "增加", "培育", "建设", "创建",
                      "打造", "组建", "遴选", "评选", "选树", "认定", "推动", "努力实现", "实现", "力争",
                      "累计", "全市", "全区", "共", "安排", "支持", "重点支持", "完成", "达到")
SUBJECT_TAIL_STRIP = ("稳定在", "达到", "达", "降至", "降到", "控制在", "提高到", "提升至", "提高至", "保持在", "不低于",
                      "不少于", "超过", "为", "至", "在")

CLAUSE_BREAK = "，。；：！？\n|"
CN_NUM = "零一二两三四五六七八九十百千"
NUMBER = re.compile(
    rf"(?P<lo>\d+(?:\.\d+)?|[一二两三四五六七八九十][{CN_NUM}]*)(?P<lomul>[万亿千](?![米瓦克]))?(?P<lopct>%)?"
    rf"(?:\s*[-—–~～至到]\s*(?P<hi>\d+(?:\.\d+)?|[一二两三四五六七八九十][{CN_NUM}]*)(?P<himul>[万亿千](?![米瓦克]))?)?"
)
QUOTED = re.compile(r"“[^“”]{0,20}”|\"[^\"]{0,20}\"|‘[^‘’]{0,20}’|「[^「」]{0,20}」")
TITLED = re.compile(r"《[^《》]*》")
DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
# What may not follow a number that is a quantity: dates, ordinal series, anniversaries, congress numbers.
NOT_AFTER = re.compile(r"^(?:年|月|日|号|周年|分钟(?:[\u4e00-\u9fff]{0,2})圈|届|次全会|次党代会|次代表大会|大(?!于)|中全会|点|时|:|：\d|/\d|\.\d|-\d{2}-)")
NOT_BEFORE = ("第", "〔", "No.", "NO.", "号", "建团", "建党", "建校", "建国")
# A time expression leading a subject (2023年6月底前完成老旧小区改造) is the deadline, not what is counted.
SUBJECT_TIME_PREFIX = re.compile(
    r"^(?:确保|力争)?(?:到|至|于|在)?(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|中旬|上旬|下旬|年底|年内|上半年|下半年)?(?:前|内)?"
)
