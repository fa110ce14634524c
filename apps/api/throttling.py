from rest_framework.throttling import SimpleRateThrottle

from apps.accounts.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests made with a secret API key are limited per key (rate ``api_key``)."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        api_key = getattr(request, "auth", None)
        if not isinstance(api_key, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": api_key.pk}
