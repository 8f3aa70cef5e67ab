"""Models of the app; see the issue that brings them."""
