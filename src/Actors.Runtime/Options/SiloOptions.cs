namespace Actors.Hosting;

/// <summary>
/// The silo's runtime options, bound from the configuration section <see cref="SectionName"/> (so environment
/// variables such as <c>ACTORS__RESPONSETIMEOUT=00:00:10</c> apply) and validated when the host starts.
/// </summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Actors";

    /// <summary>The default <see cref="SiloName"/>.</summary>
    public const string DefaultSiloName = "silo";

    /// <summary>The default <see cref="ResponseTimeout"/>, in seconds.</summary>
    public const int DefaultResponseTimeoutSeconds = 30;

    /// <summary>The default <see cref="CollectionAge"/>, in minutes.</summary>
    public const int DefaultCollectionAgeMinutes = 15;

    /// <summary>The default <see cref="CollectionQuantum"/>, in seconds.</summary>
    public const int DefaultCollectionQuantumSeconds = 60;

    /// <summary>The default <see cref="ShutdownGracePeriod"/>, in seconds.</summary>
    public const int DefaultShutdownGracePeriodSeconds = 30;

    /// <summary>The default <see cref="StuckCallThreshold"/>, in seconds.</summary>
    public const int DefaultStuckCallThresholdSeconds = 10;

    /// <summary>The silo's name in logs and errors. Default <see cref="DefaultSiloName"/>.</summary>
    public string SiloName { get; set; } = DefaultSiloName;

    /// <summary>
    /// How long a caller waits for a grain call's result before it fails with <see cref="TimeoutException"/> (this is
    /// what ends a call cycle between non-reentrant grains). Default 30 s.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(DefaultResponseTimeoutSeconds);

    /// <summary>
    /// How long an activation may stay idle before it is collected (deactivated). Default 15 min; a grain class can
    /// override it with <see cref="CollectionAgeLimitAttribute"/>.
    /// </summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(DefaultCollectionAgeMinutes);

    /// <summary>How often idle activations are looked for; at most <see cref="CollectionAge"/>. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromSeconds(DefaultCollectionQuantumSeconds);

    /// <summary>
    /// How long a graceful shutdown waits for every activation to finish its requests and its
    /// <see cref="Grain.OnDeactivateAsync"/>; then the remaining ones are dropped. Default 30 s.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(DefaultShutdownGracePeriodSeconds);

    /// <summary>
    /// The stuck-grain detector's threshold: a call whose turn runs longer, or which waits in its activation's queue
    /// longer, is logged once (grain, method and how long), counted in <c>actors.grains.stuck</c> and listed by
    /// <see cref="IStuckGrainMonitor"/> (the silo's health) until it progresses. Default 10 s.
    /// </summary>
    public TimeSpan StuckCallThreshold { get; set; } = TimeSpan.FromSeconds(DefaultStuckCallThresholdSeconds);

    /// <summary>
    /// Whether an idle-collection pass that deactivated many activations (at least a tenth of them and at least
    /// 10,000) asks the garbage collector to give the freed memory back to the operating system afterwards: with a
    /// compacting, decommitting collection when few activations remain (the pause is then short), otherwise with a
    /// background collection. Without it the process keeps its peak memory until allocations trigger collections.
    /// Default true.
    /// </summary>
    public bool ReleaseMemoryAfterCollection { get; set; } = true;
}
