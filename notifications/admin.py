"""The outbox and the digest claims, read-only: what was sent, when, how
many attempts it took and why one failed. Bodies are never shown (they
hold sign-in codes and links until sent, and are emptied then)."""

from django.contrib import admin

from config.admin_readonly import ReadOnlyAdmin
from notifications.models import DigestSent, OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "attempts", "created_at", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status",)
    exclude = ("body", "html")
    ordering = ("-created_at", "-pk")


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ("user", "week", "day", "claimed_at", "email")
    list_select_related = ("user", "email")
    raw_id_fields = ("user", "email")
