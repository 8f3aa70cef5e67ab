"""The public web-to-lead form: its settings, UTM mappings and submissions (models)."""
