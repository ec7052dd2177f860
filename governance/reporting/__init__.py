"""Report values and their assembly with the reader's scope (rendered by ``reports/``)."""
