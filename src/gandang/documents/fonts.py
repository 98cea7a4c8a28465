"""Point fontconfig at the app's alias file, so the PDF can name the official faces and get installed ones.

fontconfig reads FONTCONFIG_FILE once, when it first initialises (at WeasyPrint's first layout), so
`use_official_aliases()` must run before WeasyPrint is imported; gandang.documents.pdf does that.
"""

import os
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


def use_official_aliases() -> None:
    """Load fonts.conf (which includes the system /etc/fonts/fonts.conf) unless a site chose its own."""
    # A missing file would leave fontconfig with no fonts at all; the CSS also names installed faces.
    if FONTS_CONF.exists():
        os.environ.setdefault("FONTCONFIG_FILE", str(FONTS_CONF))
