"""Evidence beside the code: test results, coverage, dependencies, attestations, tool versions.

Each piece of evidence is tied to the module and the commit it describes; the scan turns
what exists for *its* commit into frozen inputs of the evaluation (``standards.facts``).
"""
