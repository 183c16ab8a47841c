namespace Actors.TestingHost;

/// <summary>
/// What a configurator needs to know about the silo it configures: a stable name and a data directory that survives
/// <see cref="TestCluster.RestartSiloAsync"/> (point storage providers there). Also registered as a singleton.
/// </summary>
/// <param name="SiloName">The silo's name (also its <c>SiloOptions.SiloName</c>).</param>
/// <param name="DataDirectory">The silo's data directory, created before the silo starts and deleted with the cluster.</param>
public sealed record TestSiloContext(string SiloName, string DataDirectory)
{
    /// <summary>The configuration key holding <see cref="SiloName"/>.</summary>
    public const string SiloNameKey = "TestCluster:SiloName";

    /// <summary>The configuration key holding <see cref="DataDirectory"/>.</summary>
    public const string DataDirectoryKey = "TestCluster:DataDirectory";
}
