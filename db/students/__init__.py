"""Students and their sessions: records, suggestions with reasons, the data of the bilan,
data protection (export, import, erasure, retention), counselor settings."""
