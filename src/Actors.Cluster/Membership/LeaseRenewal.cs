namespace Actors.Cluster.Membership;

/// <summary>The outcome of <see cref="IClusterStore.RenewLeaseAsync"/>.</summary>
public enum LeaseRenewalOutcome
{
    /// <summary>The lease now ends at <see cref="LeaseRenewal.ExpiresAt"/>.</summary>
    Renewed,

    /// <summary>The silo's row is Dead or Left: it was declared dead (or left); it must stop serving at once.</summary>
    DeclaredDead,

    /// <summary>The row is missing or belongs to another incarnation: this incarnation is no longer a member; it must stop serving at once.</summary>
    NotMember,
}

/// <summary>What a lease renewal returns, in one round trip.</summary>
/// <param name="Outcome">Renewed, or why not.</param>
/// <param name="Now">The store's clock when it executed the renewal.</param>
/// <param name="ExpiresAt">The new end of the lease (Renewed only).</param>
/// <param name="TableVersion">The cluster table's version (a change means the silo should read the table again).</param>
/// <param name="ExpiredSilos">Live silos whose lease has ended by the store's clock: candidates to declare dead.</param>
public sealed record LeaseRenewal(
    LeaseRenewalOutcome Outcome,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    long TableVersion,
    IReadOnlyList<SiloRecord> ExpiredSilos);
