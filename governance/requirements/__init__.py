"""Requirements: registration, workflow, spreadsheet import/export and traceability."""
