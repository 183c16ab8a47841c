using System.Diagnostics.Metrics;

namespace Actors.Orleans.Benchmarks.Measurement;

/// <summary>
/// What the log's committer spent its time on, window by window, read from the log's own instruments (meter
/// <c>Actors.Wal</c>): every fsync's latency (<c>actors.wal.fsync.duration</c>) and the seconds per commit phase
/// (<c>actors.wal.commit.phase.duration</c>, tag <c>commit.phase</c>: linger, write, fsync, publish). A slow
/// window whose fsyncs were slow was held by the disk; one whose committer waited was held by its callers.
/// </summary>
/// <remarks>Thread-safe: the log's committer records, the section takes a window's figures.</remarks>
public sealed class CommitTimes : IDisposable
{
    /// <summary>
    /// The phases of <c>actors.wal.commit.phase.duration</c> counted, in the order the columns print them. Not "wait": it
    /// is recorded with the commit that ends it, so a window's first commit would carry the idle time of the windows before
    /// (the other variants').
    /// </summary>
    public static readonly string[] Phases = ["linger", "write", "fsync", "publish"];

    private const string MeterName = "Actors.Wal";
    private const string FsyncInstrument = "actors.wal.fsync.duration";
    private const string PhaseInstrument = "actors.wal.commit.phase.duration";

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private LatencyHistogram _fsyncs = new();
    private double[] _phaseSeconds = new double[Phases.Length];

    /// <summary>Starts listening to the log's instruments (logs opened before and after).</summary>
    public CommitTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is FsyncInstrument or PhaseInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>What was recorded since the previous call (or since the start), and a new window begun.</summary>
    public CommitWindow TakeWindow()
    {
        lock (_gate)
        {
            var window = new CommitWindow(_fsyncs, _phaseSeconds);
            _fsyncs = new LatencyHistogram();
            _phaseSeconds = new double[Phases.Length];
            return window;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == FsyncInstrument)
        {
            lock (_gate)
            {
                _fsyncs.Record((long)(seconds * 1e9));
            }

            return;
        }

        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "commit.phase" && Array.IndexOf(Phases, tag.Value as string) is int phase and >= 0)
            {
                lock (_gate)
                {
                    _phaseSeconds[phase] += seconds;
                }

                return;
            }
        }
    }
}

/// <summary>One window of <see cref="CommitTimes"/>: the fsyncs' latencies and the committer's seconds per phase.</summary>
/// <param name="Fsyncs">The latency of every fsync in the window.</param>
/// <param name="PhaseSeconds">Seconds per phase, in the order of <see cref="CommitTimes.Phases"/>.</param>
public sealed record CommitWindow(LatencyHistogram Fsyncs, IReadOnlyList<double> PhaseSeconds);
