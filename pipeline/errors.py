"""One error vocabulary: bad input is a PlanscopeError, anything else is our bug."""
from __future__ import annotations


class PlanscopeError(Exception):
    """Base class for problems with the user's input; the message says what to do."""


class UnsupportedFormat(PlanscopeError):
    pass


class ReadError(PlanscopeError):
    pass


class EncodingError(ReadError):
    pass


class EmptyDocument(ReadError):
    pass


def unsupported(source: str, what: str) -> UnsupportedFormat:
    return UnsupportedFormat(
        f"{source}: unsupported format ({what}); planscope reads .txt, .docx, .doc/.wps, .pdf, .ofd, "
        ".html/.htm and task tables in .xlsx/.xls/.et/.csv — convert the file to one of these"
    )
