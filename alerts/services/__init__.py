"""Every write of the alerts app: follows, saved searches, settings, the calendar token, and the
reminder and digest jobs (claim -> send -> sent)."""
