"""Which distribution at which version: read from its metadata directory's name.

Reading a distribution's METADATA file parses it as an e-mail message (about 4 ms each);
a scan asks this of every installed distribution (the environment digest of traced pylint
results) and of each scanner's (the stored rule declarations), which cost a no-change scan
about half a second. The directory name carries both (``name-version.dist-info``, as the
packaging specifications write it), so it is read instead where it can be.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib.metadata import Distribution, distributions
from pathlib import PurePath


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """The installed distributions and their versions, as one digest (read once per process).

    What a tool reports can change with what else is installed: pylint's inference reads
    site-packages (a stub that gained a method, a package that is missing), and bandit loads
    its plugins from other distributions. Traced pylint results and stored rule declarations
    both keep it in their keys.
    """
    found = sorted({identity(d) for d in distributions()})
    return hashlib.sha256("\n".join(found).encode()).hexdigest()


def identity(dist: Distribution) -> str:
    """``name==version`` (the name normalised); AttributeError for a stand-in without metadata."""
    where = getattr(dist, "_path", None)  # PathDistribution's directory; absent on other finders
    if isinstance(where, PurePath) and where.suffix in (".dist-info", ".egg-info"):
        name, sep, version = where.stem.partition("-")
        if sep and version and "-" not in version:
            return f"{normalised(name)}=={version}"
    return f"{normalised(dist.metadata['Name'])}=={dist.version}"


def normalised(name: str) -> str:
    """A project name as the packaging specifications compare them (``Boolean.py`` = ``boolean-py``)."""
    return re.sub(r"[-_.]+", "-", name).lower()
