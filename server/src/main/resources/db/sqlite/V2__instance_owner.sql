-- cloudmap-dns registry, schema 2: who registered each instance (InstanceOwner). Instances stored
-- before it came through the API, since nothing else registered instances then.
ALTER TABLE instances ADD COLUMN owner TEXT NOT NULL DEFAULT 'API'; -- API, KUBERNETES
