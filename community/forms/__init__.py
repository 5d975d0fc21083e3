"""Forms of the portal's write pages: accounts, submissions and suggested edits, moderation."""
