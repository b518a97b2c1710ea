"""Forms of the roadmap admin beyond the generated model forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmaps.admin.ordering import OrderedFormMixin, validate_position_and_key
from roadmaps.models import Roadmap, Step


def _bytes(count: int) -> str:
    """1,048,576 in English, 1.048.576 in Spanish."""
    return number_format(count, force_grouping=True)


class RoadmapImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roadmap file"),
        help_text=_(
            "One roadmap as YAML (.yaml, .yml), Markdown with YAML front matter, or an outline (.md): "
            "Markdown headings and lists, or plain text copied from a page; or a flow chart saved as JSON "
            "(roadmap.sh's). A roadmap with the same slug is "
            "updated in place, after a preview of the changes."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROADMAP_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("%(file)s: the file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"file": upload.name, "size": _bytes(upload.size), "limit": _bytes(limit)}
            )
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                gettext("%(file)s: the file is not UTF-8 text.") % {"file": upload.name}
            ) from None
        return upload


class RoadmapImportConfirmForm(forms.Form):
    """The second step of re-importing an existing roadmap: the file's text
    comes back from the preview page and is validated again before writing
    (it may not be trusted more than an upload)."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    source = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.ROADMAP_IMPORT_MAX_BYTES
        if len(text.encode("utf-8")) > limit:
            raise forms.ValidationError(
                gettext("The file is over the limit of %(limit)s bytes.") % {"limit": _bytes(limit)}
            )
        return text


class RoadmapAdminForm(forms.ModelForm):
    new_tags = forms.CharField(
        label=_("New technologies"), required=False, max_length=600,
        help_text=_(
            "Comma-separated, e.g. “Kotlin, Jetpack Compose”: added to this roadmap, created when new "
            "(an existing one with the same name, in any case, is reused)."
        ),
    )

    class Meta:
        model = Roadmap
        fields = ("title",)  # the admin passes the fields of its fieldsets
        error_messages = {
            "language": {
                "invalid_choice": _("“%(value)s” is not a language code Django knows; pick one from the list."),
            },
        }

    def clean_new_tags(self) -> list[str]:
        names = [" ".join(name.split()) for name in self.cleaned_data["new_tags"].split(",")]
        names = [name for name in names if name]
        for name in names:
            if len(name) > 60:
                raise forms.ValidationError(
                    gettext("“%(name)s…” is longer than 60 characters.") % {"name": name[:20]}
                )
            if not slugify(name):
                raise forms.ValidationError(
                    gettext("No tag can be made from “%(name)s”: use letters or digits.") % {"name": name}
                )
        return names


class HealthForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Stalled after (weeks without activity)"), min_value=1, max_value=52, required=False,
    )


class StepAdminForm(OrderedFormMixin, forms.ModelForm):
    class Meta:
        model = Step
        fields = (
            "roadmap", "position", "title", "key", "summary", "motto",
            "goal", "success_metric", "weekly_goals", "duration_weeks", "estimated_hours", "any_order",
        )

    def clean(self):
        cleaned = super().clean()
        roadmap = cleaned.get("roadmap") or (self.instance.roadmap if self.instance.roadmap_id else None)
        if roadmap is not None:
            validate_position_and_key(self, roadmap_id=roadmap.pk, siblings=Step.objects.filter(roadmap=roadmap))
        return cleaned
