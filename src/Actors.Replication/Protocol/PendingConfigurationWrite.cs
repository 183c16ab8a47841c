using Actors.Replication.Configuration;

namespace Actors.Replication.Protocol;

/// <summary>A conditional write sent to the store whose outcome this replica does not know yet.</summary>
/// <param name="ExpectedVersion">The version the write is conditioned on.</param>
/// <param name="Proposal">What the store holds if the write took effect.</param>
/// <param name="SentAt">When it was (last) sent, in <see cref="TimeProvider"/> timestamps.</param>
internal readonly record struct PendingConfigurationWrite(long ExpectedVersion, ReplicaConfiguration Proposal, long SentAt);
