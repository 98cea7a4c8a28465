from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gandang.core.admin import ValidSelectionMixin, role_of, site
from gandang.notifications.models import Delivery

# The outbox is run by the system administrator; the office may resend its own notices too.
OUTBOX_ROLES = frozenset({"sysadmin", "office"})


@admin.register(Delivery, site=site)
class DeliveryAdmin(ValidSelectionMixin, admin.ModelAdmin):
    """The outbox of e-mail and webhook notices: the office sees what failed and why, and can retry."""

    list_display = [
        "notification",
        "recipient",
        "channel",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["state", "channel"]
    search_fields = ["notification__title", "notification__user__username", "notification__user__full_name"]
    list_select_related = ["notification__user"]
    actions = ["retry"]

    @admin.display(description=_("收件人"))
    def recipient(self, obj: Delivery) -> str:
        return str(obj.notification.user)

    @admin.action(description=_("重新发送所选（下次巡检时发送）"))
    def retry(self, request, queryset):
        n = queryset.exclude(state=Delivery.State.SENT).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        messages.success(request, _("已安排重新发送 %(n)d 条") % {"n": n})

    def has_module_permission(self, request):
        return role_of(request) in OUTBOX_ROLES

    def has_view_permission(self, request, obj=None):
        return role_of(request) in OUTBOX_ROLES

    def has_change_permission(self, request, obj=None):
        return role_of(request) in OUTBOX_ROLES

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]
