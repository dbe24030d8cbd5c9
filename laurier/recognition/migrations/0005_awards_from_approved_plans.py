"""Every line of a plan approved before awards existed becomes an approved award."""

from django.db import migrations
from django.utils import translation

from laurier.recognition.categories import RecognitionMoment


def kind_labels(language):
    with translation.override(language):
        return {kind: str(label) for kind, label in RecognitionMoment.choices}


def create_awards(apps, schema_editor):
    Award = apps.get_model("recognition", "Award")
    PlanLine = apps.get_model("recognition", "PlanLine")
    labels = {language: kind_labels(language) for language in ("fr-ca", "en")}
    lines = PlanLine.objects.filter(plan__status="approved", award__isnull=True).select_related(
        "plan"
    )
    Award.objects.bulk_create(
        (
            Award(
                organisation_id=line.plan.organisation_id,
                program_id=line.plan.program_id,
                mentor_id=line.mentor_id,
                option_id=line.option_id,
                plan_line_id=line.pk,
                moment_key=line.moment_key,
                moment_fr=labels["fr-ca"].get(line.moment_kind, ""),
                moment_en=labels["en"].get(line.moment_kind, ""),
                planned_on=line.moment_date,
                givers=line.givers,
                status="approved",
                commitment_id=line.commitment_id,
                created_by_id=line.plan.approved_by_id,
            )
            for line in lines.iterator(chunk_size=1000)
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0004_award")]

    operations = [migrations.RunPython(create_awards, migrations.RunPython.noop)]
