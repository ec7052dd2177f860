"""Parsing untrusted XML: entity expansion and external references are refused (defusedxml)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from governance.errors import InvalidInput, said


def parse_xml(data: bytes, *, what: str) -> Element:
    """The root element of ``data``; a malformed or hostile document is a clear user error."""
    try:
        root: Element = fromstring(data)
    except DefusedXmlException as exc:
        raise said(InvalidInput, "%(what)s: refused: %(error)s", what=what, error=str(exc)) from None
    except ParseError as exc:
        raise said(
            InvalidInput, "%(what)s: not well-formed XML: %(error)s", what=what, error=str(exc)
        ) from None
    return root
