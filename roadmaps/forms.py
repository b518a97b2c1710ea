from urllib.parse import urlencode

from django import forms

from roadmaps.models import SkillLevel, Tag


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    level = forms.ChoiceField(
        label="Skill level", required=False, choices=[("", "Any level"), *SkillLevel.choices]
    )
    tech = forms.ChoiceField(label="Technology", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tech"].choices = [("", "Any technology")] + [
            (tag.slug, tag.name) for tag in Tag.objects.filter(roadmaps__status="published").distinct()
        ]

    def cleaned_filters(self) -> dict[str, str]:
        """The valid filters; an invalid one is dropped (and shown as an error)."""
        if not self.is_bound:
            return {"text": "", "level": "", "tag": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"text": data.get("q", ""), "level": data.get("level", ""), "tag": data.get("tech", "")}

    def querystring(self) -> str:
        """The active filters as a query string, for pagination links."""
        filters = self.cleaned_filters()
        pairs = {"q": filters["text"], "level": filters["level"], "tech": filters["tag"]}
        return urlencode({key: value for key, value in pairs.items() if value})
