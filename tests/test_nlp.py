"""The shared spaCy pipeline: blank zh + jieba, extractions as span groups."""
from __future__ import annotations

from pipeline.nlp import SPAN_KEYS, get_nlp, to_spacy


def test_nlp_is_blank_zh_with_jieba_built_once() -> None:
    nlp = get_nlp()
    assert nlp.lang == "zh" and nlp.tokenizer.segmenter == "jieba"
    assert nlp.pipe_names == ["planscope_spans"]
    assert get_nlp() is nlp


def test_nlp_component_marks_spans_in_raw_text() -> None:
    text = "新增省级名师20人，年底前出台《常州市关于加强新时代教育系统干部队伍建设的意见》。（牵头负责：组织处）"
    doc = get_nlp()(text)
    assert [s.text for s in doc.spans["quantities"]] == ["20人"]
    assert [s.text for s in doc.spans["deadlines"]] == ["年底前"]
    assert [s.text for s in doc.spans["instruments"]] == ["常州市关于加强新时代教育系统干部队伍建设的意见"]
    assert [(s.text, s.label_) for s in doc.spans["departments"]] == [("组织处", "LEAD")]


def test_nlp_to_spacy_carries_document_extractions(corpus_docs) -> None:  # type: ignore[no-untyped-def]
    seed = corpus_docs[0]
    doc = to_spacy(seed)
    assert doc.text == seed.text
    n_quantities = sum(len(it.quantities) for it in seed.items)
    assert len(doc.spans["quantities"]) == n_quantities > 40
    for key in SPAN_KEYS:
        for span in doc.spans[key]:
            assert span.text.strip()
    # every extracted span lies inside its (token-expanded) spaCy span
    spans = {(s.start_char, s.end_char) for s in doc.spans["departments"]}
    for it in seed.items:
        for d in it.departments:
            assert any(a <= d.start and d.end <= b for a, b in spans)
