"""One URL module per imitated API, resolved by the gateway against the path below its root."""
