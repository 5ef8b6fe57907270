"""Model answers that try to become markup (shared by the sanitize tests).

Each entry is text a model could write in any field of its answer. None of
it may become live markup on a page; all of its words must stay visible.
``canary.txt`` is a file beside ``conf.py`` in the test root, whose text must
never reach the site.
"""

from __future__ import annotations

#: The text of ``tests/roots/test-hostile-answers/canary.txt``.
CANARY = "CANARY-d41d8cd98f-file-content"

CORPUS: tuple[str, ...] = (
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. include:: /etc/passwd",
    ".. include:: canary.txt",
    ".. literalinclude:: canary.txt",
    ".. csv-table:: Injected\n   :file: canary.txt",
    ".. note:: injected admonition",
    ".. only:: html\n\n   hidden text",
    ".. image:: javascript:alert(1)",
    ".. |sub| replace:: injected-substitution\n\nUse |sub| here.",
    ".. _evil: javascript:alert(1)\n\nSee evil_ now.",
    ".. a comment hiding text",
    "`click <javascript:alert(1)>`_ or `x <data:text/html,hi>`__",
    "plain javascript:alert(1) and evil@example.com",
    "Call :raw-html:`<b>bold</b>` and :download:`canary.txt` and :ref:`x`.",
    "<img src=x onerror=alert(1)> and <iframe src=javascript:alert(1)></iframe>",
    ":param evil: injected field\n:returns: injected return",
    "Returns:\n    int: injected section",
    "Args:\n    evil (int): injected argument",
    "| line block\n| second line",
    "+-----+-----+\n| a   | b   |\n+-----+-----+",
    "=====  =====\na      b\n=====  =====",
    "Injected Section\n================",
    "=====\nOver and under\n=====",
    "- bullet\n- list",
    "* star bullet",
    "1. first\n2. second",
    "A. Smith wrote it",
    "(3) third",
    "#. auto",
    ">>> import os",
    "term\n    indented definition",
    "Example::\n\n    literal block",
    "[1]_ and [#]_ footnotes and _`inline target` and anonymous__",
    "**strong** *emphasis* ``literal`` `interpreted`",
    "Parameters\n----------\nevil : int\n    injected numpy section",
    "RTL \u202eevil\u202c, zero\u200bwidth\ufeff, \u2066isolate\u2069 text",
    "homoglyph\ua789colon, \u2236ratio, fullwidth\uff1aparam\uff1a \uff0astar\uff0a",
    "line\u2028separator and\u2029paragraph",
    "C:\\path\\to\\file and trailing backslash \\",
    "ends with a colon:",
)
