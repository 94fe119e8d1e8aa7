"""What admins use: changing the collection (files, links, removal, /sources), feeds, /reindex and /stats,
/gaps, and the one indexing queue that runs their jobs."""
