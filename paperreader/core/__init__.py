"""The core of paperreader: models, API client, store, exports. Never imports Textual."""
