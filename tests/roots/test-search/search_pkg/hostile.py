"""Hostile text: nothing of it may run in the search page."""


def render_banner(title: str) -> str:
    """Show </script><script>alert("docstring")</script><img src=x onerror=alert(2)> <!-- now.

    The rest of the text is harmless.
    """
    return title
