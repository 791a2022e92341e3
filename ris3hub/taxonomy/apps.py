from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "ris3hub.taxonomy"
