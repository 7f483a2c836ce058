"""Learning: the course catalogue, recommendations and drafted plans, and xAPI statements.

Importing the package tells plan validation how to look up catalogue courses
(``app.services.planning.plan_context.install_course_lookup``): planning sits below learning and
never imports it. Importing ``statements`` registers its people hooks (linking and erasure).
"""

from app.services.learning import statements as _statements  # noqa: F401 (registers hooks)
from app.services.learning.catalogue import plan_course_facts
from app.services.planning.plan_context import install_course_lookup

install_course_lookup(plan_course_facts)
