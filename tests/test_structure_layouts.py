"""Layouts of real plans as they are published (crawls, PDF pages, flattened task tables), one class per
test, each with the negative that keeps the rule from over-reaching. Texts are written in the style of
real plans; none is copied from the crawl."""
from __future__ import annotations

import pytest

from pipeline.extract import extract
from pipeline.ingest.normalize import normalize
from pipeline.structure import parse


def _doc(text: str):  # type: ignore[no-untyped-def]
    return parse(normalize(text))


def _outline(text: str) -> list[tuple[str, str]]:
    doc = _doc(text)
    return [(it.item_id, it.label) for it in doc.items]


def _headings(text: str) -> list[str]:
    doc = _doc(text)
    return [doc.heading(it) for it in doc.items]


# -- paragraph breaks that became indent runs ---------------------------------------------------------

CRAWLED = ("某市教育局关于印发2024年工作要点的通知\n为做好全年工作，制定本要点。　　一、总体要求　　坚持以人民为中心。"
           "　　（一）强化组织领导　　1.健全工作机制。建立联席会议制度。　　2.压实工作责任。细化任务分工。"
           "　　（二）加强督查考核　　将任务纳入年度考核。　　二、重点任务　　（一）扩大学位供给　　新建学校5所。")


def test_indent_runs_are_paragraph_breaks() -> None:
    assert _outline(CRAWLED) == [("1", "一、"), ("1.1", "（一）"), ("1.1.1", "1."), ("1.1.2", "2."),
                                 ("1.2", "（二）"), ("2", "二、"), ("2.1", "（一）")]
    assert _headings(CRAWLED)[:2] == ["总体要求", "强化组织领导"]


def test_indent_run_inside_a_letter_spaced_word_or_between_names_is_no_break() -> None:
    text = normalize("第一章　总　　则\n中共某市委教育工委　　某市教育局\n序　　号")
    assert text.split("\n") == ["第一章 总  则", "中共某市委教育工委  某市教育局", "序  号"]


# -- inline markers -------------------------------------------------------------------------------------

def test_inline_markers_after_a_plain_space() -> None:
    text = ("2019年某市教育工作要点\n奋力推动教育高质量发展。 一、强化教育党建，落实全面从严治党 1.加强政治思想建设。"
            "深入学习领会。 2.加强意识形态工作。建立健全工作格局。")
    assert _outline(text) == [("1", "一、"), ("1.1", "1."), ("1.2", "2.")]
    assert _headings(text) == ["强化教育党建，落实全面从严治党", "加强政治思想建设", "加强意识形态工作"]


def test_one_line_document_with_only_two_markers() -> None:
    text = "关于做好招生工作的通知\n现将有关事项通知如下：一、严格招生纪律。不得提前招生。二、做好宣传解读。及时回应关切。"
    assert _outline(text) == [("1", "一、"), ("2", "二、")]


def test_inline_section_after_a_heading_that_lost_its_break() -> None:
    text = "关于开展援助活动的通知\n现通知如下：一、活动主题援助暖民心二、活动时间2022年8月至10月三、援助对象（一）登记失业人员。"
    # the slogan is too short to tell from a longer heading; the period after 活动时间 is its text
    assert _headings(text)[:3] == ["活动主题援助暖民心", "活动时间", "援助对象"]


def test_yi_dun_ending_a_word_is_no_marker_inline() -> None:
    text = "关于做好工作的通知\n通知如下：一、坚持标准统一、规范管理。内容。二、加强协调。内容。"
    assert _headings(text) == ["坚持标准统一、规范管理", "加强协调"]


def test_articles_of_a_regulation_run_on_after_chapter_headings() -> None:
    text = ("某市办法\n第一章　总则第一条　为了规范管理，制定本办法。第二条　本办法适用于本市。第二章　管理第三条　"
            "依照本办法第二条规定的范围实施。第四条　有下列情形之一的：（一）未登记的；（二）未备案的。")
    doc = _doc(text)
    assert [it.label for it in doc.items] == ["第一章", "第一条", "第二条", "第二章", "第三条", "第四条", "（一）", "（二）"]


# -- a page or excerpt that starts mid-count -----------------------------------------------------------

def test_page_that_starts_mid_count() -> None:
    text = "（四）持续推进宣讲员队伍建设。（推进办负责）\n（五）开展科普行动。（科技部负责）\n（六）加强学校食品安全。（教育部负责）"
    assert [it.label for it in _doc(text).items] == ["（四）", "（五）", "（六）"]


def test_a_lone_mid_count_number_is_not_an_item() -> None:
    text = "2023年工作要点\n全面推进各项工作。\n（四）个方面的任务要统筹推进。\n其他内容。"
    assert _doc(text).items == []


def test_cover_letter_attachment_list_is_not_items() -> None:
    text = ("区政府：\n现将一季度推进情况报告如下。\n一、预期目标情况\n指标符合预期。\n二、民生实事进展\n正常推进。\n"
            "附件：1.预期目标任务进展情况表\n2.民生实事任务进展情况表\n3. 137项重点工作任务进展情况表\n某区政府督查办\n2021年4月8日\n"
            "附件1\n预期目标任务进展情况表\n序号 |\n预期目标 |\n责任单位 |\n1 |\n地区生产总值增长6%以上 |\n区发展改革委 |\n"
            "2 |\n固定资产投资增长8% |\n区发展改革委 |")
    doc = _doc(text)
    assert [(it.item_id, it.label) for it in doc.items] == [
        ("1", "一、"), ("2", "二、"), ("3", "附件1"), ("3.1", "1"), ("3.2", "2")]
    assert doc.heading(doc.items[2]) == "预期目标任务进展情况表"
    assert doc.issuer == "某区政府督查办"


# -- task tables flattened to text ---------------------------------------------------------------------

def test_one_cell_per_line_with_blank_lines_between() -> None:
    text = ("附件1\n\n2022年预期目标任务分解表\n\n序号\n\n2022年预期目标\n\n责任单位\n\n1\n\n地区生产总值增长5.5%左右\n\n"
            "区发展改革委\n\n2\n\n固定资产投资增长6%左右\n\n区发展改革委\n\n3\n\n工业增加值增长7%左右\n\n区经济信息委")
    doc = extract(_doc(text))
    rows = doc.items[1:]
    assert [doc.heading(it) for it in rows] == ["地区生产总值增长5.5%左右", "固定资产投资增长6%左右", "工业增加值增长7%左右"]
    assert [[d.name for d in it.departments] for it in rows] == [["区发展改革委"], ["区发展改革委"], ["区经济信息委"]]
    # the header line is in no item: its 2022年 is no deadline of the attachment
    assert "预期目标" not in doc.item_text(doc.items[0]).replace("2022年预期目标任务分解表", "")
    assert doc.items[0].deadlines == []


def test_cell_lines_ending_in_a_bar_letter_spaced_header_first_row_above_one() -> None:
    text = ("重点工作目标任务分解表\n序号 |\n目标与任务 |\n分 管 县领导 |\n牵头责任单位 |\n责任单位 |\n"
            "80 |\n加大普惠性托育供给，新增托位数400个以上。 |\n张 明 |\n县教育局 |\n县各有关单位 |\n"
            "81 |\n支持职业学校发展。 |\n李 华 |\n县教育局 |\n县人社局 |")
    doc = extract(_doc(text))
    assert [(it.label, doc.heading(it)) for it in doc.items] == [
        ("80", "加大普惠性托育供给，新增托位数400个以上"), ("81", "支持职业学校发展")]
    assert "分管县领导" in doc.items[0].cells and "牵头责任单位" in doc.items[0].cells
    leads = [[d.name for d in it.departments if d.role == "lead"] for it in doc.items]
    assert leads[0] == ["县教育局"]  # the leader's name is no department, nor 县各有关单位
    assert all("张" not in d.name for it in doc.items for d in it.departments)


def test_markers_nested_in_the_cells_of_one_pipe_row() -> None:
    text = ("序号 | 重点任务 | 具体措施 | 工作要求 | 牵头单位 | 责任单位 | 完成时限\n"
            "（一）优化审批服务。 | 1.推行并联审批，年底前全面实施。 | （1）8月底前建成线上平台。 | 区政务服务局 | 各街道 | 2023年9月底 |")
    doc = _doc(text)
    assert [(it.item_id, it.label) for it in doc.items] == [("1", "（一）"), ("1.1", "1."), ("1.1.1", "（1）")]
    deepest = doc.items[-1]
    assert set(deepest.cells) == {"牵头单位", "责任单位", "完成时限"}
    assert doc.heading(doc.items[0]) == "优化审批服务"


def test_a_bar_inside_an_ordinary_item_is_no_table() -> None:
    doc = _doc("2023年工作要点\n一、推进“A|B”两类试点\n（一）做好评估。")
    assert [it.label for it in doc.items] == ["一、", "（一）"]


# -- items whose text starts with a number -------------------------------------------------------------

@pytest.mark.parametrize("line", ["2.6月底前完成调研。", "2.2024年第三季度完成验收。", "2.8月15日前报送材料。"])
def test_item_text_starting_with_a_date_is_no_decimal(line: str) -> None:
    doc = _doc(f"2024年工作要点\n一、重点任务\n1.开展摸底调查。\n{line}")
    assert [it.label for it in doc.items] == ["一、", "1.", "2."]


def test_a_decimal_amount_is_still_no_marker() -> None:
    doc = _doc("2024年工作要点\n一、重点任务\n1.开展摸底调查。\n2.5万元用于设备购置。")
    assert [it.label for it in doc.items] == ["一、", "1."]


# -- hard-wrapped text -----------------------------------------------------------------------------------

WRAPPED = "\n".join([
    "某办公室：2023年工作要点",
    "（一）持续推进健康中国行动宣讲员队伍建设，组织开展宣讲活动，扩大覆盖",
    "",
    "面，提升群众健康素养水平。（国家卫生健康委、国家中医药局、国家疾控局按职",
    "责分工负责）",
    "（二）以全国科普日活动、全国科技活动周为载体，结合卫生健康节日纪念日，持续",
    "",
    "推进健康科普行动，开展新时代健康科普作品征集大赛，推动健康知识进社区。（教",
    "育部、国家卫生健康委负责）",
    "（三）部署加强学校食品安全和营养健康工作，完善校园食品安全管理体制，开展",
    "营养健康学校建设。（教育部牵头负责）",
])


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    doc = extract(_doc(WRAPPED))
    assert [doc.heading(it) for it in doc.items] == [
        "持续推进健康中国行动宣讲员队伍建设，组织开展宣讲活动，扩大覆盖面，提升群众健康素养水平",
        "以全国科普日活动、全国科技活动周为载体，结合卫生健康节日纪念日，持续推进健康科普行动，开展新时代健康科普作品征集大赛，推动健康知识进社区",
        "部署加强学校食品安全和营养健康工作，完善校园食品安全管理体制，开展营养健康学校建设"]
    # a department name broken by the wrap inside the open bracket is whole again
    assert [d.name for d in doc.items[1].departments] == ["教育部", "国家卫生健康委"]


def test_paragraph_lines_of_an_unwrapped_text_stay_apart() -> None:
    text = ("2023年工作要点\n深入贯彻落实党的二十大精神，推动高质量发展\n一、总体要求\n坚持稳中求进工作总基调。\n"
            "二、重点任务\n（一）扩大有效投资\n实施重大项目500个以上。")
    assert normalize(text) == text


# -- the end of the plan -----------------------------------------------------------------------------------

def test_web_footer_ends_the_last_item() -> None:
    text = ("2023年工作要点\n一、重点任务\n（一）扩大有效投资。实施重大项目。\n分享到：\n相关阅读\n"
            "主办单位：某市人民政府办公室\n网站标识码：1234000000 某ICP备05001234号")
    doc = _doc(text)
    assert doc.item_text(doc.items[-1]) == "（一）扩大有效投资。实施重大项目。"


# -- targets outside items ---------------------------------------------------------------------------------

def test_targets_paragraph_before_the_tasks_has_its_quantities() -> None:
    text = ("2024年工作总体要求和目标任务\n今年经济社会发展主要预期目标是：地区生产总值增长6%左右，城镇调查失业率控制在5%以内。\n"
            "重点抓好以下方面工作：\n（一）扩大有效投资。新开工项目100个。")
    doc = extract(_doc(text))
    assert [(q.value, q.unit, q.qualifier) for q in doc.quantities] == [(6.0, "%", "左右"), (5.0, "%", "以内")]
    assert [q.value for q in doc.items[0].quantities] == [100.0]


def test_page_without_items_keeps_its_targets() -> None:
    doc = extract(_doc("2026年政府工作报告要点\n经济增长4.5%-5%\n城镇新增就业1200万人以上\n居民消费价格涨幅2%左右"))
    assert doc.items == []
    assert [(q.value, q.value_max, q.unit) for q in doc.quantities] == [
        (4.5, 5.0, "%"), (12000000.0, None, "人"), (2.0, None, "%")]


# -- metadata ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("head, title", [
    ("信息名称：2019年某市教育工作要点\n索 引 号：014109488/2019-00082", "2019年某市教育工作要点"),
    ("当前位置：文档库 › 教育局2020年工作要点", "教育局2020年工作要点"),
    ("2019年某市教育工作要点 | |||||||||", "2019年某市教育工作要点"),
    ("2023 年 3 月 第 1 期  某行动推进委员会办公室：某行动2023年工作要点  3", "某行动2023年工作要点"),
])
def test_title_without_labels_breadcrumbs_and_chrome(head: str, title: str) -> None:
    doc = _doc(head + "\n一、加强党建。内容。\n二、推进改革。内容。")
    assert doc.title == title


def test_title_is_the_first_line_of_a_crawl_file() -> None:
    doc = _doc("某省人民政府办公厅关于加快发展养老服务的通知\n各市人民政府：现通知如下：一、扩大供给。内容。二、提升质量。内容。")
    assert doc.title == "某省人民政府办公厅关于加快发展养老服务的通知"
    assert doc.issuer == "某省人民政府办公厅"


def test_year_is_the_start_of_a_range_in_the_title() -> None:
    assert _doc("某省养老服务体系建设行动计划（2023—2025年）\n一、目标。内容。\n二、任务。内容。").year == 2023


def test_year_of_a_government_report_from_the_npc_session() -> None:
    doc = _doc("政府工作报告简略版\n李强总理向十四届全国人大四次会议作政府工作报告：\n一、2025年工作回顾\n国内生产总值增长5%")
    assert doc.year == 2026


def test_issuer_from_the_signature_above_the_date() -> None:
    doc = _doc("2023年工作要点\n一、加强党建。内容。\n二、推进改革。内容。\n\n某县人民政府办公室\n2023年2月22日")
    assert doc.issuer == "某县人民政府办公室"
    assert doc.item_text(doc.items[-1]) == "二、推进改革。内容。"


# -- traditional copies --------------------------------------------------------------------------------------

def test_traditional_copy_gets_mainland_vocabulary_and_loses_pinyin_glosses() -> None:
    text = normalize("2019年工作要點\n一、強化黨建\n推動網際網路與教育融合發(fā)展，最佳化資源配置，提升行政效能。")
    assert "互联网" in text and "优化资源配置" in text and "发展" in text and "fā" not in text
    assert "效能" in text  # a mainland word written in traditional characters stays as it is


# -- the audit ------------------------------------------------------------------------------------------------

def test_audit_warns_when_the_body_lies_outside_items() -> None:
    body = "".join(f"本规定适用于第{n}类事项的管理，相关部门按照职责做好工作。" for n in range(40))
    doc = _doc("某省管理规定\n" + body + "\n（一）未登记的；\n（二）未备案的。")
    assert [w.split(":")[0] for w in doc.warnings] == ["body_outside_items"]


def test_audit_is_quiet_on_a_well_read_plan(seed_doc) -> None:  # type: ignore[no-untyped-def]
    assert seed_doc.warnings == []


# -- more classes found reading crawled documents by eye -----------------------------------------------------

def test_lists_a_colon_opens_restart_inside_articles_whose_markers_were_lost() -> None:
    text = ("某省供热条例\n用户不得有下列行为：（一）在供热设施上安装换热装置；（二）从供热设施中取用循环水。"
            "供热单位不得有下列行为：（一）擅自停止供热；（二）降低供热标准；（三）拒绝检修。")
    doc = _doc(text)
    assert [it.label for it in doc.items] == ["（一）", "（二）", "（一）", "（二）", "（三）"]
    # a colon's list of one is no restart: nothing confirms the count
    lone = _doc("某省供热条例\n用户不得有下列行为：（一）安装换热装置；（二）取用循环水。供热单位应当做到：（一）按时供热。")
    assert [it.label for it in lone.items] == ["（一）", "（二）"]


def test_numbering_goes_on_after_text_lost_in_a_crawl() -> None:
    lines = [f"{n}.第{n}项任务。" for n in (1, 2, 3, 18, 19, 20, 21)]
    doc = _doc("2018年行动计划\n一、主要任务\n" + "\n".join(lines))
    assert [it.label for it in doc.items][1:] == ["1.", "2.", "3.", "18.", "19.", "20.", "21."]


def test_a_body_saved_twice_by_the_crawl_is_read_once() -> None:
    body = "".join(f"{cn}、第{cn}方面工作。" + "围绕目标任务，压实工作责任，细化工作措施，确保各项工作落到实处。" * 3
                   for cn in "一二三")
    doc = _doc("某省工作方案\n" + body + body)
    assert [it.label for it in doc.items] == ["一、", "二、", "三、"]
    assert any(w.startswith("repeated_text") for w in doc.warnings)


def test_signature_glued_into_a_one_line_crawl_ends_the_last_item() -> None:
    text = ("某部办公厅关于做好评审工作的通知\n通知如下：一、明确评审范围。内容。二、规范评审程序。重要问题及时报告。"
            "某部办公厅2022年11月30日更多信息请关注官方微信")
    doc = _doc(text)
    assert doc.item_text(doc.items[-1]) == "二、规范评审程序。重要问题及时报告。"
    assert (doc.issuer, doc.year) == ("某部办公厅", 2022)


def test_joint_signature_names_every_issuer() -> None:
    text = "某某实施方案\n一、总体要求。内容。\n二、重点任务。内容。\n某省教育厅\n某省财政厅\n某省人力资源和社会保障厅\n2018年12月25日"
    assert _doc(text).issuer == "某省教育厅；某省财政厅；某省人力资源和社会保障厅"


# Signatures as crawled web pages leave them: paragraphs run into one line, set off by two spaces (or the
# ideographic spaces of the page's indentation), or names and date run together with no space at all.

def test_signature_in_paragraphs_a_crawl_ran_into_one_line() -> None:
    text = ("推动企业上市工作方案\n某省工业和信息化厅关于印发《推动企业上市工作方案》的通知各市工业和信息化局：　　现予以印发，"
            "请认真组织实施。　　某省工业和信息化厅　　2021年8月20日推动企业上市工作方案　　一、总体要求。内容。二、重点任务。内容。")
    doc = _doc(text)
    assert (doc.issuer, doc.year) == ("某省工业和信息化厅", 2021)


def test_joint_signature_of_many_organs_each_its_own_paragraph() -> None:
    organs = [f"某省第{cn}厅" for cn in "一二三四五六七八九十"] + ["中国人民银行某市中心支行"]
    text = ("关于推动制造服务业发展的实施意见\n现印发给你们，请认真贯彻落实。　　" + "　　".join(organs)
            + "　　2021年9月3日关于推动制造服务业发展的实施意见　　一、总体要求。内容。二、重点任务。内容。")
    assert _doc(text).issuer == "；".join(organs)


def test_signature_names_run_together_are_told_apart() -> None:
    text = ("某省重点群体创业推进行动工作方案\n现将方案印发给你们。联系方式：0311-66908801某省人力资源和社会保障厅"
            "某省发展和改革委员会中共某省委组织部财政部中国农业银行股份有限公司某省分行2022年12月30日（此件主动公开）"
            "某省重点群体创业推进行动工作方案一、总体要求。内容。二、重点任务。内容。")
    doc = _doc(text)
    assert doc.issuer.split("；") == ["某省人力资源和社会保障厅", "某省发展和改革委员会", "中共某省委组织部", "财政部",
                                     "中国农业银行股份有限公司某省分行"]
    assert doc.year == 2022


@pytest.mark.parametrize("text", [
    # a dated sentence, not a signature: the date goes on (…日起施行, …日前报送)
    "某省消防设施管理规定\n一、总则。内容。二、附则。某省应急管理厅2011年4月1日起施行。",
    "某省零工市场工作方案\n一、任务。名录请于2022年9月15日前报送某省人力资源社会保障厅。二、要求。内容。",
    # the rest of an attachment's title before the names is no organ (…工作指南某部办公厅)
    "某某通知\n一、任务。内容。二、要求。附件：线下招聘活动工作指南某部办公厅2020年5月20日",
])
def test_what_is_no_signature_gives_no_issuer(text: str) -> None:
    assert _doc(text).issuer == ""


def test_a_joint_title_prefix_names_every_issuer() -> None:
    doc = _doc("某省人力资源和社会保障厅某省民政厅某省财政厅关于加强零工市场建设的若干举措\n一、任务。内容。二、要求。内容。")
    assert doc.issuer == "某省人力资源和社会保障厅；某省民政厅；某省财政厅"
    assert _doc("某省人民政府办公厅转发省发展改革委关于抓好节能工作意见的通知\n一、任务。内容。").issuer == "某省人民政府办公厅"


def test_a_legislative_plan_groups_its_projects_by_class() -> None:
    # 立法工作计划 as crawled: one line, 一类项目：/二类项目： heading each numbered run, the drafter in brackets
    text = ("某省人民政府办公厅关于印发2024年立法工作计划的通知\n现将《某省人民政府2024年立法工作计划》印发给你们。"
            "安排立法项目5件。一、地方性法规项目（3件）一类项目：年内提请审议的项目（2件）。"
            "1.某省民用机场管理条例（省交通运输厅起草）2.某省消防条例（修订）（省消防救援总队起草）"
            "二类项目：调研项目（1件）。1.某省耕地保护条例（省自然资源厅起草）"
            "二、政府规章项目（2件）一类项目：年内制定的项目（2件）。1.某省气象信息服务办法（省气象局起草）"
            "2.某省排污许可管理办法（省生态环境厅起草）")
    doc = _doc(text)
    paths = {it.item_id: it for it in doc.items}

    def path(it):  # type: ignore[no-untyped-def]
        return (path(paths[it.parent_id]) + "/" if it.parent_id else "") + it.label

    assert [(path(it), doc.heading(it)) for it in doc.items] == [
        ("一、", "地方性法规项目（3件）"),
        ("一、/一类项目", "年内提请审议的项目（2件）"),
        ("一、/一类项目/1.", "某省民用机场管理条例"),
        ("一、/一类项目/2.", "某省消防条例（修订）"),
        ("一、/二类项目", "调研项目（1件）"),
        ("一、/二类项目/1.", "某省耕地保护条例"),
        ("二、", "政府规章项目（2件）"),
        ("二、/一类项目", "年内制定的项目（2件）"),
        ("二、/一类项目/1.", "某省气象信息服务办法"),
        ("二、/一类项目/2.", "某省排污许可管理办法"),
    ]
    drafters = [[d.name for d in it.departments] for it in extract(doc).items if it.label == "1."]
    assert drafters == [["省交通运输厅"], ["省自然资源厅"], ["省气象局"]]
    assert doc.title == "某省人民政府2024年立法工作计划"  # as the letter cites it, not the shorter 关于印发…
    # a class named inside a sentence is no heading
    assert "一类项目" not in [it.label for it in _doc("某省工作方案\n一、任务。对一类项目给予支持，二类项目：从简。二、要求。内容。").items]


def test_a_body_saved_twice_with_its_cover_letter_ends_the_last_item_before_the_copy() -> None:
    cover = "各市人民政府：现将计划印发给你们，请认真贯彻执行。某省人民政府办公厅2024年4月4日"
    body = "".join(f"{cn}、第{cn}方面工作。" + "围绕目标任务，压实工作责任，确保各项工作落到实处。" * 6 for cn in "一二三")
    doc = _doc("某省工作计划的通知\n" + cover + body + "某某要会同有关部门做好清理。" + cover + body)
    last = doc.item_text(doc.items[-1])
    assert last.endswith("某某要会同有关部门做好清理。") and "各市人民政府" not in last


def test_attachments_run_into_a_one_line_crawl_are_their_own_items() -> None:
    # a 行动计划 with its 专项实施方案 attached, all on one line: each attachment's 一、 starts over under it
    text = ("某省产业发展三年行动计划\n一、总体要求。内容。二、主要任务。内容。附件：1.大数据产业发展专项实施方案"
            "2.新材料产业发展专项实施方案附件1大数据产业发展专项实施方案一、前景与基础大数据产业包括数据资源建设等。"
            "二、行动目标到2020年，产业规模不断壮大。附件2新材料产业发展专项实施方案一、前景与基础新材料是指新出现的材料。"
            "二、行动目标产业规模实现倍增。")
    doc = _doc(text)
    assert [(it.level, it.label, doc.heading(it)) for it in doc.items] == [
        (1, "一、", "总体要求"), (1, "二、", "主要任务"),
        (1, "附件1", "大数据产业发展专项实施方案"), (2, "一、", "前景与基础"), (2, "二、", "行动目标"),
        (1, "附件2", "新材料产业发展专项实施方案"), (2, "一、", "前景与基础"), (2, "二、", "行动目标"),
    ]


def test_a_full_width_hyphen_joins_ranges_and_periods() -> None:
    doc = extract(_doc("某省石化工业数字化转型行动计划（2020－2022年）\n一、目标。培育2－3家龙头企业。\n二、任务。内容。"))
    assert doc.year == 2020
    assert [(q.value, q.value_max, q.unit) for q in doc.items[0].quantities] == [(2, 3, "家")]


def test_a_section_name_ends_a_heading_the_body_ran_into() -> None:
    # one-line crawls of 活动方案: 一、活动主题<slogan> 二、活动时间<period> 三、时间步骤和工作安排<body>
    text = ("某省就业援助活动实施方案（2022-2024）\n一、活动主题援助暖民心就业解民忧二、活动时间2022年8月—10月"
            "三、时间步骤和工作安排评选工作分为材料申报、各市推荐、专家评估等环节。四、保障重点领域技能人才供给稳定就业局势。")
    doc = _doc(text)
    assert [doc.heading(it) for it in doc.items] == ["活动主题", "活动时间", "时间步骤和工作安排", "保障重点领域技能人才供给稳定就业局势"]
    assert doc.year == 2022  # a title range without 年


def test_the_title_after_the_signature_is_the_plans_own() -> None:
    # a crawl runs the signature's date into the title, and may wrap the title over two paragraphs
    text = ("某省人民政府办公厅关于印发《某省县域特色产业集群“领跑者”企业培育行动方案》的通知\n各市人民政府：《某省县域特色产业集群"
            "“领跑者”企业培育行动方案》已经省政府同意，现印发给你们。　　某省人民政府办公厅　　2022年7月13日　　某省县域特色产业"
            "集群“领跑者”　　企业培育行动方案　　为深入贯彻落实全会精神，制定本方案。一、主要目标。内容。二、重点措施。内容。")
    doc = _doc(text)
    assert (doc.title, doc.issuer, doc.year) == ("某省县域特色产业集群“领跑者”企业培育行动方案", "某省人民政府办公厅", 2022)
    text = ("某省人民政府办公厅关于印发某省企业上市行动方案的通知\n各市人民政府：《某省企业上市行动方案》已经省政府同意，"
            "现印发给你们。　　某省人民政府办公厅　　2023年2月11日某省企业上市行动方案　　为加快推进企业上市，制定本方案。"
            "一、行动目标。内容。二、重点任务。内容。")
    assert _doc(text).title == "某省企业上市行动方案"
    # 印发关于…实施方案的通知 names the plan without its 的; the letter cites it in full
    text = ("某省人民政府办公厅印发关于做好“放管服”改革有关工作实施方案的通知\n《关于做好“放管服”改革有关工作的实施方案》已经"
            "省政府同意，现印发给你们，请认真组织实施。一、总体要求。内容。二、重点任务。内容。")
    assert _doc(text).title == "关于做好“放管服”改革有关工作的实施方案"


def test_a_cited_document_number_is_not_the_documents_own() -> None:
    text = ("某省教师教育振兴行动计划\n为贯彻落实《教师教育振兴行动计划》（教师〔2018〕2号）精神，制定本计划。\n"
            "一、目标任务。内容。\n二、主要措施。内容。")
    doc = _doc(text)
    assert doc.doc_number == ""
    assert _doc("某市人民政府文件\n某政发〔2015〕24号\n某某意见\n一、总体要求。内容。\n二、任务。内容。").doc_number == "某政发〔2015〕24号"


def test_simplified_text_is_never_sent_through_the_converter() -> None:
    from pipeline.ingest.normalize import _TRADITIONAL_ONLY, to_simplified

    # 源 and 境 are written the same in both scripts: a plan about 资源 and 环境 is no traditional copy
    assert not {"源", "境"} & _TRADITIONAL_ONLY
    text = "推进人力资源服务业发展，优化营商环境。" * 20 + "网路"
    assert to_simplified(text) is text


def test_an_attached_document_starts_its_counts_over() -> None:
    text = ("某方案政策解读\n一、起草背景\n内容。\n二、总体考虑\n内容。\n三、主要内容\n方案包括十五条举措。\n"
            "附件：某省关于促进在线教育健康发展的实施方案\n某省关于促进在线教育健康发展的实施方案\n某教办〔2019〕105号\n"
            "一、总体要求\n内容。\n二、完善资源服务体系\n（一）深化资源开发。内容。\n（二）加强资源建设。内容。")
    doc = _doc(text)
    assert [(it.item_id, it.label) for it in doc.items] == [
        ("1", "一、"), ("2", "二、"), ("3", "三、"), ("4", "一、"), ("5", "二、"), ("5.1", "（一）"), ("5.2", "（二）")]
    # without the attached document's own header, a second 一、 is still no restart
    plain = _doc("某方案\n一、背景\n内容。\n二、考虑\n内容。\n一、总体要求\n内容。")
    assert [it.label for it in plain.items] == ["一、", "二、"]


def test_a_task_table_whose_cell_lines_a_crawl_joined_with_indents() -> None:
    lines = ["重点工作目标任务分解表", "序号 |", "目标与任务 |", "牵头责任单位 |", "1 |", "新增托位数400个以上。 |", "县教育局 |",
             "2 |", "支持职业学校发展。 |", "县人社局 |"]
    doc = extract(_doc("\u3000\u3000".join(lines)))
    assert [(it.label, [d.name for d in it.departments]) for it in doc.items] == [("1", ["县教育局"]), ("2", ["县人社局"])]


def test_a_text_that_lost_every_break_keeps_its_headings_apart() -> None:
    text = ("2023年全省卫生健康工作要点一、总体要求坚持以人民为中心。二、主要任务（一）实施健康促进行动。"
            "1.主要目标指标。人均预期寿命达82.4岁。2.重点工作举措。构建指标体系。（二）加强医疗服务。")
    assert [it.label for it in _doc(text).items] == ["一、", "二、", "（一）", "1.", "2.", "（二）"]


def test_numbers_listed_in_a_sentence_or_an_attachment_list_are_no_markers() -> None:
    text = ("某某通知\n通知如下：一、填报要求。序号填写1、2、3等数字，达到3.5万人。二、报送时间。内容。"
            "附件：1.申报表2.汇总表3.承诺书")
    assert [it.label for it in _doc(text).items] == ["一、", "二、"]


def test_a_heading_ending_in_a_bracket_or_quote_before_an_indent_run_is_its_own_line() -> None:
    text = ("政府工作报告要点\n一、总体要求　　坚持稳中求进。　　二、「十五五」时期主要目标　　国内生产总值增长保持在合理区间"
            "　　三、主要目标　　（一）地区生产总值增长7%以上　　责任单位：区发展和改革局")
    assert _headings(text) == ["总体要求", "「十五五」时期主要目标", "主要目标", "地区生产总值增长7%以上"]


def test_a_task_table_whose_cells_a_crawl_joined_with_indent_runs() -> None:
    cells = ["附件1", "预期目标任务分解表", "序号", "2022年预期目标", "责任单位", "1", "地区生产总值增长5.5%左右",
             "区发展改革委", "2", "固定资产投资增长6%左右", "区发展改革委"]
    doc = extract(_doc("\u3000\u3000".join(cells)))
    assert [(it.label, doc.heading(it), [d.name for d in it.departments]) for it in doc.items[1:]] == [
        ("1", "地区生产总值增长5.5%左右", ["区发展改革委"]), ("2", "固定资产投资增长6%左右", ["区发展改革委"])]
    assert normalize("共有　　3　　个单位。") == "共有  3  个单位。"  # no table here: the runs stay spaces


def test_title_wrapped_over_two_lines_that_a_crawl_joined() -> None:
    doc = _doc("立山区政府2023年重点工作　　任务分解和责任分工方案\n一、主要预期目标\n1.地区生产总值增长6.2%左右。")
    assert doc.title == "立山区政府2023年重点工作任务分解和责任分工方案"


def test_the_signatures_date_comes_before_the_pages_publication_date() -> None:
    doc = _doc("发布时间：2023-03-01 10:00\n区政府：\n现将一季度推进情况报告如下。\n一、预期目标情况\n内容。\n"
               "二、民生实事进展\n内容。\n附件：1.进展情况表　　某区政府督查办\n2021年4月8日")
    assert (doc.year, doc.issuer) == (2021, "某区政府督查办")


def test_a_marker_set_off_from_its_heading_by_an_indent_run_keeps_it() -> None:
    text = "某办法\n第一章　　总则　　第一条　　为了规范管理，制定本办法。　　一、　　总体要求　　坚持稳中求进。"
    assert [(it.label, h) for it, h in zip(_doc(text).items, _headings(text))] == [
        ("第一章", "总则"), ("第一条", "为了规范管理，制定本办法"), ("一、", "总体要求")]


def test_a_files_internal_id_is_no_title() -> None:
    from pipeline.model import RawText

    raw = RawText(text="监理大纲应包括下列内容：\n一、监理工程概况。\n二、监理范围。", format="ofd",
                  metadata={"title": "CF8856E711FA473B9CDC46D4D7692FD6"})
    assert parse(raw).title == ""
    raw = RawText(text=raw.text, format="html", metadata={"title": "某市2023年工作要点"})
    assert parse(raw).title == "某市2023年工作要点"
