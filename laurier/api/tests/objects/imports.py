from laurier.imports.models import ImportJob, ImportKind, ImportSource

MAKERS = {
    "people-file": lambda organisation: ImportJob.objects.create(
        organisation=organisation,
        kind=ImportKind.PEOPLE,
        source=ImportSource.API,
        file="imports/staff.csv",
        original_name="staff.csv",
        status=ImportJob.Status.DONE,
    ),
}
