"""Screen-reader captions of Django's admin (/manage/) in the user's language.

Django 5.2 writes a boolean's icon with alt="True"/"False"/"None" (the Python value, never translated),
so a screen reader in the Chinese UI says "True". This puts 是/否/未知 (Django's own "Yes"/"No"/"Unknown",
translated by its catalogs) in their place. The other English captions are a template override
(core/templates/admin/search_form.html) and the project's zh_Hans catalog (locale/zh_Hans).
"""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _


def _boolean_icon(field_val):
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    label = {True: _("Yes"), False: _("No"), None: _("Unknown")}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


def install() -> None:
    # admin.helpers and admin.utils import admin_list._boolean_icon when they draw a boolean: all use this.
    admin_list._boolean_icon = _boolean_icon  # type: ignore[attr-defined]  # private, not in the stubs
