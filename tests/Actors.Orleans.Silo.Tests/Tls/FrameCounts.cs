using System.Diagnostics.Metrics;

namespace Actors.Orleans.Silo.Tests.Tls;

/// <summary>
/// The replication transport's frame counters (meter <c>Actors.Orleans.Clustering</c>) summed over every silo of this
/// test process while the instance lives.
/// </summary>
internal sealed class FrameCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _received;
    private long _refused;

    public FrameCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Actors.Orleans.Clustering" && instrument.Name is "actors.cluster.transport.frames_received" or "actors.cluster.transport.frames_refused")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "actors.cluster.transport.frames_received")
            {
                Interlocked.Add(ref _received, value);
            }
            else
            {
                Interlocked.Add(ref _refused, value);
            }
        });
        _listener.Start();
    }

    /// <summary>Frames accepted from a member silo.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Frames refused at arrival (a client's, a non-member's, another cluster's, a malformed one).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void Dispose() => _listener.Dispose();
}
