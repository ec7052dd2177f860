"""Parsing untrusted XML: entity expansion and external references are refused (defusedxml)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from governance.errors import InvalidInput


def parse_xml(data: bytes, *, what: str) -> Element:
    """The root element of ``data``; a malformed or hostile document is a clear user error."""
    try:
        root: Element = fromstring(data)
    except DefusedXmlException as exc:
        raise InvalidInput(f"{what}: refused: {exc}") from None
    except ParseError as exc:
        raise InvalidInput(f"{what}: not well-formed XML: {exc}") from None
    return root
