from django.apps import AppConfig


class IntervisieConfig(AppConfig):
    name = "intervisie"
    verbose_name = "Intervisie"
