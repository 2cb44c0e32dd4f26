"""The shared spaCy pipeline: blank zh + jieba, the pipeline's own extractions as span groups."""
from __future__ import annotations

from pipeline.nlp import SPAN_KEYS, get_nlp, pipeline_spans, to_spacy


def _spans(doc, key):  # type: ignore[no-untyped-def]
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans[key]]


def test_nlp_is_blank_zh_with_jieba_built_once() -> None:
    nlp = get_nlp()
    assert nlp.lang == "zh" and nlp.tokenizer.segmenter == "jieba"
    assert nlp.pipe_names == ["planscope_spans"]
    assert get_nlp() is nlp


def test_nlp_component_marks_the_pipelines_spans_in_raw_text() -> None:
    text = ("2023年教育工作要点\n一、加强队伍建设\n1.新增省级名师20人，年底前出台《关于加强新时代教育系统干部队伍建设的意见》。"
            "（牵头负责：组织处）\n")
    doc = get_nlp()(text)
    assert doc.text == text
    assert [s.text for s in doc.spans["quantities"]] == ["20人"]
    assert [(s.text, s.label_) for s in doc.spans["deadlines"]] == [("年底前", "DEADLINE")]
    assert [s.text for s in doc.spans["instruments"]] == ["关于加强新时代教育系统干部队伍建设的意见"]
    assert [(s.text, s.label_) for s in doc.spans["departments"]] == [("组织处", "LEAD")]


def test_nlp_text_outside_items_has_no_spans() -> None:
    # the pipeline reads numbered items; a bare sentence is no plan item, so the adapter marks nothing
    doc = get_nlp()("新增省级名师20人，年底前完成。")
    assert all(len(doc.spans[k]) == 0 for k in SPAN_KEYS)


def test_nlp_spans_are_exactly_the_pipelines_on_the_seed(corpus_docs) -> None:  # type: ignore[no-untyped-def]
    seed = corpus_docs[0]
    expected = pipeline_spans(seed)
    assert len(expected["departments"]) > 30 and len(expected["quantities"]) > 40
    for doc in (get_nlp()(seed.text), to_spacy(seed)):
        assert doc.text == seed.text
        for key in SPAN_KEYS:
            assert _spans(doc, key) == expected[key], key
