"""What the REST APIs of every app share (community.api, training.api): serializer fields and
patterns, URL lookup patterns, pagination, throttles, content negotiation, and the error shape with
the exception handler. It imports no app, so both APIs build on it without importing each other."""
