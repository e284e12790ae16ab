"""The compiled core, built with the package when a C++ compiler is there.

Everything else is in pyproject.toml. ``dedup/_core.pyx`` is optional: where it cannot be
built (no compiler: ``CC=false``), the package installs without it and runs its
pure-Python twin, which is the reference (``dedup --version`` says which runs).
"""

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # (the build requirements bring Cython; a bare setup.py call may not)
    extensions = []
else:
    extensions = cythonize(
        [
            Extension(
                "dedup._core",
                ["dedup/_core.pyx"],
                depends=["dedup/_kernels.h"],
                extra_compile_args=["-O3"],
            )
        ],
        compiler_directives={"language_level": "3"},
    )
    # cythonize() builds new Extension objects and drops `optional`: set it on them, so
    # that a failed compile is a warning and the install goes on without the core.
    for extension in extensions:
        extension.optional = True

setup(ext_modules=extensions)
