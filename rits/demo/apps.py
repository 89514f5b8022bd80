from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region. Sits above every capability app and is imported by none."""

    name = "rits.demo"
    verbose_name = "Demo"
