"""`govern`: the command line, and the composition root of the application."""
