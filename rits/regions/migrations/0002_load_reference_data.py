from django.db import migrations


def load(apps, schema_editor):
    from rits.regions.reference import load as load_reference

    load_reference(apps.get_model("regions", "YouthCareRegion"), apps.get_model("regions", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
