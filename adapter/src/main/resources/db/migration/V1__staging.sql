-- The adapter's staging tables: the writer's truth. Every line of every file is a row; a row without keys
-- never reached the stream (unwritten), a row with two or more keys reached it twice (written-twice).

-- One row per S3 object, identified by (bucket, key, ETag): a redelivered notification finds its row and
-- ingests nothing twice; a new version of the object (another ETag) is another file.
create table files (
    id              bigserial primary key,
    bucket          text        not null,
    object_key      text        not null,
    etag            text        not null,
    source_table    text        not null,
    stream          text        not null,
    state           text        not null default 'ingesting' check (state in ('ingesting', 'staged', 'failed')),
    -- Lines 1..staged_through are staged: a restarted ingest skips them (batches commit with this counter).
    staged_through  bigint      not null default 0,
    lines           bigint,
    error           text,
    -- The instance ingesting the file, until when: a lease another instance takes over once it has passed.
    claimed_by      text,
    claimed_until   timestamptz,
    created_at      timestamptz not null default now(),
    staged_at       timestamptz,
    unique (bucket, object_key, etag)
);

create index files_ingesting on files (id) where state = 'ingesting';

-- One row per non-blank line: (file, line number) is its identity, line numbers count from 1 and include
-- blank lines (which are not staged), so a line number is the one an editor shows.
create table lines (
    file_id        bigint      not null references files (id),
    line           bigint      not null,
    stream         text        not null,
    data           bytea       not null,
    -- Every shard-qualified key a put reported for this line, in the order they came.
    keys           text[]      not null default '{}',
    -- How often a worker claimed the line, and PutRecords attempts of those claims: more than one of
    -- either means a put whose outcome was unknown may have stored an unseen copy.
    claims         integer     not null default 0,
    put_attempts   integer     not null default 0,
    claimed_by     text,
    claimed_until  timestamptz,
    staged_at      timestamptz not null default now(),
    written_at     timestamptz,
    primary key (file_id, line)
);

create index lines_unwritten on lines (file_id, line) where written_at is null;
-- The stream-checker names the source (file, line) of a drifted record by its key.
create index lines_keys on lines using gin (keys);
