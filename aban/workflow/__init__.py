"""Use cases that cross stages, called by the command line, the web app and the demo.

Link then grade (:mod:`~aban.workflow.link`), estimate from linked, graded persons
in scope (:mod:`~aban.workflow.estimate`) and how that estimate moves with the
linkage threshold (:mod:`~aban.workflow.sensitivity`). Each stage applies itself
to a register on its own (``linkage.register``, ``grade.register``, ...); only
what chains stages lives here, so no face chains them itself.
"""
