using Actors;

namespace Telemetry;

/// <summary>A device: its readings are produced to the stream ("telemetry", device id).</summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Produces a reading; completes when it is durable in the silo's write-ahead log.</summary>
    Task Report(double value);

    /// <summary>Produces several readings in one atomic append.</summary>
    Task ReportMany(double[] values);
}

/// <summary>The statistics of one device, kept by an implicit subscriber of the "telemetry" namespace.</summary>
public interface IDeviceStatsGrain : IGrainWithStringKey
{
    Task<DeviceStats> GetStats();
}

/// <summary>A watcher that subscribes explicitly to the devices it watches and keeps the readings above their thresholds.</summary>
public interface IAlertGrain : IGrainWithStringKey
{
    Task Watch(string deviceId, double threshold);

    Task<List<Alert>> GetAlerts();
}
