"""Every region starts with the codebook of the Frisian dialogue tables (``seed.THEMES``);
a region added later gets it from ``manage.py seed_codebook``."""

from django.db import migrations

from rits.dialogues import seed


def seed_all(apps, schema_editor):  # type: ignore[no-untyped-def]
    Region = apps.get_model("regions", "YouthCareRegion")  # noqa: N806
    Theme = apps.get_model("dialogues", "Theme")  # noqa: N806
    Code = apps.get_model("dialogues", "Code")  # noqa: N806
    CodeVersion = apps.get_model("dialogues", "CodeVersion")  # noqa: N806
    for region in Region.objects.all():
        if Theme.objects.filter(region=region).exists():
            continue
        for position, (theme_name, description, codes) in enumerate(seed.THEMES):
            theme = Theme.objects.create(
                region=region,
                guid=seed.theme_guid(region.code, theme_name),
                name=theme_name,
                description=description,
                position=position,
            )
            made = Code.objects.bulk_create(
                Code(
                    region=region,
                    theme=theme,
                    guid=seed.code_guid(region.code, name),
                    name=name,
                    definition=definition,
                    example=example,
                    kind=kind,
                )
                for name, kind, definition, example in codes
            )
            CodeVersion.objects.bulk_create(
                CodeVersion(
                    code=code,
                    number=1,
                    change="created",
                    name=code.name,
                    definition=code.definition,
                    example=code.example,
                    kind=code.kind,
                )
                for code in made
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0001_initial"),
        ("regions", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(seed_all, migrations.RunPython.noop)]
