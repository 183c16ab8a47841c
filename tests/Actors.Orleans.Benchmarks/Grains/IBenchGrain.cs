namespace Actors.Orleans.Benchmarks.Grains;

/// <summary>What the benchmark calls on every variant's grain.</summary>
public interface IBenchGrain : IGrainWithIntegerKey
{
    /// <summary>One durable write of <paramref name="payload"/>: the task completes after the provider has stored it.</summary>
    Task Write(byte[] payload);

    /// <summary>
    /// Adds <paramref name="events"/> events of <paramref name="payload"/> as history, confirmed in batches of
    /// <paramref name="batch"/> (journaled grains only); returns the grain's version afterwards.
    /// </summary>
    Task<int> AddHistory(byte[] payload, int events, int batch);

    /// <summary>
    /// Raises one event per payload of <paramref name="payloads"/> and confirms them as one batch (journaled grains only);
    /// returns the grain's version afterwards.
    /// </summary>
    Task<int> AddBatch(IReadOnlyList<byte[]> payloads);

    /// <summary>The number of writes the grain's durable state holds (its version for journaled grains).</summary>
    Task<long> Writes();

    /// <summary>Asks Orleans to deactivate the grain once this call returns.</summary>
    Task Deactivate();
}
