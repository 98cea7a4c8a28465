"""The rectification report's steps: the monthly report's sign-off flow, ending in the office's verification.

Same states and the same rules (`dispatch.flow.refusal`): the liaison drafts and submits, the unit
head signs off or sends back, the office verifies — accepting it delists the item, returning it sends
the unit back to work. No correction step: a verified rectification closes the listing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from gandang.dispatch.flow import TRANSITIONS as REPORT_TRANSITIONS
from gandang.dispatch.flow import Transition

TRANSITIONS: dict[str, Transition] = {
    "submit": REPORT_TRANSITIONS["submit"],
    "approve": REPORT_TRANSITIONS["approve"],
    "send_back": REPORT_TRANSITIONS["send_back"],
    "accept": Transition(
        gettext_lazy("核验通过并摘牌"),
        REPORT_TRANSITIONS["accept"].sources,
        REPORT_TRANSITIONS["accept"].target,
        REPORT_TRANSITIONS["accept"].role,
        needs_reason=True,
        own_unit=False,
        done=gettext_lazy("“%(title)s”整改已核验，已摘牌"),
    ),
    "return": Transition(
        gettext_lazy("退回继续整改"),
        REPORT_TRANSITIONS["return"].sources,
        REPORT_TRANSITIONS["return"].target,
        REPORT_TRANSITIONS["return"].role,
        needs_reason=True,
        own_unit=False,
        done=gettext_lazy("“%(title)s”整改报告已退回"),
    ),
}
