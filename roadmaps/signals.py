"""Signals the roadmaps app sends; it never imports the apps that listen."""

from django.dispatch import Signal

# A roadmap's content changed (items added, retired, moved, re-houred; steps
# reordered; an import): `roadmap_id` is its pk. Sent by `roadmap_touch`,
# which every editor save goes through, and by the YAML importer, inside the
# edit's transaction. The progress app rebuilds its learners' step summaries
# on it (progress/receivers.py).
content_changed = Signal()
