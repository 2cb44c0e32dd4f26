"""Build the text fixtures from the seed plan: GBK, UTF-16, traditional, mojibake, one-line.

Run: python tests/data/build_txt.py
"""
from pathlib import Path

from opencc import OpenCC

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "corpus" / "changzhou_edu_2022.txt").read_text(encoding="utf-8")
OUT = Path(__file__).parent / "txt"


def _sloppy_cp1252(data: bytes) -> str:
    """Decode as Windows-1252 the way browsers do: the five undefined bytes pass through as C1 controls."""
    return "".join(bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b) for b in data)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "changzhou_edu_2022_gbk.txt").write_bytes(SEED.replace("\n", "\r\n").encode("gb18030"))
    (OUT / "changzhou_edu_2022_utf16.txt").write_bytes(SEED.encode("utf-16"))
    (OUT / "changzhou_edu_2022_bom.txt").write_bytes(SEED.encode("utf-8-sig"))
    (OUT / "changzhou_edu_2022_trad.txt").write_text(OpenCC("s2t").convert(SEED), encoding="utf-8")
    # UTF-8 bytes read as cp1252 and saved again as UTF-8: the classic web mojibake.
    head = "\n".join(SEED.split("\n")[:8])
    (OUT / "changzhou_edu_2022_mojibake.txt").write_text(_sloppy_cp1252(head.encode("utf-8")), encoding="utf-8")
    # Line breaks lost: the whole plan on one line, as some web copies come.
    (OUT / "changzhou_edu_2022_oneline.txt").write_text(SEED.replace("\n", ""), encoding="utf-8")


if __name__ == "__main__":
    main()
