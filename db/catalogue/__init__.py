"""The catalogue of métiers: nomenclatures, importers (file → records), writing records,
search and filters, fiche pages, export, the starter catalogue."""
