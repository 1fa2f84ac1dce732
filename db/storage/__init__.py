"""Storage: where the database lives and how it is opened, migrated, checked, backed up and
restored; safe file operations. Knows nothing of métiers or students beyond the schema."""
