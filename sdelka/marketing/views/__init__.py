"""Pages of the marketing section: channels, events (list, calendar, the event with its tabs), new clients
and the reports."""
