using Actors;

namespace Telemetry;

/// <summary>One measurement of a device, as it travels on the device's stream.</summary>
[GenerateSerializer, Immutable]
public sealed record Reading([property: Id(0)] string DeviceId, [property: Id(1)] double Value);

/// <summary>What the statistics grain of a device has counted (each reading exactly once, thanks to the stream's tokens).</summary>
[GenerateSerializer]
public sealed class DeviceStats
{
    [Id(0)]
    public long Count { get; set; }

    [Id(1)]
    public double Sum { get; set; }

    [Id(2)]
    public double Max { get; set; } = double.MinValue;

    /// <summary>The sequence number of the last reading counted: a redelivered reading has one at or below it.</summary>
    [Id(3)]
    public long LastSequenceNumber { get; set; }

    /// <summary>Redeliveries recognized by their token and not counted again.</summary>
    [Id(4)]
    public long DuplicatesSkipped { get; set; }

    /// <summary>Whether every counted reading followed the previous one without a gap.</summary>
    [Id(5)]
    public bool Contiguous { get; set; } = true;
}

/// <summary>A reading above a watcher's threshold.</summary>
[GenerateSerializer, Immutable]
public sealed record Alert([property: Id(0)] string DeviceId, [property: Id(1)] long SequenceNumber, [property: Id(2)] double Value);

/// <summary>The alerts grain's durable state: thresholds per watched device, the alerts, and the last token seen per device.</summary>
[GenerateSerializer]
public sealed class AlertBook
{
    [Id(0)]
    public Dictionary<string, double> Thresholds { get; set; } = [];

    [Id(1)]
    public Dictionary<string, long> LastSequenceNumbers { get; set; } = [];

    [Id(2)]
    public List<Alert> Alerts { get; set; } = [];
}
