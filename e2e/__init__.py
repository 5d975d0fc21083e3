"""End-to-end tests of the production stack (`make test-e2e`); not collected by `make test`."""
