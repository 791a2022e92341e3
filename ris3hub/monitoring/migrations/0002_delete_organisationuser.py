"""OrganisationUser is replaced by accounts' roles (editor, coordinator); its rows were copied there."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0001_initial"),
        ("accounts", "0002_copy_organisation_users"),
    ]

    operations = [migrations.DeleteModel(name="OrganisationUser")]
