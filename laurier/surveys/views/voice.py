"""A program's "Mentor voice" page: motivations, preferences, engagement and response rates."""

from django import forms
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laurier.core.listing import export_response, requested_export
from laurier.organisations.tenancy import program_view
from laurier.profiles.models import PREFERENCE_SCORES
from laurier.programs.models import Cycle

from ..models import EngagementFactor
from ..selectors import voice as selectors


class PulseFilterForm(forms.Form):
    """The cycle from which the engagement figures start."""

    since = forms.ModelChoiceField(
        queryset=Cycle.objects.none(),
        required=False,
        label=_("Engagement from cycle"),
        empty_label=_("All cycles"),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].queryset = Cycle.objects.filter(program=program).order_by(
            "starts_on", "pk"
        )


def _charts(voice):
    """What the charts draw: the same figures as the tables beside them."""
    profiles, pulse = voice.profiles, voice.pulse
    shown = pulse.shown_groups
    return {
        "motivations": {
            "labels": [str(row.label) for row in profiles.motivations],
            "counts": [row.count for row in profiles.motivations],
            "label": gettext("Mentors"),
        },
        "factors": {
            "labels": [group.label for group in shown],
            "datasets": [
                {"label": str(factor.label), "data": [group.factors.get(factor) for group in shown]}
                for factor in EngagementFactor
            ],
        },
        "intention": {
            "labels": [group.label for group in shown],
            "averages": [group.intention for group in shown],
            "label": gettext("Intention to continue (0–10)"),
        },
    }


@program_view
def mentor_voice(request):
    program = request.program
    form = PulseFilterForm(request.GET or None, program=program)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    voice = selectors.mentor_voice(
        program, threshold=request.organisation.anonymity_threshold, since=since
    )
    if export_format := requested_export(request):
        headers = [_("Section"), _("Item"), _("Cycle"), _("Value"), _("Responses")]
        # The page's own title, as a slug: "voix-des-mentors" on French pages.
        filename = f"{slugify(gettext('Mentor voice'))}-{program.slug}"
        return export_response(filename, headers, selectors.export_rows(voice), export_format)
    return render(
        request,
        "surveys/voice/voice.html",
        {
            "program": program,
            "form": form,
            "voice": voice,
            "charts": _charts(voice),
            "scores": PREFERENCE_SCORES,
        },
    )
