"""The catalogue's search and filter form (a GET form: it works without JS)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmaps.languages import language_name
from roadmaps.models import Roadmap, SkillLevel, Status, Tag

EMPTY_FILTERS = {"text": "", "level": "", "tag": "", "language": ""}
# Below this many languages among published roadmaps the filter would only offer "any" and one.
LANGUAGE_FILTER_MINIMUM = 2


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, summary or technology")}),
        error_messages={"max_length": _("Keep the search under %(limit_value)d characters; showing all roadmaps.")},
    )
    level = forms.ChoiceField(
        label=_("Skill level"),
        required=False,
        choices=[("", _("Any level")), *SkillLevel.choices],
        error_messages={"invalid_choice": _("“%(value)s” is not a skill level; showing every level.")},
    )
    tech = forms.ChoiceField(
        label=_("Technology"),
        required=False,
        error_messages={"invalid_choice": _("No published roadmap covers “%(value)s”; showing every technology.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        error_messages={"invalid_choice": _("No published roadmap is written in “%(value)s”; showing every language.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One query: the technologies that published roadmaps use, with how many.
        tags = (
            Tag.objects.annotate(published=Count("roadmaps", filter=Q(roadmaps__status=Status.PUBLISHED)))
            .filter(published__gt=0)
            .order_by("name")
        )
        self.fields["tech"].choices = [("", gettext("Any technology"))] + [
            (tag.slug, f"{tag.name} ({tag.published})") for tag in tags
        ]
        # One query: the languages published roadmaps are written in. The
        # filter is only offered when there is a choice to make.
        codes = Roadmap.objects.published().order_by().values_list("language", flat=True).distinct()
        languages = sorted((language_name(code), code) for code in codes)
        if len(languages) < LANGUAGE_FILTER_MINIMUM:
            del self.fields["language"]
        else:
            self.fields["language"].choices = [("", gettext("Any language"))] + [
                (code, name) for name, code in languages
            ]

    def cleaned_filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is dropped (and shown as an error)."""
        if not self.is_bound:
            return dict(EMPTY_FILTERS)
        if not self.is_valid():
            for name in [name for name in self.errors if name in self.fields]:
                # Tie each error to its field for screen readers.
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-error"}
                )
        data = getattr(self, "cleaned_data", {})
        return {
            "text": data.get("q", "").strip(), "level": data.get("level", ""), "tag": data.get("tech", ""),
            "language": data.get("language", ""),
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_filters().values())

    def querystring(self) -> str:
        """The active, valid filters as a query string, for pagination links."""
        filters = self.cleaned_filters()
        pairs = {
            "q": filters["text"], "level": filters["level"], "tech": filters["tag"], "language": filters["language"],
        }
        return urlencode({key: value for key, value in pairs.items() if value})
