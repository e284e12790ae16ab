"""The compiled core, built with the package when a C++ compiler is there.

Everything else is in pyproject.toml. ``dedup/_core.pyx`` (the matching's loops) and
``dedup/_walk.pyx`` (the HTML block walk, built against lxml's public C API) are optional:
where they cannot be built (no compiler: ``CC=false``), the package installs without them
and runs their pure-Python twins, which are the reference (``dedup --version`` says which
runs).
"""

import sys
from pathlib import Path

from setuptools import Extension, setup

ROOT = Path(__file__).resolve().parent

try:
    from Cython.Build import cythonize
except ImportError:  # (the build requirements bring Cython; a bare setup.py call may not)
    extensions = []
else:
    # The fold table, made from normalize's tables by the Python that builds the core.
    sys.path.insert(0, str(ROOT / "dedup"))
    import _foldgen

    _foldgen.write(ROOT)
    core = Extension(
        "dedup._core",
        ["dedup/_core.pyx"],
        depends=["dedup/_kernels.h", "dedup/_fold.h"],
        extra_compile_args=["-O3"],
    )
    extensions = cythonize([core], compiler_directives={"language_level": "3"})
    try:
        import lxml

        # lxml's wheel ships its .pxd files and libxml2's headers: no -dev package needed.
        walk = Extension(
            "dedup._walk",
            ["dedup/_walk.pyx"],
            include_dirs=lxml.get_include(),
            extra_compile_args=["-O2"],
        )
        extensions += cythonize([walk], compiler_directives={"language_level": "3"})
    except Exception as exc:  # no lxml to build against (a bare setup.py call), or no .pxd
        print(f"dedup: the compiled HTML walk is left out: {exc}", file=sys.stderr)
    # cythonize() builds new Extension objects and drops `optional`: set it on them, so
    # that a failed compile is a warning and the install goes on without the core.
    for extension in extensions:
        extension.optional = True

setup(ext_modules=extensions)
