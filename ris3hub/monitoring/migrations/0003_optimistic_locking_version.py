# The optimistic lock (ris3hub.core.locking.VersionedModel) on report drafts: two people acting for the
# same organisation never silently overwrite each other's values.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_delete_organisationuser")]

    operations = [
        migrations.AddField(
            model_name="reportsubmission", name="version",
            field=models.PositiveIntegerField(default=1, editable=False,
                                              help_text="Raised by one on every save (optimistic locking)")),
    ]
