using Actors.Persistence.Wal;

namespace Actors.Cluster;

/// <summary>
/// The factory that opens each partition's log in a cluster silo (default: the file-backed log). Register one to open
/// partition logs another way, for example a fault-injecting log in tests.
/// </summary>
/// <param name="Factory">The factory.</param>
public sealed record ClusterInnerLogFactory(IEventLogFactory Factory);
