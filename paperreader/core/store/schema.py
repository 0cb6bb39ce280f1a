"""The schemas of the store's two files, as forward migrations, and how they are run.

Each file has one list of migrations; a file's ``user_version`` is how many have run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

CACHE_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        listing_day TEXT,
        published TEXT,
        upvotes INTEGER NOT NULL DEFAULT 0,
        comments INTEGER,
        github_repo TEXT,
        github_stars INTEGER,
        project_page TEXT,
        ai_summary TEXT NOT NULL DEFAULT '',
        ai_keywords TEXT NOT NULL DEFAULT '[]',
        organization TEXT,
        submitter TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE INDEX papers_by_day ON papers (listing_day);
    CREATE TABLE listings (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        sort TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (kind, key, sort)
    );
    CREATE TABLE listing_papers (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        sort TEXT NOT NULL,
        position INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        PRIMARY KEY (kind, key, sort, position)
    );
    """,
    # 2: full-text search over everything stored, the archive's order, and sync progress.
    """
    CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, authors, summary, ai_summary, ai_keywords, organization,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO papers_fts (rowid, title, authors, summary, ai_summary, ai_keywords, organization)
        SELECT rowid, title, authors, summary, ai_summary, ai_keywords, coalesce(organization, '')
        FROM papers;
    CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts (
            rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            new.rowid, new.title, new.authors, new.summary, new.ai_summary, new.ai_keywords,
            coalesce(new.organization, '')
        );
    END;
    CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts (
            papers_fts, rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            'delete', old.rowid, old.title, old.authors, old.summary, old.ai_summary,
            old.ai_keywords, coalesce(old.organization, '')
        );
    END;
    CREATE TRIGGER papers_fts_update AFTER UPDATE ON papers BEGIN
        INSERT INTO papers_fts (
            papers_fts, rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            'delete', old.rowid, old.title, old.authors, old.summary, old.ai_summary,
            old.ai_keywords, coalesce(old.organization, '')
        );
        INSERT INTO papers_fts (
            rowid, title, authors, summary, ai_summary, ai_keywords, organization
        ) VALUES (
            new.rowid, new.title, new.authors, new.summary, new.ai_summary, new.ai_keywords,
            coalesce(new.organization, '')
        );
    END;
    CREATE INDEX papers_by_day_votes ON papers (listing_day DESC, upvotes DESC);
    CREATE TABLE sync_months (
        month TEXT PRIMARY KEY,
        completed_at TEXT NOT NULL,
        papers INTEGER NOT NULL
    );
    """,
    # 3: a prefix index for two-letter prefixes while typing, and an index that covers
    # what filters read, so a filter never has to read the (wide) rows of papers.
    """
    DROP TABLE papers_fts;
    CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, authors, summary, ai_summary, ai_keywords, organization,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2'
    );
    INSERT INTO papers_fts (rowid, title, authors, summary, ai_summary, ai_keywords, organization)
        SELECT rowid, title, authors, summary, ai_summary, ai_keywords, coalesce(organization, '')
        FROM papers;
    DROP INDEX papers_by_day_votes;
    CREATE INDEX papers_for_filters ON papers (
        listing_day DESC, upvotes DESC, github_stars, organization, authors, github_repo,
        project_page, id
    );
    """,
    # 4: what the website shows beside the names (user and organization handles, a
    # withdrawn paper, the thumbnail and media), and the bundled sample out of the store:
    # earlier releases stored it as a listing, over papers fetched for real. Papers the
    # sample alone brought are removed; papers it overwrote are repaired by the next fetch
    # that covers them.
    """
    ALTER TABLE papers ADD COLUMN organization_handle TEXT;
    ALTER TABLE papers ADD COLUMN submitter_handle TEXT;
    ALTER TABLE papers ADD COLUMN withdrawn TEXT;
    ALTER TABLE papers ADD COLUMN thumbnail TEXT;
    ALTER TABLE papers ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
    DELETE FROM papers WHERE id IN (
        SELECT lp.paper_id FROM listing_papers lp
        JOIN listings l ON l.kind = lp.kind AND l.key = lp.key AND l.sort = lp.sort
        JOIN papers p ON p.id = lp.paper_id
        WHERE lp.kind = 'sample' AND p.fetched_at = l.fetched_at
    ) AND id NOT IN (SELECT paper_id FROM listing_papers WHERE kind != 'sample');
    DELETE FROM listing_papers WHERE kind = 'sample';
    DELETE FROM listings WHERE kind = 'sample';
    """,
    # 5: the pages of a month fetched so far, so that a sync stopped inside a month
    # (killed, a dropped connection) goes on from the next page, not from the first.
    """
    CREATE TABLE sync_pages (
        month TEXT PRIMARY KEY,
        page_size INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        paper_ids TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 6: the paper page beyond the listing: full texts (zlib-compressed Markdown, with a
    # word index of their own, contentless: the text is not stored twice), linked models,
    # datasets and Spaces, and comments, as JSON per paper.
    """
    CREATE TABLE full_texts (
        rowid INTEGER PRIMARY KEY,
        paper_id TEXT NOT NULL UNIQUE,
        body BLOB NOT NULL,
        size INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        read_at TEXT NOT NULL
    );
    CREATE INDEX full_texts_by_read ON full_texts (read_at);
    CREATE VIRTUAL TABLE full_texts_fts USING fts5 (
        body, content = '', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE paper_details (
        paper_id TEXT PRIMARY KEY,
        details TEXT NOT NULL,
        models INTEGER NOT NULL,
        datasets INTEGER NOT NULL,
        spaces INTEGER NOT NULL,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE paper_comments (
        paper_id TEXT PRIMARY KEY,
        comments TEXT NOT NULL,
        count INTEGER NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 7: a narrow index for reading a day, week or month: its first screen is picked
    # there (not in the wide filter index), and when its papers were fetched is read
    # there too (a month's stamp was a scan of its 3,000 rows: 3 ms of the first frame).
    # It starts with the listing day, so the index of the listing day alone goes.
    """
    CREATE INDEX papers_by_day_rank ON papers (
        listing_day, upvotes, github_stars, fetched_at, id
    );
    DROP INDEX papers_by_day;
    """,
)

USER_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE bookmarks (
        paper_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        paper TEXT NOT NULL
    );
    CREATE TABLE read_marks (
        paper_id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: notes and tags, and snapshots of the papers they belong to (so that, like a
    # bookmarked paper, a noted or tagged one stays viewable without the cache).
    """
    CREATE TABLE notes (
        paper_id TEXT PRIMARY KEY,
        note TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE tags (
        paper_id TEXT NOT NULL,
        tag TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, tag)
    );
    CREATE INDEX tags_by_tag ON tags (tag);
    CREATE TABLE snapshots (
        paper_id TEXT PRIMARY KEY,
        paper TEXT NOT NULL
    );
    """,
    # 3: watches, named queries in the search language (issue #13). What the user has
    # seen of each is a rowid of the paper cache: papers stored later are "new" (a rowid
    # past the cache's largest means the cache was made again: see core.store.follow).
    """
    CREATE TABLE watches (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        opened_at TEXT,
        seen_rowid INTEGER NOT NULL DEFAULT 0,
        notified_rowid INTEGER NOT NULL DEFAULT 0,
        digest_at TEXT
    );
    """,
)


def _migrate(connection: sqlite3.Connection, schema: str, migrations: Sequence[str]) -> None:
    version = connection.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
    if version > len(migrations):
        raise _NewerSchema(version)
    if version == len(migrations):
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another instance starting at the same moment
        # may have migrated the file while this one waited for the lock.
        version = connection.execute(f"PRAGMA {schema}.user_version").fetchone()[0]
        if version > len(migrations):
            raise _NewerSchema(version)
        for number in range(version, len(migrations)):
            script = migrations[number]
            if schema != "main":
                script = script.replace("CREATE TABLE ", f"CREATE TABLE {schema}.")
                script = script.replace("CREATE INDEX ", f"CREATE INDEX {schema}.")
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(f"PRAGMA {schema}.user_version = {number + 1}")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (a trigger's body holds semicolons of its own)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                yield statement
            statement = ""
    if statement.strip():
        yield statement


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version} is newer than this paperreader knows")
