"""Tools for translators, reviewers and agencies: catalogs, XLIFF, review sheets, status."""
