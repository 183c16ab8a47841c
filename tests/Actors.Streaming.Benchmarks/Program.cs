using System.Diagnostics;
using System.Globalization;
using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Runtime;
using Actors.StreamingBenchmarks;
using Actors.Streams;
using Actors;
using Actors.TestingHost;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;
using Microsoft.Extensions.DependencyInjection;

// Streams on the write-ahead log (issue 15 benchmarks). Usage:
//   dotnet run -c Release --project tests/Actors.Streaming.Benchmarks -- [--streams 100] [--subscribers 1000]
//       [--events 20] [--producers 64] [--produce-seconds 5] [--rounds 3]
// Measures, in one process on one data directory (SyncPolicy.Always):
//   1. fsync: p50/p99 of a 4 KiB write + fsync in the log's directory (the floor of a durable acknowledgement);
//   2. fan-out: N subscribers over S streams; each round produces E events per stream (S producers in parallel) and
//      waits until every subscriber received every event: delivered events/s and end-to-end latency p50/p99
//      (producer hand-over to the subscriber's OnNextAsync);
//   3. producer throughput: P concurrent producers awaiting OnNextAsync one event at a time, against the same number of
//      producers awaiting plain IEventLog.AppendAsync of a record of the same size on the same log; interleaved rounds (the order alternates);
//   4. catch-up: reading producer 0's whole queue as a subscriber far behind does, by one forward read of the log
//      against one ReadEventsAsync per batch of 128 (what the delivery loop did before), interleaved rounds.
// Every round's figures are printed; the summary gives medians. The load average is printed with the figures: figures
// taken while other builds run are noise.
Dictionary<string, int> settings = new(StringComparer.Ordinal)
{
    ["--streams"] = 100, ["--subscribers"] = 1000, ["--events"] = 20, ["--producers"] = 64, ["--produce-seconds"] = 5, ["--rounds"] = 3,
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!settings.ContainsKey(args[i]))
    {
        Console.Error.WriteLine($"Unknown option {args[i]}; known: {string.Join(", ", settings.Keys)}");
        return 2;
    }

    settings[args[i]] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
}

int streams = settings["--streams"], subscribers = settings["--subscribers"], events = settings["--events"];
int producers = settings["--producers"], produceSeconds = settings["--produce-seconds"], rounds = settings["--rounds"];
Console.WriteLine($"load average before: {LoadAverage()}");

var recorder = new LatencyRecorder();
var builder = new TestClusterBuilder();
builder.ConfigureSilo(silo =>
{
    silo.AddGrain<BenchSubscriberGrain>();
    silo.AddWriteAheadLogAsDefault(o =>
    {
        o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
        o.SyncPolicy = SyncPolicy.Always;
    });
    silo.AddWriteAheadLogStreams("bench");
    silo.Services.AddSingleton(recorder);
});
await using TestCluster cluster = builder.Build();
await cluster.DeployAsync();
string logDirectory = Path.Combine(cluster.Primary.Context.DataDirectory, "wal");

string fsync = Fsync.Measure(logDirectory, 200);
Console.WriteLine($"fsync (4 KiB write + fsync, {logDirectory}): {fsync}");

for (int s = 0; s < subscribers; s++)
{
    await cluster.Client.GetGrain<IBenchSubscriberGrain>($"sub-{s}").Subscribe("bench", $"s{s % streams}");
}

IStreamProvider provider = cluster.Primary.Services.GetStreamProvider("bench");
IAsyncStream<Stamped>[] streamRefs = [.. Enumerable.Range(0, streams).Select(i => provider.GetStream<Stamped>(StreamId.Create("bench", $"s{i}")))];
int perStream = subscribers / streams + (subscribers % streams > 0 ? 1 : 0);
var fanOutRates = new List<double>();
var p50s = new List<double>();
var p99s = new List<double>();
for (int round = 0; round <= rounds; round++)
{
    long expected = (long)events * subscribers;
    Task done = recorder.Expect(expected);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(streamRefs.Select(async stream =>
    {
        for (int e = 0; e < events; e++)
        {
            await stream.OnNextAsync(new Stamped(Stopwatch.GetTimestamp()));
        }
    }));
    await done;
    clock.Stop();
    long[] latencies = recorder.Snapshot();
    Array.Sort(latencies);
    double rate = expected / clock.Elapsed.TotalSeconds;
    double p50 = Ms(latencies[latencies.Length / 2]), p99 = Ms(latencies[(int)(latencies.Length * 0.99)]);
    string label = round == 0 ? "warm-up" : $"round {round}";
    Console.WriteLine($"fan-out {label}: {subscribers} subscribers over {streams} streams, {events} events/stream: {expected:N0} deliveries in {clock.Elapsed.TotalSeconds:F2} s = {rate:N0} delivered/s; end-to-end p50 {p50:F2} ms, p99 {p99:F2} ms; load {LoadAverage()}");
    if (round > 0)
    {
        fanOutRates.Add(rate);
        p50s.Add(p50);
        p99s.Add(p99);
    }
}

WriteAheadLogStore store = cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName);
IEventLog log = await store.GetLogAsync();
IAsyncStream<Stamped>[] producerStreams = [.. Enumerable.Range(0, producers).Select(i => provider.GetStream<Stamped>(StreamId.Create("produce", $"p{i}")))];

// The plain appends store an event of the size a stream produce stores (its queue record: the log stream
// stream:q:{provider}:{len(ns)}:{ns}:{key}, docs/streams.md), read back from the log.
await producerStreams[0].OnNextAsync(new Stamped(0));
string queue = "stream:q:" + Actors.Streams.Cluster.StreamAgentKeys.Of("bench", StreamId.Create("produce", "p0"));
IReadOnlyList<StoredEvent> stored = await log.ReadEventsAsync(queue, 1, 1);
byte[] sample = stored.Count == 1 ? new byte[stored[0].Payload.Length] : throw new InvalidOperationException("the stream produce's queue record was not found in the log; its naming changed (docs/streams.md, Storage layout)");
Console.WriteLine($"one stream event stores {sample.Length} B in the log; the plain appends store {sample.Length} B events");
var streamRates = new List<double>();
var appendRates = new List<double>();
for (int round = 0; round <= rounds; round++)
{
    // Interleaved, and which one goes first alternates, so neither always meets the log's state the other left.
    Task<double> Streams() => RunForAsync(produceSeconds, producers, (p, _) => producerStreams[p].OnNextAsync(new Stamped(0)));
    Task<double> Appends() => RunForAsync(produceSeconds, producers, async (p, n) => await log.AppendAsync($"plain/{p}", ExpectedVersion.Any, [sample]));
    double streamRate, appendRate;
    if (round % 2 == 0)
    {
        streamRate = await Streams();
        appendRate = await Appends();
    }
    else
    {
        appendRate = await Appends();
        streamRate = await Streams();
    }

    string label = round == 0 ? "warm-up" : $"round {round}";
    Console.WriteLine($"producers {label}: {producers} concurrent: stream OnNextAsync {streamRate:N0} events/s, plain IEventLog.AppendAsync {appendRate:N0} appends/s ({streamRate / appendRate:P0}); load {LoadAverage()}");
    if (round > 0)
    {
        streamRates.Add(streamRate);
        appendRates.Add(appendRate);
    }
}

// Catch-up: a subscriber N events behind reads the queue batch by batch. The delivery loop keeps one forward read of
// the log open across batches (IEventLog.ReadStreamEventsAsync); the baseline is what it did before, one
// ReadEventsAsync per batch, each walking the queue's chain back from its newest record. Same log, same queue stream
// (producer 0's, one record per event), interleaved rounds; both read and count every event.
long queued = log.GetStreamInfo(queue).Version;
var forwardTimes = new List<double>();
var batchTimes = new List<double>();
for (int round = 0; round <= rounds; round++)
{
    var clock = Stopwatch.StartNew();
    long forward = 0;
    await foreach (StoredEvent e in log.ReadStreamEventsAsync(queue, 1))
    {
        forward += e.Payload.Length > 0 ? 1 : 0;
    }

    double forwardMs = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    long batched = 0;
    for (long from = 1; from <= queued; from += 128)
    {
        batched += (await log.ReadEventsAsync(queue, from, Math.Min(queued, from + 127))).Count;
    }

    double batchMs = clock.Elapsed.TotalMilliseconds;
    if (forward != queued || batched != queued)
    {
        throw new InvalidOperationException($"catch-up read {forward} and {batched} events of {queued}");
    }

    string label = round == 0 ? "warm-up" : $"round {round}";
    Console.WriteLine($"catch-up {label}: {queued:N0} queued events: one forward read {forwardMs:F1} ms, ReadEventsAsync per batch of 128 {batchMs:F1} ms; load {LoadAverage()}");
    if (round > 0)
    {
        forwardTimes.Add(forwardMs);
        batchTimes.Add(batchMs);
    }
}

Console.WriteLine();
Console.WriteLine($"catch-up of {queued:N0} events (medians): one forward read {Median(forwardTimes):F1} ms, ReadEventsAsync per batch {Median(batchTimes):F1} ms");
Console.WriteLine($"summary (medians of {rounds} rounds, SyncPolicy.Always): fsync {fsync}; fan-out {Median(fanOutRates):N0} delivered/s, end-to-end p50 {Median(p50s):F2} ms, p99 {Median(p99s):F2} ms; producers: stream {Median(streamRates):N0} events/s vs plain appends {Median(appendRates):N0}/s ({Median(streamRates) / Median(appendRates):P0}); load {LoadAverage()}");
return 0;

static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

static double Median(List<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
}

static async Task<double> RunForAsync(int seconds, int workers, Func<int, long, Task> operation)
{
    long count = 0;
    var clock = Stopwatch.StartNew();
    TimeSpan limit = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
    {
        long n = 0;
        while (clock.Elapsed < limit)
        {
            await operation(w, n++);
            Interlocked.Increment(ref count);
        }
    }));
    return count / clock.Elapsed.TotalSeconds;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
