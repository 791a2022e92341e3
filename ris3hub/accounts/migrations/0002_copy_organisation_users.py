"""Roles take over monitoring's OrganisationUser links.

Every link becomes an editor role for its organisation. A link to a network (an organisation with
members) let its user open rounds for it, so it also becomes a coordinator role of that network; so does
having opened a round for a network. The monitoring migration that follows deletes the old model.
"""

from django.db import migrations


def copy_links(apps, schema_editor):
    OrganisationUser = apps.get_model("monitoring", "OrganisationUser")
    ReportingRound = apps.get_model("monitoring", "ReportingRound")
    Membership = apps.get_model("registry", "Membership")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    networks = set(Membership.objects.values_list("network_id", flat=True))
    wanted = set()
    for user_id, organisation_id in OrganisationUser.objects.values_list("user_id", "organisation_id"):
        wanted.add((user_id, "editor", organisation_id))
        if organisation_id in networks:
            wanted.add((user_id, "coordinator", organisation_id))
    for user_id, network_id in ReportingRound.objects.values_list("coordinator_id", "network_id"):
        wanted.add((user_id, "coordinator", network_id))
    existing = set(RoleAssignment.objects.filter(organisation__isnull=False)
                   .values_list("user_id", "role", "organisation_id"))
    RoleAssignment.objects.bulk_create([RoleAssignment(user_id=u, role=r, organisation_id=o)
                                        for u, r, o in sorted(wanted - existing)])


def copy_back(apps, schema_editor):
    OrganisationUser = apps.get_model("monitoring", "OrganisationUser")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    pairs = set(RoleAssignment.objects.filter(role__in=["editor", "coordinator"])
                .values_list("user_id", "organisation_id"))
    existing = set(OrganisationUser.objects.values_list("user_id", "organisation_id"))
    OrganisationUser.objects.bulk_create([OrganisationUser(user_id=u, organisation_id=o)
                                          for u, o in sorted(pairs - existing)])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_roles"),
        ("monitoring", "0001_initial"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_links, copy_back)]
