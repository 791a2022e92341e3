# The optimistic lock (ris3hub.core.locking.VersionedModel) on the records people edit by hand.

from django.db import migrations, models


def version_field():
    return models.PositiveIntegerField(default=1, editable=False,
                                       help_text="Raised by one on every save (optimistic locking)")


class Migration(migrations.Migration):
    dependencies = [("consultation", "0001_initial")]

    operations = [
        migrations.AddField(model_name="consultation", name="version", field=version_field()),
        migrations.AddField(model_name="question", name="version", field=version_field()),
    ]
