namespace Telemetry;

/// <summary>One measurement of a device, as it travels on the device's stream.</summary>
public sealed record Reading(string DeviceId, double Value);

/// <summary>What the statistics grain of a device has counted (each reading exactly once, thanks to the stream's tokens).</summary>
public sealed class DeviceStats
{
    public long Count { get; set; }

    public double Sum { get; set; }

    public double Max { get; set; } = double.MinValue;

    /// <summary>The sequence number of the last reading counted: a redelivered reading has one at or below it.</summary>
    public long LastSequenceNumber { get; set; }

    /// <summary>Redeliveries recognized by their token and not counted again.</summary>
    public long DuplicatesSkipped { get; set; }

    /// <summary>Whether every counted reading followed the previous one without a gap.</summary>
    public bool Contiguous { get; set; } = true;
}

/// <summary>A reading above a watcher's threshold.</summary>
public sealed record Alert(string DeviceId, long SequenceNumber, double Value);

/// <summary>The alerts grain's durable state: thresholds per watched device, the alerts, and the last token seen per device.</summary>
public sealed class AlertBook
{
    public Dictionary<string, double> Thresholds { get; set; } = [];

    public Dictionary<string, long> LastSequenceNumbers { get; set; } = [];

    public List<Alert> Alerts { get; set; } = [];
}
