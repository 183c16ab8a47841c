using System.Text.Json;
using Actors.Storage;

namespace Actors.Hosting.Tests.Infrastructure;

/// <summary>A tiny file-per-state storage for test-cluster restart tests (state survives as long as the directory).</summary>
public sealed class FileGrainStorage(string directory) : IGrainStorage
{
    private readonly object _lock = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_lock)
        {
            string path = PathOf(stateName, grainId);
            if (!File.Exists(path))
            {
                grainState.State = GrainState<T>.CreateDefault();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return Task.CompletedTask;
            }

            Record<T> record = JsonSerializer.Deserialize<Record<T>>(File.ReadAllBytes(path))!;
            grainState.State = record.State;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_lock)
        {
            string path = PathOf(stateName, grainId);
            string? stored = File.Exists(path) ? JsonSerializer.Deserialize<Record<T>>(File.ReadAllBytes(path))!.ETag : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException("stale etag", stored, grainState.ETag);
            }

            string etag = Guid.NewGuid().ToString("N");
            File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(new Record<T>(grainState.State, etag)));
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_lock)
        {
            File.Delete(PathOf(stateName, grainId));
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    private string PathOf(string stateName, GrainId grainId)
        => Path.Combine(directory, $"{grainId.Type}_{Uri.EscapeDataString(grainId.Key)}_{stateName}.json");

    private sealed record Record<T>(T State, string ETag);
}
