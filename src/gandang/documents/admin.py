from django.contrib import admin

from gandang.core.admin import AuditedAdmin, site
from gandang.documents import services
from gandang.documents.models import DocumentSequence, DocumentSettings, DocumentTemplate


@admin.register(DocumentTemplate, site=site)
class DocumentTemplateAdmin(AuditedAdmin):
    list_display = ["name", "kind", "title"]
    fields = ["kind", "name", "title", "body"]

    def changelist_view(self, request, extra_context=None):
        # The shipped wording is listed (and editable) before any letter has been written.
        services.templates_ensure_defaults()
        return super().changelist_view(request, extra_context)


@admin.register(DocumentSequence, site=site)
class DocumentSequenceAdmin(AuditedAdmin):
    """Shown for reference only: editing a sequence by hand could repeat or skip numbers."""

    list_display = ["kind", "year", "last"]
    list_filter = ["kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DocumentSettings, site=site)
class DocumentSettingsAdmin(AuditedAdmin):
    """One row: the issuing office's name and the document-number prefixes printed on every letter."""

    fields = [
        "issuer", "prefix_reminder", "prefix_supervision", "prefix_bulletin", "prefix_assessment", "prefix_reply",
        "prefix_minutes",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DocumentSettings.objects.exists()

    def changelist_view(self, request, extra_context=None):
        from django.shortcuts import redirect

        row = DocumentSettings.objects.first()
        if row is None:
            return redirect("manage:documents_documentsettings_add")
        return redirect("manage:documents_documentsettings_change", row.pk)
