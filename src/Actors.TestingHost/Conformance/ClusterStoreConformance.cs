using Actors.Cluster.Membership;

namespace Actors.TestingHost.Conformance;

/// <summary>
/// The <see cref="IClusterStore"/> contract as code: every implementation (the in-memory store, PostgreSQL) runs these
/// scenarios from its own tests. Each throws <see cref="ConformanceException"/> naming the rule it found broken.
/// </summary>
/// <remarks>
/// The scenarios need the store's clock to move: <paramref name="advanceClock"/> must make the store's clock pass the
/// given span (a manual clock for the in-memory store; a real wait for a database).
/// </remarks>
public sealed class ClusterStoreConformance(IClusterStore store, Func<TimeSpan, Task> advanceClock)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    /// <summary>How long a synchronous renewal may take (generous: a loaded machine).</summary>
    private static readonly TimeSpan RenewTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs every scenario, each on a fresh cluster id.</summary>
    public async Task RunAllAsync()
    {
        await InitializeCreatesOnceAndKeepsPartitionCountAsync();
        await InsertRequiresAbsentRowAsync();
        await WritesAreConditionalOnVersionsAndAllOrNothingAsync();
        await LeaseRenewalAndExpiryFollowTheStoreClockAsync();
        await LeaseConditionsGuardUpdatesAsync();
        await DeclaredDeadSiloCannotRenewAsync();
        await StatusWriteKeepsTheStoredLeaseAsync();
        await ReplicaConfigurationIsGrantedWithTheOwnerAsync();
        await ChangesSinceAVersionAreTheRowsWrittenAfterItAsync();
    }

    /// <summary>
    /// A replicated partition's replicas (in order) and in-sync set round-trip, are written in the same conditional write as
    /// owner and epoch, and are kept by a later write of the row that does not change them; new rows are unreplicated.
    /// </summary>
    public async Task ReplicaConfigurationIsGrantedWithTheOwnerAsync()
    {
        string cluster = NewClusterId();
        ClusterSnapshot start = await store.InitializeAsync(cluster, 2, CancellationToken.None);
        Check(start.Partitions.All(p => !p.IsReplicated), "new partitions carry no replica configuration");
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("c", 1), 0, Lease).Write(Silo("a", 1), 0, Lease), CancellationToken.None);
        PartitionRecord p0 = start.Partitions[0];
        PartitionRecord granted = p0 with { Owner = "c", OwnerIncarnation = 1, Epoch = 1, Replicas = ["c", "a", "b"], InSync = ["c", "b"] };
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(granted, p0.Version + 1), CancellationToken.None), "a grant on a stale version fails");
        Check(!(await store.ReadAsync(cluster, CancellationToken.None)).Partitions[0].IsReplicated, "a failed grant writes no replica configuration");
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(granted, p0.Version).RequireLease("c", 1), CancellationToken.None), "a grant with replicas succeeds");
        PartitionRecord read = (await store.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Check(read.Replicas.SequenceEqual(["c", "a", "b"]) && read.InSync.SequenceEqual(["c", "b"]) && read is { Owner: "c", Epoch: 1 },
            $"replicas keep their order and the in-sync set round-trips with owner and epoch (got {read})");
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(read with { InSync = ["c"] }, read.Version), CancellationToken.None), "an in-sync change succeeds");
        read = (await store.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Check(read.InSync.SequenceEqual(["c"]) && read.Replicas.Count == 3 && read.Version == p0.Version + 2, $"an in-sync change keeps the replicas (got {read})");
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(read with { State = PartitionState.Moving, Target = "a" }, read.Version), CancellationToken.None), "a state change succeeds");
        read = (await store.ReadAsync(cluster, CancellationToken.None)).Partitions[0];
        Check(read.Replicas.SequenceEqual(["c", "a", "b"]) && read.InSync.SequenceEqual(["c"]), $"a write that does not change the replica lists keeps them (got {read})");
        Check(!(await store.ReadAsync(cluster, CancellationToken.None)).Partitions[1].IsReplicated, "other partitions are untouched");
    }

    /// <summary>
    /// <see cref="IClusterStore.ReadChangesAsync"/> returns exactly the rows written by successful updates after the given
    /// table version (not rows of failed updates, not lease renewals), and applied to a snapshot at that version they give
    /// the table a whole read gives (lease expiries aside for rows only renewed).
    /// </summary>
    public async Task ChangesSinceAVersionAreTheRowsWrittenAfterItAsync()
    {
        string cluster = NewClusterId();
        await store.InitializeAsync(cluster, 4, CancellationToken.None);
        ClusterSnapshot start = await store.ReadAsync(cluster, CancellationToken.None);
        ClusterChanges none = await store.ReadChangesAsync(cluster, start.TableVersion, CancellationToken.None);
        Check(none.TableVersion == start.TableVersion && none.Silos.Count == 0 && none.Partitions.Count == 0,
            $"no update since a version: no changes and the same version (got v{none.TableVersion}, {none.Silos.Count} silos, {none.Partitions.Count} partitions)");
        Check(none.PartitionCount == 4 && none.ClusterId == cluster && none.SinceTableVersion == start.TableVersion, "changes name the cluster, its partition count and where they start");

        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease).Write(Silo("b", 1), 0, Lease), CancellationToken.None), "two silos join");
        ClusterSnapshot joined = await store.ReadAsync(cluster, CancellationToken.None);
        PartitionRecord p1 = joined.Partitions[1];
        PartitionRecord p3 = joined.Partitions[3];
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(p1 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1 }, p1.Version), CancellationToken.None), "a claims partition 1");
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(p3 with { Owner = "b", OwnerIncarnation = 1, Epoch = 1 }, p3.Version + 1), CancellationToken.None), "a stale claim of partition 3 fails");
        Check((await store.RenewLeaseAsync(cluster, "b", 1, Lease * 2, CancellationToken.None)).Outcome == LeaseRenewalOutcome.Renewed, "b renews");

        ClusterChanges sinceJoin = await store.ReadChangesAsync(cluster, joined.TableVersion, CancellationToken.None);
        Check(sinceJoin.Silos.Count == 0, $"a renewal is not a change (got silos {string.Join(",", sinceJoin.Silos.Select(s => s.Name))})");
        Check(sinceJoin.Partitions.Select(p => p.Partition).SequenceEqual([1]), $"only the claimed partition changed, not the one of the failed update (got {string.Join(",", sinceJoin.Partitions.Select(p => p.Partition))})");
        Check(sinceJoin.TableVersion == joined.TableVersion + 1, $"the changes bring the version one update on ({joined.TableVersion} -> {sinceJoin.TableVersion})");

        ClusterChanges sinceStart = await store.ReadChangesAsync(cluster, start.TableVersion, CancellationToken.None);
        Check(sinceStart.Silos.Select(s => s.Name).SequenceEqual(["a", "b"]), $"both joins are changes since the start, in name order (got {string.Join(",", sinceStart.Silos.Select(s => s.Name))})");
        Check(sinceStart.Silos.Single(s => s.Name == "b").LeaseExpiresAt == (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("b")!.LeaseExpiresAt, "a changed row carries its current lease");

        ClusterSnapshot whole = await store.ReadAsync(cluster, CancellationToken.None);
        ClusterSnapshot merged = start.Apply(sinceStart);
        Check(merged.TableVersion == whole.TableVersion, $"the start snapshot with the changes has the current version ({merged.TableVersion} vs {whole.TableVersion})");
        Check(merged.Silos.SequenceEqual(whole.Silos), $"the start snapshot with the changes has every silo row of a whole read (got {string.Join("; ", merged.Silos)}; whole {string.Join("; ", whole.Silos)})");
        Check(merged.Partitions.SequenceEqual(whole.Partitions), $"the start snapshot with the changes has every partition row of a whole read (got {string.Join("; ", merged.Partitions)})");
        Check(joined.Apply(sinceJoin).Partitions.SequenceEqual(whole.Partitions), "the joined snapshot with its changes has every partition row of a whole read");

        ClusterChanges ahead = await store.ReadChangesAsync(cluster, whole.TableVersion + 5, CancellationToken.None);
        Check(ahead.Silos.Count == 0 && ahead.Partitions.Count == 0 && ahead.TableVersion == whole.TableVersion, "changes since a version not reached yet are none, at the current version");
    }

    /// <summary>Initialize creates the cluster with unassigned partitions once; a second call with another count keeps the first.</summary>
    public async Task InitializeCreatesOnceAndKeepsPartitionCountAsync()
    {
        string cluster = NewClusterId();
        ClusterSnapshot created = await store.InitializeAsync(cluster, 4, CancellationToken.None);
        Check(created.PartitionCount == 4 && created.Partitions.Count == 4, $"a new cluster has the partition count asked for (got {created.PartitionCount}, {created.Partitions.Count} rows)");
        Check(created.Partitions.All(p => p.Owner is null && p.Epoch == 0 && p.State == PartitionState.Owned), "new partitions are unassigned with epoch 0");
        Check(created.Partitions.Select(p => p.Partition).SequenceEqual(Enumerable.Range(0, 4)), "partition rows are indexed by partition number");
        ClusterSnapshot again = await store.InitializeAsync(cluster, 9, CancellationToken.None);
        Check(again.PartitionCount == 4, $"an existing cluster keeps its partition count (got {again.PartitionCount})");
        Check(again.TableVersion == created.TableVersion, "initializing an existing cluster changes nothing");
    }

    /// <summary>Expected version 0 inserts a silo row; a second insert of the same name fails.</summary>
    public async Task InsertRequiresAbsentRowAsync()
    {
        string cluster = NewClusterId();
        ClusterSnapshot start = await store.InitializeAsync(cluster, 2, CancellationToken.None);
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease), CancellationToken.None), "an insert of an absent row succeeds");
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 2), 0, Lease), CancellationToken.None), "an insert of an existing row fails");
        ClusterSnapshot after = await store.ReadAsync(cluster, CancellationToken.None);
        SiloRecord? row = after.FindSilo("a");
        Check(row is { Incarnation: 1, Version: 1, Status: SiloStatus.Active }, $"the inserted row is version 1 (got {row})");
        Check(row!.LeaseExpiresAt > after.Now, "a lease set on insert lies in the future of the store's clock");
        Check(after.TableVersion == start.TableVersion + 1, $"one successful update bumps the table version by one ({start.TableVersion} -> {after.TableVersion})");
    }

    /// <summary>A batch with one stale version changes nothing; a batch with current versions changes every row and bumps versions.</summary>
    public async Task WritesAreConditionalOnVersionsAndAllOrNothingAsync()
    {
        string cluster = NewClusterId();
        await store.InitializeAsync(cluster, 2, CancellationToken.None);
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease), CancellationToken.None);
        ClusterSnapshot before = await store.ReadAsync(cluster, CancellationToken.None);
        PartitionRecord p0 = before.Partitions[0];
        PartitionRecord p1 = before.Partitions[1];
        var stale = new ClusterUpdate()
            .Write(p0 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1 }, p0.Version)
            .Write(p1 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1 }, p1.Version + 7);
        Check(!await store.TryApplyAsync(cluster, stale, CancellationToken.None), "a batch with a stale version fails");
        ClusterSnapshot unchanged = await store.ReadAsync(cluster, CancellationToken.None);
        Check(unchanged.Partitions[0].Owner is null && unchanged.TableVersion == before.TableVersion, "a failed batch changes no row and not the table version");
        var current = new ClusterUpdate()
            .Write(p0 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1 }, p0.Version)
            .Write(p1 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1, State = PartitionState.Moving, Target = "b" }, p1.Version);
        Check(await store.TryApplyAsync(cluster, current, CancellationToken.None), "a batch with current versions succeeds");
        ClusterSnapshot after = await store.ReadAsync(cluster, CancellationToken.None);
        Check(after.Partitions[0] is { Owner: "a", OwnerIncarnation: 1, Epoch: 1 } && after.Partitions[0].Version == p0.Version + 1, $"partition rows are written with version + 1 (got {after.Partitions[0]})");
        Check(after.Partitions[1] is { State: PartitionState.Moving, Target: "b" }, $"every field of a partition row round-trips (got {after.Partitions[1]})");
        Check(after.TableVersion == before.TableVersion + 1, "a batch bumps the table version once");
    }

    /// <summary>
    /// Only renewals move a lease: a status change written from an older read of the row (whose expiry has passed since)
    /// keeps the stored expiry, so a silo that starts leaving is not declared dead for it.
    /// </summary>
    public async Task StatusWriteKeepsTheStoredLeaseAsync()
    {
        string cluster = NewClusterId();
        await store.InitializeAsync(cluster, 1, CancellationToken.None);
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease), CancellationToken.None);
        SiloRecord read = (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("a")!;
        await advanceClock(Lease / 2);
        LeaseRenewal renewed = await store.RenewLeaseAsync(cluster, "a", 1, Lease * 3, CancellationToken.None);
        Check(renewed.Outcome == LeaseRenewalOutcome.Renewed, "a live silo renews");
        await advanceClock(Lease + Lease / 2);

        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(read with { Status = SiloStatus.ShuttingDown }, read.Version), CancellationToken.None),
            "a status change with the current row version succeeds");
        ClusterSnapshot after = await store.ReadAsync(cluster, CancellationToken.None);
        SiloRecord row = after.FindSilo("a")!;
        Check(row.Status == SiloStatus.ShuttingDown, $"the status is written (got {row})");
        Check(row.LeaseExpiresAt == renewed.ExpiresAt, $"the stored lease is kept ({renewed.ExpiresAt:O}), not the older read's ({read.LeaseExpiresAt:O}); got {row.LeaseExpiresAt:O}");
        LeaseRenewal other = await store.RenewLeaseAsync(cluster, "a", 1, Lease * 3, CancellationToken.None);
        Check(other.Outcome == LeaseRenewalOutcome.Renewed, "a silo shutting down still renews");
    }

    /// <summary>Renewal extends the lease by the store's clock; an unrenewed lease ends and is reported as expired.</summary>
    public async Task LeaseRenewalAndExpiryFollowTheStoreClockAsync()
    {
        string cluster = NewClusterId();
        await store.InitializeAsync(cluster, 1, CancellationToken.None);
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease).Write(Silo("b", 1), 0, Lease), CancellationToken.None);
        long tableVersion = (await store.ReadAsync(cluster, CancellationToken.None)).TableVersion;
        LeaseRenewal renewed = await store.RenewLeaseAsync(cluster, "a", 1, Lease, CancellationToken.None);
        Check(renewed.Outcome == LeaseRenewalOutcome.Renewed && renewed.ExpiresAt > renewed.Now, $"a live silo's renewal succeeds (got {renewed.Outcome})");
        Check(renewed.TableVersion == tableVersion, "a renewal reports the table version and does not change it");
        Check(renewed.ExpiredSilos.Count == 0, "no silo is expired right after their leases were set");
        await advanceClock(Lease + TimeSpan.FromMilliseconds(200));
        // The synchronous renewal (a silo's renewal thread) is the same statement: same outcomes, same expired silos.
        LeaseRenewal later = store.RenewLease(cluster, "a", 1, Lease, RenewTimeout);
        Check(later.Outcome == LeaseRenewalOutcome.Renewed, "a renewal after the lease ended still succeeds while nobody declared the silo dead");
        Check(later.ExpiredSilos.Select(s => s.Name).SequenceEqual(["b"]), $"the unrenewed silo is reported expired, the renewed one not (got {string.Join(",", later.ExpiredSilos.Select(s => s.Name))})");
        LeaseRenewal stranger = await store.RenewLeaseAsync(cluster, "a", 2, Lease, CancellationToken.None);
        Check(stranger.Outcome == LeaseRenewalOutcome.NotMember, "a renewal by another incarnation is refused as not a member");
        Check(store.RenewLease(cluster, "a", 2, Lease, RenewTimeout).Outcome == LeaseRenewalOutcome.NotMember, "a synchronous renewal by another incarnation is refused as not a member");
        LeaseRenewal again = await store.RenewLeaseAsync(cluster, "a", 1, Lease, CancellationToken.None);
        Check(again.Outcome == LeaseRenewalOutcome.Renewed && again.ExpiresAt >= later.ExpiresAt && again.ExpiredSilos.Select(s => s.Name).SequenceEqual(["b"]),
            $"an asynchronous renewal after a synchronous one extends the same lease (got {again.Outcome}, {again.ExpiresAt:O} after {later.ExpiresAt:O})");
    }

    /// <summary>Lease conditions: "valid" needs a live status and an unexpired lease; "expired" needs the lease ended.</summary>
    public async Task LeaseConditionsGuardUpdatesAsync()
    {
        string cluster = NewClusterId();
        ClusterSnapshot start = await store.InitializeAsync(cluster, 1, CancellationToken.None);
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease).Write(Silo("b", 1), 0, Lease), CancellationToken.None);
        ClusterSnapshot snapshot = await store.ReadAsync(cluster, CancellationToken.None);
        SiloRecord b = snapshot.FindSilo("b")!;
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(b with { Status = SiloStatus.Dead }, b.Version).RequireLease("b", 1, mustBeValid: false), CancellationToken.None),
            "declaring a silo dead fails while its lease is valid");
        PartitionRecord p0 = snapshot.Partitions[0];
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(p0 with { Owner = "a", OwnerIncarnation = 1, Epoch = 1 }, p0.Version).RequireLease("a", 1), CancellationToken.None),
            "a claim conditional on a valid lease succeeds");
        await advanceClock(Lease + TimeSpan.FromMilliseconds(200));
        snapshot = await store.ReadAsync(cluster, CancellationToken.None);
        p0 = snapshot.Partitions[0];
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(p0 with { Epoch = 2 }, p0.Version).RequireLease("a", 1), CancellationToken.None),
            "an update conditional on an expired lease fails");
        Check(!await store.TryApplyAsync(cluster, new ClusterUpdate().Write(p0 with { Epoch = 2 }, p0.Version).RequireLease("a", 9), CancellationToken.None),
            "a lease condition on another incarnation fails");
        b = snapshot.FindSilo("b")!;
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(b with { Status = SiloStatus.Dead }, b.Version).RequireLease("b", 1, mustBeValid: false), CancellationToken.None),
            "declaring a silo dead succeeds once its lease ended by the store's clock");
        Check(start.TableVersion < (await store.ReadAsync(cluster, CancellationToken.None)).TableVersion, "updates moved the table version");
    }

    /// <summary>A silo whose row is Dead cannot renew: it learns it was declared dead.</summary>
    public async Task DeclaredDeadSiloCannotRenewAsync()
    {
        string cluster = NewClusterId();
        await store.InitializeAsync(cluster, 1, CancellationToken.None);
        await store.TryApplyAsync(cluster, new ClusterUpdate().Write(Silo("a", 1), 0, Lease), CancellationToken.None);
        SiloRecord a = (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("a")!;
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(a with { Status = SiloStatus.Dead }, a.Version), CancellationToken.None), "an unconditional status change succeeds");
        LeaseRenewal renewal = await store.RenewLeaseAsync(cluster, "a", 1, Lease, CancellationToken.None);
        Check(renewal.Outcome == LeaseRenewalOutcome.DeclaredDead, $"a dead silo's renewal says so (got {renewal.Outcome})");
        renewal = store.RenewLease(cluster, "a", 1, Lease, RenewTimeout);
        Check(renewal.Outcome == LeaseRenewalOutcome.DeclaredDead, $"a dead silo's synchronous renewal says so (got {renewal.Outcome})");
        a = (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("a")!;
        Check(await store.TryApplyAsync(cluster, new ClusterUpdate().Write(a with { Incarnation = 2, Status = SiloStatus.Active }, a.Version, Lease), CancellationToken.None),
            "the silo rejoins as a new incarnation over its dead row");
        SiloRecord rejoined = (await store.ReadAsync(cluster, CancellationToken.None)).FindSilo("a")!;
        Check(rejoined is { Incarnation: 2, Status: SiloStatus.Active }, $"the new incarnation is live (got {rejoined})");
    }

    private static SiloRecord Silo(string name, long incarnation)
        => new(name, incarnation, SiloStatus.Active, $"{name}:11111", $"{name}:30000", DateTimeOffset.MinValue, DateTimeOffset.MinValue, 0);

    private static string NewClusterId() => "conformance-" + Guid.NewGuid().ToString("N")[..12];

    private static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new ConformanceException($"Cluster store rule broken: {rule}.");
        }
    }
}
