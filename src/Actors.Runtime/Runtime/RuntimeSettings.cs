namespace Actors.Runtime;

/// <summary>The runtime's view of the silo options (the host copies them from <c>SiloOptions</c>).</summary>
internal sealed class RuntimeSettings
{
    public string SiloName { get; set; } = "silo";

    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    public bool ReleaseMemoryAfterCollection { get; set; } = true;

    public TimeSpan StuckCallThreshold { get; set; } = TimeSpan.FromSeconds(Hosting.SiloOptions.DefaultStuckCallThresholdSeconds);
}
