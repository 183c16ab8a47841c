-- Orleans's membership tables in PostgreSQL, for Microsoft.Orleans.Clustering.AdoNet with Invariant "Npgsql"
-- (UseAdoNetClustering): the package ships no SQL. Written for Actors (Actors.Orleans.Clustering) against the contract
-- the package reads: it loads every statement from table orleansquery by key, binds parameters by name (@DeploymentId
-- is Orleans's ClusterId) and reads result columns by name. Idempotent: safe to run on every start and from several
-- silos at once (OrleansMembershipSchema.CreateAsync runs it under an advisory lock); psql -f works too.
--
-- Versioning: orleansmembershipversiontable holds one row per cluster whose version is Orleans's table ETag. Every
-- change of membership (insert, update) is one statement that bumps that version only if it still equals @Version,
-- and changes the silo's row only if the bump happened: the version row's lock orders concurrent writers, and a writer
-- that read an older version changes nothing and gets 0 (Orleans then reads again and retries).

CREATE TABLE IF NOT EXISTS orleansquery (
    querykey varchar(64) PRIMARY KEY,
    querytext text NOT NULL
);

CREATE TABLE IF NOT EXISTS orleansmembershipversiontable (
    deploymentid varchar(150) PRIMARY KEY,
    timestamp timestamptz(3) NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable (
    deploymentid varchar(150) NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address varchar(45) NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    siloname varchar(150) NOT NULL,
    hostname varchar(150) NOT NULL,
    status integer NOT NULL,
    proxyport integer NOT NULL,
    suspecttimes text NULL,
    starttime timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId::varchar)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT count(*)::int FROM created;'),

('InsertMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable v SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid = @DeploymentId::varchar AND v.version = @Version::int
      AND NOT EXISTS (SELECT 1 FROM orleansmembershiptable m
                      WHERE m.deploymentid = @DeploymentId::varchar AND m.address = @Address::varchar
                        AND m.port = @Port::int AND m.generation = @Generation::int)
    RETURNING v.deploymentid),
added AS (
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT b.deploymentid, @Address::varchar, @Port::int, @Generation::int, @SiloName::varchar, @HostName::varchar,
           @Status::int, @ProxyPort::int, @StartTime::timestamptz, @IAmAliveTime::timestamptz
    FROM bumped b
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING
    RETURNING 1)
SELECT count(*)::int FROM added;'),

('UpdateMembershipKey', '
WITH bumped AS (
    UPDATE orleansmembershipversiontable v SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid = @DeploymentId::varchar AND v.version = @Version::int
      AND EXISTS (SELECT 1 FROM orleansmembershiptable m
                  WHERE m.deploymentid = @DeploymentId::varchar AND m.address = @Address::varchar
                    AND m.port = @Port::int AND m.generation = @Generation::int)
    RETURNING v.deploymentid),
changed AS (
    UPDATE orleansmembershiptable m
    SET status = @Status::int, suspecttimes = @SuspectTimes::text, iamalivetime = @IAmAliveTime::timestamptz
    FROM bumped b
    WHERE m.deploymentid = b.deploymentid AND m.address = @Address::varchar
      AND m.port = @Port::int AND m.generation = @Generation::int
    RETURNING 1)
SELECT count(*)::int FROM changed;'),

('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime::timestamptz
WHERE deploymentid = @DeploymentId::varchar AND address = @Address::varchar
  AND port = @Port::int AND generation = @Generation::int;'),

('MembershipReadRowKey', '
SELECT v.deploymentid AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
       m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime, v.version AS Version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid AND m.address = @Address::varchar
      AND m.port = @Port::int AND m.generation = @Generation::int
WHERE v.deploymentid = @DeploymentId::varchar;'),

('MembershipReadAllKey', '
SELECT v.deploymentid AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.siloname AS SiloName, m.hostname AS HostName, m.status AS Status, m.proxyport AS ProxyPort,
       m.suspecttimes AS SuspectTimes, m.starttime AS StartTime, m.iamalivetime AS IAmAliveTime, v.version AS Version
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId::varchar;'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId::varchar;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId::varchar;'),

('GatewaysQueryKey', '
SELECT address AS Address, proxyport AS ProxyPort, generation AS Generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar AND status = @Status::int AND proxyport > 0;'),

('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId::varchar AND iamalivetime < @IAmAliveTime::timestamptz AND status <> 3;')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
