from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def github_sign_in_enabled() -> bool:
    """GitHub sign-in exists only when its credentials are configured."""
    return "github" in settings.SOCIALACCOUNT_PROVIDERS
