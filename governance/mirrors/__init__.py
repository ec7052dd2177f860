"""Central mirrors of vendor source: sync, archive refs, ingestion, blob reading, push rules."""
