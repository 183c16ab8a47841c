using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Actors.Hosting.Tests.Silo;

/// <summary>
/// Enables the runtime's <c>System.Diagnostics.Metrics</c> EventSource in-process with the arguments dotnet-counters
/// sends over EventPipe (a session id, the meter list, a refresh interval), and records the instruments it publishes
/// values for. This is the data path dotnet-counters reads, minus the diagnostics IPC transport.
/// </summary>
internal sealed class MetricsEventSourceListener(IReadOnlyList<string> meters) : EventListener
{
    private const string SourceName = "System.Diagnostics.Metrics";
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, string> _published = new(StringComparer.Ordinal);
    /// <summary>Instrument names (<c>meter/instrument</c>) with at least one published value, and the event that carried it.</summary>
    public IReadOnlyDictionary<string, string> Published => _published;

    // Field initializers run before the base constructor, which calls this for every existing source.
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName)
        {
            Enable(eventSource);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not ("CounterRateValuePublished" or "GaugeValuePublished" or "UpDownCounterRateValuePublished" or "HistogramValuePublished")
            || eventData.PayloadNames is null || eventData.Payload is null)
        {
            return;
        }

        string Field(string name) => Convert.ToString(eventData.Payload[eventData.PayloadNames.IndexOf(name)], CultureInfo.InvariantCulture) ?? string.Empty;
        if (Field("sessionId") == _sessionId)
        {
            _published.TryAdd($"{Field("meterName")}/{Field("instrumentName")}", eventData.EventName);
        }
    }

    private void Enable(EventSource source) => EnableEvents(source, EventLevel.Informational, (EventKeywords)0x3, new Dictionary<string, string?>
    {
        ["SessionId"] = _sessionId,
        ["Metrics"] = string.Join(';', meters),
        ["RefreshInterval"] = "0.1",
        ["MaxTimeSeries"] = "1000",
        ["MaxHistograms"] = "100",
    });
}
