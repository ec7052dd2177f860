"""The monthly portfolio report (月报): what changed in a month, generated on the 1st and kept."""
