using System.Diagnostics.Tracing;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// Which types a measured window allocates, from the runtime's own sampling (the <c>GCAllocationTick</c> event: one event
/// about every 100 KiB allocated, naming the type whose allocation crossed the mark). Switched on with
/// <c>ACTORS_BENCH_ALLOCATIONS=1</c>; prints the sampled types, most bytes first, on stderr so the tables stay parseable.
/// The figures are samples: a type's share of the ticks estimates its share of the bytes, not an exact count. Each type
/// is listed per allocating thread's name (from <c>/proc/self/task/TID/comm</c> on Linux) and kind (small or large
/// object heap), which tells the engine's threads from the writers' continuations.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly object _gate = new();
    private readonly Dictionary<string, (long Ticks, long Bytes)> _byType = [];
    private readonly Dictionary<long, string> _threadNames = [];
    private volatile bool _recording;

    /// <summary>True when the environment asks for the sampler.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable("ACTORS_BENCH_ALLOCATIONS") == "1";

    /// <summary>Starts counting the samples of the window.</summary>
    public void Open() => _recording = true;

    /// <summary>Stops counting and prints what was sampled.</summary>
    public void Close(string store, long appends)
    {
        _recording = false;
        lock (_gate)
        {
            long total = _byType.Values.Sum(v => v.Bytes);
            Console.Error.WriteLine($"allocation samples for {store} ({appends:N0} appends; ~{total:N0} B sampled):");
            foreach (var (type, (ticks, bytes)) in _byType.OrderByDescending(kv => kv.Value.Bytes))
            {
                Console.Error.WriteLine($"  {ticks,6} ticks  ~{bytes,14:N0} B  {type}");
            }
        }
    }

    /// <summary>The thread's name, read from /proc once per thread (so the sampler itself allocates once per thread, not per tick).</summary>
    private string ThreadName(long osThreadId)
    {
        lock (_gate)
        {
            if (_threadNames.TryGetValue(osThreadId, out string? known))
            {
                return known;
            }
        }

        string name = ReadThreadName(osThreadId);
        lock (_gate)
        {
            _threadNames[osThreadId] = name;
        }

        return name;
    }

    private static string ReadThreadName(long osThreadId)
    {
        try
        {
            return File.ReadAllText($"/proc/self/task/{osThreadId}/comm").Trim();
        }
        catch (IOException)
        {
            return osThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (UnauthorizedAccessException)
        {
            return osThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        int typeAt = eventData.PayloadNames.IndexOf("TypeName");
        int amountAt = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (amountAt < 0)
        {
            amountAt = eventData.PayloadNames.IndexOf("AllocationAmount");
        }

        string type = typeAt >= 0 ? eventData.Payload![typeAt] as string ?? "?" : "?";
        int kindAt = eventData.PayloadNames.IndexOf("AllocationKind");
        bool large = kindAt >= 0 && Convert.ToInt64(eventData.Payload![kindAt], System.Globalization.CultureInfo.InvariantCulture) == 1;
        type = $"{type} ({(large ? "large" : "small")}, thread {ThreadName(eventData.OSThreadId)})";
        long amount = amountAt >= 0 ? Convert.ToInt64(eventData.Payload![amountAt], System.Globalization.CultureInfo.InvariantCulture) : 0;
        lock (_gate)
        {
            _byType.TryGetValue(type, out var seen);
            _byType[type] = (seen.Ticks + 1, seen.Bytes + amount);
        }
    }
}
