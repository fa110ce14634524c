from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # every installed app's portal.py registers what it adds (apps.core.portal)
        autodiscover_modules("portal")
