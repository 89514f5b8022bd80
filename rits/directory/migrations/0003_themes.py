"""The region's taxonomy of youth-care themes (reference data, the same in every install)."""

import uuid

from django.db import migrations

NAMESPACE = uuid.UUID("0b9c6f1e-52a4-4a53-9d6e-6a1f3c2b7d10")

THEMES = [
    ("opvoeden", "Opvoeden en opgroeien", "Vragen over opvoeding, gedrag en opgroeien.", "opvoedondersteuning opvoedvragen gedrag ouderschap"),
    ("ontwikkeling", "Ontwikkeling", "Zorgen over de ontwikkeling: taal, motoriek, autisme, ADHD.", "autisme adhd taalontwikkeling dyslexie motoriek"),
    ("ggz", "Psychische gezondheid (GGZ)", "Somberheid, angst, trauma en andere psychische klachten.", "angst depressie somberheid trauma psycholoog psychiater"),
    ("lvb", "Licht verstandelijke beperking (LVB)", "Hulp voor kinderen en jongeren met een licht verstandelijke beperking.", "verstandelijke beperking begeleiding"),
    ("verslaving", "Verslaving", "Alcohol, drugs, gamen en gokken.", "alcohol drugs gamen gokken middelengebruik"),
    ("geld", "Geld en schulden", "Hulp bij geldzorgen, schulden en armoede.", "schulden armoede budget schuldhulp"),
    ("onderwijs", "Onderwijs en school", "School, leerplicht, thuiszitten en passend onderwijs.", "school leerplicht thuiszitter passend onderwijs"),
    ("wonen-18", "Wonen en 18+", "Zelfstandig wonen en de overgang naar volwassenheid.", "achttien volwassen zelfstandig kamertraining wonen"),
    ("veiligheid", "Veiligheid", "Huiselijk geweld, kindermishandeling en onveilige situaties.", "huiselijk geweld kindermishandeling veilig thuis"),
    ("vrije-tijd", "Vrije tijd", "Sport, cultuur en ontmoeting in de buurt.", "sport cultuur jongerenwerk buurt"),
    ("gezondheid", "Gezondheid", "Jeugdgezondheidszorg, voeding en lichamelijke gezondheid.", "consultatiebureau jgz voeding slapen"),
    ("scheiding", "Scheiding", "Kinderen en ouders bij een (echt)scheiding.", "echtscheiding omgang ouderschapsplan"),
    ("werk", "Werk en inkomen", "Werk, stage, uitkering en inkomen.", "baan stage uitkering inkomen"),
    ("crisis", "Crisis", "Acute hulp als het thuis niet meer gaat.", "spoed acuut noodsituatie"),
]


def load(apps, schema_editor):
    Theme = apps.get_model("directory", "Theme")
    for position, (code, name, description, keywords) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code,
            defaults={
                "uuid": uuid.uuid5(NAMESPACE, code),
                "name": name,
                "description": description,
                "keywords": keywords,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_index")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
