"""The intervisie methods every trainer starts with (product content, not demo data)."""

from django.db import migrations

from intervisie.methods import METHODS, ensure_default_methods

def add_methods(apps, schema_editor):
    ensure_default_methods(apps.get_model("intervisie", "Method"))


def remove_methods(apps, schema_editor):
    apps.get_model("intervisie", "Method").objects.filter(
        name__in=[name for name, _summary, _steps in METHODS], created_by=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("intervisie", "0001_initial")]

    operations = [migrations.RunPython(add_methods, remove_methods)]
