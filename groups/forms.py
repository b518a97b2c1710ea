"""Forms of the groups app: every input validated, errors next to the field."""

from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.models import DESCRIPTION_MAX, NAME_MAX, NUDGE_MAX, Membership, Role, StudyGroup, Visibility
from progress.wording import hours as hours_text
from roadmaps.models import Roadmap

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
NOT_NOW = "none"


class GroupForm(forms.ModelForm):
    roadmap = forms.ModelChoiceField(
        queryset=Roadmap.objects.published().order_by("title"), required=False, empty_label=_("No roadmap"),
        label=_("Roadmap the group follows"), help_text=_("Optional: members' progress on it shows on the group page."),
    )
    members_see = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, label=_("Who sees members' figures"),
        initial=Visibility.ORGANISERS,
        help_text=_("Organisers always see what members share. With “every member”, members who agree see each "
                    "other's too."),
    )

    class Meta:
        model = StudyGroup
        fields = ["name", "description", "roadmap", "members_see"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": _("Name"), "description": _("Description")}
        help_texts = {
            "name": format_lazy(_("Up to {count} characters."), count=NAME_MAX),
            "description": _("Optional: what the group is for."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = DESCRIPTION_MAX

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the group a name."))
        if CONTROL_CHARACTERS.search(name):
            raise forms.ValidationError(_("The name cannot contain control characters."))
        return name


class SharingForm(forms.ModelForm):
    """What the member lets the group see, and whether nudges may reach them."""

    class Meta:
        model = Membership
        fields = ["share_progress", "share_hours", "share_activity", "share_streaks", "show_to_members",
                  "nudges_allowed"]

    def __init__(self, *args, group: StudyGroup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not group.members_see_members:
            # Only organisers see figures in this group: nothing to choose.
            del self.fields["show_to_members"]

    def choices(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in self.fields}


class JoinForm(SharingForm):
    """The invite page: sharing choices, and enrolling on the group's roadmap."""

    enrol = forms.ChoiceField(label=_("Enrol in the group's roadmap"), widget=forms.RadioSelect, required=False)

    def __init__(self, *args, group: StudyGroup, pace_plans=(), offer_enrolment: bool = False, **kwargs) -> None:
        kwargs.setdefault("instance", Membership(group=group))
        super().__init__(*args, group=group, **kwargs)
        if "show_to_members" in self.fields and not self.is_bound:
            self.initial["show_to_members"] = True
        self.pace_plans = {str(plan.pk): plan for plan in pace_plans}
        if offer_enrolment and self.pace_plans:
            choices = [
                (pk, gettext("Yes, at the %(pace)s pace (%(hours)s h a week)")
                 % {"pace": plan.name, "hours": hours_text(plan.hours_per_week)})
                for pk, plan in self.pace_plans.items()
            ]
            self.fields["enrol"].choices = [*choices, (NOT_NOW, _("Not now"))]
            recommended = next((pk for pk, plan in self.pace_plans.items() if plan.is_recommended), None)
            self.initial.setdefault("enrol", recommended or next(iter(self.pace_plans)))
        else:
            del self.fields["enrol"]

    def choices(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "enrol"}

    def pace_plan(self):
        return self.pace_plans.get(self.cleaned_data.get("enrol") or NOT_NOW)


class NudgeForm(forms.Form):
    message = forms.CharField(
        label=_("Your words"), max_length=NUDGE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(_("Up to {count} characters, sent by email with a link to their plan."), count=NUDGE_MAX),
        error_messages={"required": _("Write a few words to send.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InviteActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("regenerate", _("Make a new link")), ("off", _("Switch the link off"))])


class TokenForm(forms.Form):
    """The invite page without a link: paste the link or its code."""

    token = forms.CharField(label=_("Invite link or code"), max_length=300)

    def clean_token(self) -> str:
        value = self.cleaned_data["token"].strip()
        # A whole link pasted: keep what follows "token=".
        match = re.search(r"token=([A-Za-z0-9_-]+)", value)
        return match.group(1) if match else value
