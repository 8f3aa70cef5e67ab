"""Mass mailings of an e-mail template to a segment's contact persons (models)."""
