using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Options;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>What every section works with: the options, the silo's grain factory, the payload and the output.</summary>
public sealed class BenchContext(BenchOptions options, IGrainFactory grains, WalProviderCounters walCounters, TextWriter output)
{
    public BenchOptions Options { get; } = options;

    public TextWriter Output { get; } = output;

    /// <summary>The payload of every event and state: <see cref="BenchOptions.PayloadBytes"/> bytes, seeded.</summary>
    public byte[] Payload { get; } = CreatePayload(options.PayloadBytes);

    public IGrainFactory Grains { get; } = grains;

    /// <summary>What the write-ahead log's providers counted (checkpoints, replayed events), for the sections' checks.</summary>
    public WalProviderCounters WalCounters { get; } = walCounters;

    public TimeSpan Warmup => TimeSpan.FromSeconds(Options.WarmupSeconds);

    public TimeSpan Measured => TimeSpan.FromSeconds(Options.SecondsPerRound);

    /// <summary>The grain of type <paramref name="grainType"/> with integer key <paramref name="key"/>.</summary>
    public IBenchGrain Grain(string grainType, long key) => Grain(Grains, grainType, key);

    /// <summary><paramref name="count"/> grains of <paramref name="grainType"/> with keys from <paramref name="firstKey"/>.</summary>
    public IReadOnlyList<IBenchGrain> GrainRange(string grainType, long firstKey, int count) => GrainRange(Grains, grainType, firstKey, count);

    /// <summary>The grain of type <paramref name="grainType"/> with integer key <paramref name="key"/> through <paramref name="grains"/>.</summary>
    public static IBenchGrain Grain(IGrainFactory grains, string grainType, long key) =>
        grains.GetGrain<IBenchGrain>(GrainId.Create(GrainType.Create(grainType), GrainIdKeyExtensions.CreateIntegerKey(key)));

    /// <summary><paramref name="count"/> grains of <paramref name="grainType"/> with keys from <paramref name="firstKey"/> through <paramref name="grains"/>.</summary>
    public static IReadOnlyList<IBenchGrain> GrainRange(IGrainFactory grains, string grainType, long firstKey, int count) =>
        Enumerable.Range(0, count).Select(i => Grain(grains, grainType, firstKey + i)).ToArray();

    /// <summary>Progress to standard error, so standard output holds the report alone.</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    private static byte[] CreatePayload(int bytes)
    {
        byte[] payload = new byte[bytes];
        new Random(36).NextBytes(payload);
        return payload;
    }
}
