"""The PDF of an official document: HTML built from the same structure, laid out by WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from gandang.documents import structure as s
from gandang.documents.fonts import use_official_aliases


def render_html(doc: s.Document) -> str:
    """The document as one HTML page (with its CSS inline) for WeasyPrint."""
    sig_indent, date_indent = s.signature_indent_chars(doc)
    blocks = []
    for label, block in doc.numbered():
        item: dict[str, object] = {"label": label, "block": block, "kind": type(block).__name__.lower()}
        if isinstance(block, s.Image):
            item["src"] = f"data:{block.mime};base64,{base64.b64encode(block.data).decode('ascii')}"
        blocks.append(item)
    # The body's last paragraph (with a heading right above it) is laid out with the signature, so the
    # signature page always carries body text; a table or figure at the end keeps the closing by CSS.
    ending: list[dict[str, object]] = []
    if blocks and blocks[-1]["kind"] == "paragraph":
        ending.insert(0, blocks.pop())
        while blocks and blocks[-1]["kind"] == "heading":
            ending.insert(0, blocks.pop())
    return render_to_string(
        "documents/official.html",
        {
            "doc": doc,
            "blocks": blocks,
            "ending": ending,
            "issuer_pt": min(30, int(s.TEXT_WIDTH_PT / max(len(doc.issuer), 1))),
            "sig_indent_em": sig_indent,
            "date_indent_em": date_indent,
            "s": {
                "line_pt": s.LINE_PITCH_PT,
                "body_pt": s.BODY_PT,
                "title_pt": s.TITLE_PT,
                "page_number_pt": s.PAGE_NUMBER_PT,
                "imprint_pt": s.IMPRINT_PT,
                "rule_thick_mm": s.IMPRINT_RULE_THICK_MM,
                "rule_thin_mm": s.IMPRINT_RULE_THIN_MM,
                "table_pt": s.TABLE_PT,
                "margins": s.MARGINS_MM,
            },
        },
    )


def render_pdf(doc: s.Document) -> bytes:
    """The document as PDF bytes."""
    use_official_aliases()
    from weasyprint import HTML  # after FONTCONFIG_FILE is set: fontconfig reads it once

    return HTML(string=render_html(doc)).write_pdf()
