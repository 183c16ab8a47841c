-- Orleans's membership tables on PostgreSQL (11 or later), for Microsoft.Orleans.Clustering.AdoNet 10.4.2 with the
-- invariant "Npgsql". Orleans's ADO.NET packages ship no SQL; this script is the project's own, written against the
-- contract Orleans's ADO.NET clustering reads (src/AdoNet/Shared/Storage/DbStoredQueries.cs and
-- RelationalOrleansQueries.cs in dotnet/orleans):
--   * a table OrleansQuery(QueryKey, QueryText) holding, under nine fixed keys, the statements Orleans runs; Orleans
--     reads them once at start and binds parameters by name (@DeploymentId, @Address, @Port, @Generation, @SiloName,
--     @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime, @IAmAliveTime, @Version);
--   * rows read by column name: DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
--     SuspectTimes, StartTime, IAmAliveTime, Version (membership) and Address, ProxyPort, Generation (gateways);
--   * the insert and update statements answer one row with one column: > 0 when they took effect, 0 when the
--     membership version they were given is no longer current (Orleans then reads the table again and retries).
-- The membership version row is the table's compare-and-swap token: a change to a silo's row and the version's
-- increment happen in one statement, and only while the version is the one the caller read.
--
-- Idempotent: every object is created only when missing and a query row only when its key is missing (an operator's
-- own query text is kept). The silo runs this script at start, when Actors:ClusteringConnectionString is set, inside
-- a transaction holding a transaction-scoped advisory lock, so silos starting together apply it one at a time.
-- It is also fine to apply it by hand: psql -v ON_ERROR_STOP=1 -f orleans-clustering-postgresql.sql

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- One row per cluster (Orleans's ClusterId is the DeploymentId): the membership version.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port and generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- The statements. Each insert or update is one statement whose common table expressions either all take effect or
-- none does: the version row is locked (FOR UPDATE) and compared first, so two silos racing with the same version
-- cannot both succeed (the second re-reads the locked row after the first commits and finds the version moved on).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created;
'),
('InsertMembershipKey', '
WITH expected AS (
    SELECT DeploymentId FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND Version = @Version
    FOR UPDATE
), added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT e.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM expected e
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId
), advanced AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    FROM added a
    WHERE v.DeploymentId = a.DeploymentId
    RETURNING 1
)
SELECT count(*)::integer FROM advanced;
'),
('UpdateMembershipKey', '
WITH expected AS (
    SELECT v.DeploymentId FROM OrleansMembershipVersionTable v
    WHERE v.DeploymentId = @DeploymentId AND v.Version = @Version
      AND EXISTS (SELECT 1 FROM OrleansMembershipTable m
                  WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation)
    FOR UPDATE OF v
), changed AS (
    UPDATE OrleansMembershipTable m
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    FROM expected e
    WHERE m.DeploymentId = e.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    RETURNING m.DeploymentId
), advanced AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    FROM (SELECT DISTINCT DeploymentId FROM changed) c
    WHERE v.DeploymentId = c.DeploymentId
    RETURNING 1
)
SELECT count(*)::integer FROM advanced;
'),
('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),
('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
'),
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
-- Status 3 is Active (Orleans's SiloStatus): rows of silos in any other state whose last sign of life is older than
-- the cutoff are removed.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3;
')
ON CONFLICT (QueryKey) DO NOTHING;
