# Tests particular to the SQLite record stores. What every JobStore, NotificationStore,
# WebhookStore and PresetStore must do is in their contract suites (tests/contract/), run for
# SQLite there.
