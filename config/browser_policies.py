"""What browsers may do on Waymark's pages: the Permissions-Policy header
(config.middleware sends it) and the Content-Security-Policy (django-csp).
The same in every environment, so they are constants, read by settings."""

from __future__ import annotations

from csp.constants import NONE, SELF

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Content-Security-Policy (django-csp 4): nothing inline, nothing from other
# hosts. form-action also lists GitHub because browsers apply it to the
# redirect that follows allauth's "Continue with GitHub" POST.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, "https://github.com"],
    }
}
