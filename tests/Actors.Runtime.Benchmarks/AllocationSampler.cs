using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>
/// The runtime's sampled allocation events (GCAllocationTick: one event per ~100 KB allocated, naming the type of the
/// object that crossed the threshold), tallied by type: an allocation profile of a benchmark window without a tracer.
/// Sampled, so a type's share is an estimate that converges with the window's length.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytesByType.Clear();
        _recording = true;
    }

    public void Stop() => _recording = false;

    /// <summary>The top <paramref name="count"/> types by sampled bytes, each with its share of all sampled bytes.</summary>
    public IEnumerable<string> Top(int count)
    {
        long total = _bytesByType.Values.Sum();
        return _bytesByType.OrderByDescending(kv => kv.Value).Take(count)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{100.0 * kv.Value / Math.Max(1, total),5:0.0}%  {kv.Key}"));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || amountIndex < 0)
        {
            return;
        }

        string type = eventData.Payload![typeIndex] as string ?? "?";
        long amount = Convert.ToInt64(eventData.Payload[amountIndex], CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
