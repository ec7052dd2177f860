"""Documents of the vendor scorecards and the monthly portfolio report, through ``reports.render``."""
