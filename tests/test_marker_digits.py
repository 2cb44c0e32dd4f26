"""The marker scan lists the decimal digits as ranges instead of writing \\d (see markers._DIGITS): the
list must hold every character \\d matches in this Python's Unicode version."""
import re

from pipeline.structure import markers


def test_digit_ranges_hold_every_decimal_digit():
    listed = re.compile(f"[{markers._DIGITS}]")
    missing = [hex(cp) for cp in range(0x110000) if chr(cp).isdecimal() and not listed.match(chr(cp))]
    assert missing == []


def test_marker_starts_as_with_unicode_digits():
    digit_lead = re.compile(markers._MARKER_START.pattern.replace(markers._DIGITS, r"\d", 1))
    text = "一、总体要求。1.加强 ٣.推进 ３、落实（二）第三章 ①十二、统一、2023年12.5%"
    def leads(pattern: re.Pattern[str]) -> list[int]:
        return [m.start() for m in re.finditer(f"(?={pattern.pattern})", text)]
    assert leads(markers._MARKER_START) == leads(digit_lead) != []
