"""The astroid engine's entry points: build a module tree, walk it.

Imported only when the astroid engine runs, so that the fast engine (and
``aidoc report``) never pays for importing astroid.
"""

from __future__ import annotations

import logging
import warnings

import astroid  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.builder import AstroidBuilder  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.context import _invalidate_cache  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.exceptions import AstroidSyntaxError  # type: ignore[import-untyped]  # astroid ships no py.typed
from astroid.inference_tip import clear_inference_tip_cache  # type: ignore[import-untyped]  # astroid ships no py.typed

from sphinxcontrib_aidoc.analyze._files import quiet_compile_warnings, report_parse
from sphinxcontrib_aidoc.analyze._objects import ModuleWalk
from sphinxcontrib_aidoc.diagnostics import Reporter
from sphinxcontrib_aidoc.model import ObjectInfo

logger = logging.getLogger(__name__)


def build(
    source: str, module: str, file: str, reporter: Reporter | None
) -> astroid.nodes.Module | None:
    """Parse *source* into an astroid tree; None (and a diagnostic) on failure.

    The tree is registered with astroid's manager, so that other modules
    analysed later can import it.
    """
    try:
        with warnings.catch_warnings():
            quiet_compile_warnings()
            return AstroidBuilder(astroid.MANAGER).string_build(
                source, modname=module, path=None if file.startswith("<") else file
            )
    except AstroidSyntaxError as exc:
        report_parse(reporter, file, exc.error)
    except RecursionError:
        raise  # the caller cuts the too-deep code out and builds again
    except Exception as exc:  # a brain plugin bug
        logger.debug("aidoc: cannot build %s", file, exc_info=True)
        report_parse(reporter, file, exc)
    return None


def walk(
    tree: astroid.nodes.Module,
    *,
    source: str,
    module: str,
    file: str,
    reporter: Reporter | None,
    timeout: float,
    steps: int,
    calls: bool = True,
) -> list[ObjectInfo]:
    """Build the records of every object in *tree*.

    astroid's inference caches are process-wide; they are emptied first, so
    the steps each object's inference takes (and so where a step budget cuts
    it) depend on this module's code alone, not on what was analysed before
    it in this process.
    """
    _invalidate_cache()
    clear_inference_tip_cache()
    module_walk = ModuleWalk(
        module=module,
        file=file,
        lines=source.splitlines(keepends=True),
        reporter=reporter,
        timeout=timeout,
        steps=steps,
        calls=calls,
    )
    with warnings.catch_warnings():
        quiet_compile_warnings()  # astroid parses imported modules lazily
        return module_walk.run(tree)
