"""Each crisis line says which public holidays close it.

Until now every public holiday of the ``holidays`` package closed every office line,
Good Friday included. Existing lines get the general days off: all holidays except
Good Friday, written out here so that this migration means the same later.
"""

from django.db import migrations, models

import rits.directory.public_holidays

GENERAL_DAYS_OFF = [
    "New Year's Day",
    "Easter Sunday",
    "Easter Monday",
    "King's Day",
    "Liberation Day",
    "Ascension Day",
    "Pentecost",
    "Pentecost Monday",
    "Christmas Day",
    "Second Day of Christmas",
]


def set_general_days_off(apps, schema_editor):  # type: ignore[no-untyped-def]
    CrisisLine = apps.get_model("directory", "CrisisLine")
    CrisisLine.objects.update(closed_on_holidays=GENERAL_DAYS_OFF)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_search_dutch_stems"),
    ]

    operations = [
        migrations.AddField(
            model_name="crisisline",
            name="closed_on_holidays",
            field=models.JSONField(
                blank=True,
                default=rits.directory.public_holidays.general_days_off,
                help_text="On these days the line is closed and the region's line applies.",
                validators=[rits.directory.public_holidays.validate_holiday_keys],
                verbose_name="closed on these public holidays",
            ),
        ),
        migrations.RunPython(set_general_days_off, migrations.RunPython.noop),
    ]
