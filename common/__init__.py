"""What several apps share and no app owns: time-zone rules (`timezones`), the SVG chart primitives
(`charts`) and the REST API's shared parts (`api`). It imports no app (an import-linter contract in
pyproject.toml says so), so every app may import it without a cycle."""
