namespace Actors.Orleans.Clustering.Transport;

/// <summary>What one silo's replication transport counted since it started (also on the meter, by reason).</summary>
/// <param name="Sent">Frames handed to Orleans for a peer.</param>
/// <param name="Received">Frames accepted from a member silo of the cluster.</param>
/// <param name="Delivered">Frames handed to a registered replica.</param>
/// <param name="Dropped">Frames dropped (no route, full queue, not started, wrong replica, unregistered partition).</param>
/// <param name="Refused">Frames refused at arrival (not a silo, not a member, another cluster, malformed).</param>
internal readonly record struct ReplicaMessagingCounts(long Sent, long Received, long Delivered, long Dropped, long Refused);
